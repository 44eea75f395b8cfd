"""Erasure without breaking the log: personal values and notes are replaced by a marker in
place (``redacted_at`` stamped), everything else of the entry stays, and on PostgreSQL the
trigger lets nothing but that change through."""

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from grants.events import BANK_DETAILS_CHANGED
from tests.factories import ApplicationFactory
from workflow.audit import log_event, personal_keys, redact_entries, shown_data
from workflow.models import REDACTED, AppendOnlyError, TransitionLog
from workflow.queries import log_of

pytestmark = pytest.mark.django_db

KEPT = ("content_type_id", "object_id", "action", "from_state", "to_state", "actor_id")
KEPT += ("created_at", "visible_to_applicant")
MOMENT = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def application():
    return ApplicationFactory()


@pytest.fixture
def invitation(application):
    return log_event(
        subject=application,
        action="review.jury.juror_invited",
        actor=application.owner,
        note="Invited on Jana's advice.",
        data={"email": "jana@example.org", "topics": ["open-data"], "count": 2},
    )


def row(entry):
    return TransitionLog.objects.filter(pk=entry.pk).values(*KEPT, "note", "data", "redacted_at")[0]


def test_redaction_replaces_personal_values_and_the_note_and_keeps_the_rest(invitation):
    before = row(invitation)

    changed = redact_entries(TransitionLog.objects.filter(pk=invitation.pk), at=MOMENT)

    after = row(invitation)
    assert changed == 1
    assert after["data"] == {"email": REDACTED, "topics": ["open-data"], "count": 2}
    assert after["note"] == REDACTED
    assert after["redacted_at"] == MOMENT
    assert {key: after[key] for key in KEPT} == {key: before[key] for key in KEPT}


def test_a_redaction_can_keep_the_note(invitation):
    redact_entries(TransitionLog.objects.filter(pk=invitation.pk), note=False, at=MOMENT)

    assert row(invitation)["note"] == "Invited on Jana's advice."
    assert row(invitation)["data"]["email"] == REDACTED


def test_redacting_again_changes_nothing(invitation):
    entries = TransitionLog.objects.filter(pk=invitation.pk)
    redact_entries(entries, at=MOMENT)

    assert redact_entries(entries, at=MOMENT + dt.timedelta(days=1)) == 0
    assert row(invitation)["redacted_at"] == MOMENT


def test_an_entry_without_personal_data_is_left_alone(application):
    entry = log_event(
        subject=application, action="grants.application.created", actor=None, data={"n": 1}
    )

    assert redact_entries(TransitionLog.objects.filter(pk=entry.pk), at=MOMENT) == 0
    assert row(entry)["redacted_at"] is None


def test_an_entry_left_alone_does_not_stop_the_redaction_of_later_ones(application):
    """Entries of one action are redacted one by one, oldest first: one with nothing
    personal left (here no address was given) is skipped, the next one still redacted."""
    without_address, with_address = (
        log_event(subject=application, action="review.jury.juror_invited", actor=None, data=data)
        for data in ({"email": "", "count": 1}, {"email": "jana@example.org", "count": 2})
    )
    entries = TransitionLog.objects.filter(pk__in=[without_address.pk, with_address.pk])

    changed = redact_entries(entries, at=MOMENT)

    assert changed == 1
    assert row(without_address)["redacted_at"] is None
    assert row(with_address)["redacted_at"] == MOMENT
    assert row(with_address)["data"] == {"email": REDACTED, "count": 2}


def test_apps_declare_the_personal_keys_of_their_actions():
    assert {"before", "after", "email"} <= personal_keys(BANK_DETAILS_CHANGED)
    assert "before" not in personal_keys("grants.application.agreement_changed")


def test_the_log_still_refuses_every_other_change(invitation):
    with pytest.raises(AppendOnlyError):
        TransitionLog.objects.filter(pk=invitation.pk).update(note="")
    invitation.note = ""
    with pytest.raises(AppendOnlyError):
        invitation.save()


def test_shown_data_masks_personal_values_and_shows_the_marker(invitation):
    assert shown_data(invitation) == {"email": "•••", "topics": ["open-data"], "count": 2}
    redact_entries(TransitionLog.objects.filter(pk=invitation.pk), at=MOMENT)

    assert shown_data(TransitionLog.objects.get(pk=invitation.pk))["email"] == REDACTED


def test_log_of_reads_several_objects_oldest_first_in_one_query(
    application, django_assert_num_queries
):
    other = ApplicationFactory()
    first = log_event(subject=application, action="grants.application.created", actor=None)
    second = log_event(subject=other, action="grants.application.created", actor=None)
    log_event(subject=ApplicationFactory(), action="grants.application.created", actor=None)

    with django_assert_num_queries(1):
        entries = list(log_of(application, (type(other), [other.pk])))

    assert [entry.pk for entry in entries] == [first.pk, second.pk]


def test_log_of_nothing_is_empty():
    assert list(log_of()) == []


# On PostgreSQL the trigger allows the redaction and nothing else.


@pytest.mark.postgresql
def test_postgresql_lets_the_redaction_through(invitation):
    redact_entries(TransitionLog.objects.filter(pk=invitation.pk), at=timezone.now())

    assert row(invitation)["data"]["email"] == REDACTED


FORGED = {
    "another note": "UPDATE grants_transitionlog SET note = 'Rewritten.', redacted_at = now()",
    "a value that is not the marker": (
        "UPDATE grants_transitionlog SET data = jsonb_set(data, '{email}', '\"x@y.z\"'), "
        "redacted_at = now()"
    ),
    "a removed key": "UPDATE grants_transitionlog SET data = data - 'email', redacted_at = now()",
    "another action": (
        "UPDATE grants_transitionlog SET action = 'x', note = '[redacted]', redacted_at = now()"
    ),
    "no stamp": "UPDATE grants_transitionlog SET note = '[redacted]'",
    "another time": (
        "UPDATE grants_transitionlog SET created_at = now(), note = '[redacted]', "
        "redacted_at = now()"
    ),
}


@pytest.mark.postgresql
@pytest.mark.parametrize("change", FORGED)
def test_postgresql_refuses_anything_but_a_redaction(invitation, change):
    before = row(invitation)
    with (
        pytest.raises(DatabaseError, match="append-only: UPDATE refused"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(FORGED[change] + " WHERE id = %s", [invitation.pk])

    assert row(invitation) == before


@pytest.mark.postgresql
def test_postgresql_refuses_to_clear_a_redaction(invitation):
    redact_entries(TransitionLog.objects.filter(pk=invitation.pk), at=timezone.now())
    before = row(invitation)
    with (
        pytest.raises(DatabaseError, match="append-only: UPDATE refused"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE grants_transitionlog SET redacted_at = NULL WHERE id = %s", [invitation.pk]
        )

    assert row(invitation) == before
