"""The erasure journal: each shredder run is a row and a line in a file outside the database
(ids and kinds only); after a restore, the lines the database does not know are erased
again, once."""

import json
import uuid

import pytest
from django.core.management import call_command

from accounts.roles import Role
from grants.models import Application
from privacy.models import Erasure
from privacy.scope import Scope
from privacy.services.shredders import reapply, shred
from privacy.states import Cause
from tests.factories import ApplicationFactory, make_user

pytestmark = pytest.mark.django_db


def line(kind, scope, entry_id=None):
    return json.dumps(
        {
            "id": str(entry_id or uuid.uuid4()),
            "at": "2026-01-01T00:00:00+00:00",
            "kind": kind,
            "scope": scope.to_json(),
        }
    )


def test_each_run_writes_a_line_with_ids_only_after_the_commit(
    settings, django_capture_on_commit_callbacks
):
    person = make_user(Role.APPLICANT, full_name="Pia Private")
    draft = ApplicationFactory(owner=person, summary="Secret plans.")

    with django_capture_on_commit_callbacks(execute=True):
        shred(scope=Scope(drafts=[draft.pk], people=[person.pk]), cause=Cause.REQUEST)

    lines = [json.loads(text) for text in settings.ERASURE_JOURNAL.read_text().splitlines()]
    # The technical shredder found nothing to erase (no session, no feed): no line.
    assert [entry["kind"] for entry in lines] == ["proposal", "identity"]
    assert {str(e.journal_id) for e in Erasure.objects.all()} == {entry["id"] for entry in lines}
    assert lines[0]["scope"] == {"drafts": [draft.pk], "people": [person.pk]}
    assert "Pia" not in settings.ERASURE_JOURNAL.read_text()


def test_a_rolled_back_run_writes_no_line(settings):
    draft = ApplicationFactory()
    shred(scope=Scope(drafts=[draft.pk]), cause=Cause.REQUEST)  # never committed here

    assert not settings.ERASURE_JOURNAL.exists()


def test_erasures_the_database_does_not_know_are_applied_again_once(settings):
    person = make_user(Role.APPLICANT, full_name="Pia Private")
    draft = ApplicationFactory(owner=person)
    known = Erasure.objects.create(kind="proposal", cause=Cause.REQUEST, scope={})
    settings.ERASURE_JOURNAL.write_text(
        "\n".join(
            [
                line("proposal", Scope(drafts=[draft.pk]), known.journal_id),  # already applied
                line("proposal", Scope(drafts=[draft.pk])),
                "{damaged",
                line("identity", Scope(people=[person.pk])),
            ]
        )
        + "\n"
    )

    assert reapply() == 2
    assert reapply() == 0

    person.refresh_from_db()
    assert not Application.objects.filter(pk=draft.pk).exists()
    assert person.full_name == ""
    assert set(Erasure.objects.exclude(pk=known.pk).values_list("cause", flat=True)) == {
        Cause.RESTORE
    }


def test_the_command_reports_how_many_it_applied(settings, capsys):
    settings.ERASURE_JOURNAL.write_text(
        line("proposal", Scope(drafts=[ApplicationFactory().pk])) + "\n"
    )

    call_command("reapply_erasures")
    call_command("reapply_erasures")

    assert capsys.readouterr().out.splitlines() == [
        "erasures applied again: 1",
        "erasures applied again: 0",
    ]
