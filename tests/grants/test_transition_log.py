"""The audit log is append-only: entries are added, never changed or removed, neither one
by one nor in bulk, and on PostgreSQL not even by SQL that bypasses the model."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone

from grants.models import Application, TransitionLog
from grants.services.audit import log_event
from tests.factories import ApplicationFactory
from workflow.models import AppendOnlyError

pytestmark = pytest.mark.django_db

FIELDS = ("action", "from_state", "to_state", "note", "actor_id", "created_at")


@pytest.fixture
def entry():
    application = ApplicationFactory()
    return log_event(
        subject=application,
        action="grants.application.submitted",
        actor=application.owner,
        from_state="draft",
        to_state="submitted",
        note="As typed.",
        visible_to_applicant=True,
    )


def stored(entry):
    return TransitionLog.objects.filter(pk=entry.pk).values_list(*FIELDS).get()


def test_log_event_appends_an_entry(entry):
    assert (entry.content_type, entry.object_id) == (
        ContentType.objects.get_for_model(Application),
        Application.objects.get().pk,
    )
    assert stored(entry)[:4] == ("grants.application.submitted", "draft", "submitted", "As typed.")
    assert entry.visible_to_applicant is True
    assert timezone.now() - entry.created_at < dt.timedelta(minutes=1)


def test_an_entry_cannot_be_changed(entry):
    before = stored(entry)
    entry.note = "Rewritten."
    with pytest.raises(AppendOnlyError, match="^Log entries cannot be changed.$"):
        entry.save()
    assert stored(entry) == before


def test_an_entry_cannot_be_deleted(entry):
    with pytest.raises(AppendOnlyError, match="^Log entries cannot be deleted.$"):
        entry.delete()
    assert TransitionLog.objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda: TransitionLog.objects.update(note="Rewritten."), id="manager-update"),
        pytest.param(
            lambda: TransitionLog.objects.filter(action__startswith="grants").update(
                to_state="withdrawn"
            ),
            id="queryset-update",
        ),
        pytest.param(
            lambda: TransitionLog.objects.bulk_update(
                [TransitionLog(pk=TransitionLog.objects.get().pk, note="Rewritten.")], ["note"]
            ),
            id="bulk-update",
        ),
        pytest.param(
            lambda: TransitionLog.objects.update_or_create(
                pk=TransitionLog.objects.get().pk, defaults={"note": "Rewritten."}
            ),
            id="update-or-create",
        ),
    ],
)
def test_bulk_changes_are_refused(entry, change):
    before = stored(entry)
    with pytest.raises(AppendOnlyError, match="^Log entries cannot be changed.$"):
        change()
    assert stored(entry) == before


@pytest.mark.parametrize(
    "removal",
    [
        pytest.param(lambda: TransitionLog.objects.all().delete(), id="all"),
        pytest.param(
            lambda: TransitionLog.objects.filter(action="grants.application.submitted").delete(),
            id="filtered",
        ),
    ],
)
def test_bulk_deletes_are_refused(entry, removal):
    with pytest.raises(AppendOnlyError, match="^Log entries cannot be deleted.$"):
        removal()
    assert list(TransitionLog.objects.values_list("pk", flat=True)) == [entry.pk]


# On PostgreSQL the database itself refuses, whatever the client does.

SQL_CHANGES = {
    "update": "UPDATE grants_transitionlog SET note = 'Rewritten.' WHERE id = %s",
    "delete": "DELETE FROM grants_transitionlog WHERE id = %s",
}


@pytest.mark.postgresql
@pytest.mark.parametrize("operation", SQL_CHANGES)
def test_postgresql_refuses_changes_by_sql(entry, operation):
    before = stored(entry)
    refused = pytest.raises(DatabaseError, match=f"append-only: {operation.upper()} refused")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(SQL_CHANGES[operation], [entry.pk])
    assert stored(entry) == before


@pytest.mark.postgresql
def test_postgresql_refuses_a_plain_queryset_that_bypasses_the_model(entry):
    plain = models.QuerySet(TransitionLog)
    with pytest.raises(DatabaseError, match="append-only: UPDATE refused"), transaction.atomic():
        plain.filter(pk=entry.pk).update(note="Rewritten.")
    with pytest.raises(DatabaseError, match="append-only: DELETE refused"), transaction.atomic():
        plain.filter(pk=entry.pk)._raw_delete(connection.alias)
    assert stored(entry)[3] == "As typed."
