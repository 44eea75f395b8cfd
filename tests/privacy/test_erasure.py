"""Erasure on request (Art. 17): a person asks, staff carry it out; afterwards no trace of the
person's name, e-mail address or text is left in any column of any table, in the private
files, in the log or in what the staff's searches find, totals stay the same, and the person
is told what remains."""

import datetime as dt

import pytest
from allauth.account.models import EmailAddress
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client

from accounts.roles import Role
from core.errors import TransitionRefused, WorkflowError
from grants.models import Application, Attachment, TeamMember
from grants.queries import staff_application_rows
from grants.states import ApplicationState, CallState
from privacy.models import Erasure, ErasureRequest
from privacy.plan import erasure_plan
from privacy.queries import person_by_address
from privacy.services.erasure import (
    cancel_erasure_request,
    carry_out_erasure,
    request_erasure,
)
from privacy.states import Cause, RequestState
from reporting.data import load
from reporting.figures import figures, prepare
from review.models import JuryMember
from review.states import JuryPhase
from tests.factories import PASSWORD, ApplicationFactory, CallFactory, make_grant, make_user
from tests.privacy.helpers import ended_on, submitted
from tests.privacy.search import database_mentions, file_mentions
from tests.privacy.world import EMAIL, FAMILY_NAME, NAME, NEEDLES, SECOND_EMAIL, TEXT, World
from tests.review.helpers import assign, conflict, make_jury
from workflow.models import REDACTED, TransitionLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World()


def totals():
    frame = figures(prepare(load().frames, today=dt.date(2030, 1, 1)))
    return frame.to_dict()


def erase(world, django_capture_on_commit_callbacks):
    request = request_erasure(user=world.person)
    with django_capture_on_commit_callbacks(execute=True):
        return carry_out_erasure(request=request, actor=world.staff)


def test_the_world_holds_the_person_everywhere_before(world):
    found = database_mentions(*NEEDLES)
    tables = {line.split(".")[0] for line in found}

    assert {
        "accounts_user",
        "account_emailaddress",
        "grants_application",
        "grants_attachment",
        "grants_informationrequest",
        "grants_message",
        "grants_teammember",
        "grants_transitionlog",
        "review_review",
        "review_conflictofinterest",
        "review_discussioncomment",
        "review_discussionsummary",
        "review_fundinglinemove",
        "django_admin_log",
        "django_tasks_database_dbtaskresult",
    } <= tables
    assert len(file_mentions(TEXT)) == 2


def test_erasure_leaves_no_trace_of_the_person(world, django_capture_on_commit_callbacks):
    before = totals()

    erase(world, django_capture_on_commit_callbacks)

    assert database_mentions(*NEEDLES) == []
    assert file_mentions(*NEEDLES) == []
    assert Application.objects.filter(pk=world.draft.pk).exists() is False
    assert not [
        session
        for session in Session.objects.all()
        if session.get_decoded().get("_auth_user_id") == str(world.person.pk)
    ]
    assert totals() == before


def found_by_staff_searches(world) -> dict:
    """What the staff's searches find for each of her traces: the call's application list
    (title, reference, the applicant's name and address) and the data protection page's
    search for a person by any of their addresses."""
    return {
        needle: [
            *staff_application_rows(world.call, viewer=world.staff, search=needle).values_list(
                "pk", flat=True
            ),
            *([person_by_address(needle).pk] if person_by_address(needle) else []),
        ]
        for needle in (NAME, FAMILY_NAME, EMAIL, SECOND_EMAIL, TEXT)
    }


def test_after_erasure_no_search_finds_the_person(world, django_capture_on_commit_callbacks):
    her, rejected = world.person.pk, world.rejected.pk
    assert found_by_staff_searches(world) == {
        NAME: [rejected],
        FAMILY_NAME: [rejected],
        EMAIL: [rejected, her],
        SECOND_EMAIL: [her],
        TEXT: [rejected],
    }

    erase(world, django_capture_on_commit_callbacks)

    assert found_by_staff_searches(world) == dict.fromkeys(
        (NAME, FAMILY_NAME, EMAIL, SECOND_EMAIL, TEXT), []
    )


def test_what_remains_keeps_its_shape(world, django_capture_on_commit_callbacks):
    erase(world, django_capture_on_commit_callbacks)

    rejected = Application.objects.get(pk=world.rejected.pk)
    assert (rejected.state, rejected.reference, rejected.requested_amount) == (
        ApplicationState.REJECTED,
        world.rejected.reference,
        world.rejected.requested_amount,
    )
    assert rejected.title == REDACTED
    assert rejected.review_assignments.get().review.scores.count() == 3
    assert Attachment.objects.get(pk=world.file.pk).purged_at is not None
    entry = TransitionLog.objects.get(
        action="grants.application.information_provided", object_id=rejected.pk
    )
    assert (entry.actor_id, entry.note, entry.data["changes"]) == (
        world.person.pk,
        REDACTED,
        REDACTED,
    )
    assert entry.redacted_at is not None


def test_the_person_can_no_longer_sign_in(world, django_capture_on_commit_callbacks):
    erase(world, django_capture_on_commit_callbacks)

    assert not Client().login(email=EMAIL, password=PASSWORD)
    assert world.client.get("/account/").status_code == 302  # the old session is gone


def test_the_person_is_told_what_was_erased_and_what_remains(
    world, django_capture_on_commit_callbacks
):
    grant = make_grant(owner=world.person, state=ApplicationState.COMPLETED)
    ended_on(dt.date(2025, 3, 31), grant.application)
    mail.outbox.clear()

    request = erase(world, django_capture_on_commit_callbacks)

    (message,) = mail.outbox
    body = " ".join(message.body.split())
    assert message.to == [EMAIL]
    assert message.subject.endswith("Your data has been erased")
    assert "– Applications you never submitted (1)" in message.body
    assert (
        "– Applications that were not funded (their texts, files and reviews) (1)" in message.body
    )
    assert (
        "Funded projects: agreement, reports, payments: until 31 March 2035. Public funding "
        "is audited: a grant's record is kept for 120 months after the grant ended."
    ) in body
    assert "Bank details: until " in body
    assert request.state == RequestState.CARRIED_OUT
    assert {item["item"] for item in request.kept} == {"grants", "bank", "account", "log"}
    # The grant keeps its grantee: the account stays, named, until the audit period ends.
    world.person.refresh_from_db()
    assert world.person.full_name == NAME


def test_each_kind_is_journalled_without_the_data(
    world, django_capture_on_commit_callbacks, settings
):
    request = erase(world, django_capture_on_commit_callbacks)

    erasures = Erasure.objects.filter(request=request)
    assert set(erasures.values_list("kind", flat=True)) == {
        "proposal",
        "review",
        "contact",
        "technical",
        "identity",
    }
    assert set(erasures.values_list("cause", flat=True)) == {Cause.REQUEST}
    journal = settings.ERASURE_JOURNAL.read_text()
    assert journal.count("\n") == erasures.count()
    assert not any(needle.lower() in journal.lower() for needle in NEEDLES)
    scope = erasures.get(kind="identity").scope
    assert scope["people"] == [world.person.pk]
    assert scope["drafts"] == [world.draft.pk]


# What is kept, and why.


def _plan(user):
    """(what is erased now: key -> count, what is kept: (key, reason, until) -> count)."""
    plan = erasure_plan(user)
    return (
        {item.key: item.count for item in plan.erase},
        {(item.key, item.reason, item.until): item.count for item in plan.keep},
    )


LOG = {("log", "log", None): 1}


def test_an_open_application_keeps_the_account_and_itself():
    person = make_user(Role.APPLICANT)
    submitted(CallFactory(), ApplicationState.IN_REVIEW, owner=person)

    erase_now, keep = _plan(person)

    assert erase_now == {}
    assert keep == {
        ("open_applications", "open_application", None): 1,
        ("account", "open_application", None): 1,
        **LOG,
    }


@pytest.mark.parametrize(
    ("call_state", "open_place"), [(CallState.CLOSED, True), (CallState.DECIDED, False)]
)
def test_a_waiting_list_place_is_kept_until_the_call_is_decided(call_state, open_place):
    person = make_user(Role.APPLICANT)
    submitted(CallFactory(state=call_state), ApplicationState.WAITLISTED, owner=person)

    erase_now, keep = _plan(person)

    if open_place:
        assert erase_now == {}
        assert keep == {
            ("open_applications", "open_application", None): 1,
            ("account", "open_application", None): 1,
            **LOG,
        }
    else:
        assert erase_now == {"proposals": 1, "account": 1}
        assert keep == LOG


def test_a_running_grant_keeps_the_account_and_the_bank_details():
    person = make_user(Role.APPLICANT)
    make_grant(owner=person, state=ApplicationState.FUNDED)

    erase_now, keep = _plan(person)

    assert erase_now == {}
    assert keep == {
        ("grants", "open_grant", None): 1,
        ("bank", "open_grant", None): 1,
        ("account", "open_grant", None): 1,
        **LOG,
    }


@pytest.mark.parametrize(
    ("phase", "kept"),
    [(JuryPhase.PREPARATION, True), (JuryPhase.DISCUSSION, True), (JuryPhase.CLOSED, False)],
)
def test_a_juror_keeps_the_account_until_their_jury_is_closed(phase, kept):
    person = make_user(Role.JUROR)
    JuryMember.objects.create(jury=make_jury(phase=phase), user=person, email=person.email)

    erase_now, keep = _plan(person)

    assert keep == ({("account", "jury", None): 1, **LOG} if kept else LOG)
    assert erase_now == ({} if kept else {"account": 1})


def test_a_jurors_reviews_and_conflicts_go_with_their_calls():
    """Kept while the call is undecided (the jury's work) and for funded projects (the
    selection record); erased once the call is decided on a proposal not funded."""
    person = make_user(Role.JUROR)
    undecided = CallFactory(state=CallState.CLOSED)
    decided = CallFactory(state=CallState.DECIDED)
    for application in [
        submitted(undecided, ApplicationState.IN_REVIEW),
        submitted(undecided, ApplicationState.REVIEWED),
        submitted(decided, ApplicationState.APPROVED),
        submitted(decided, ApplicationState.REJECTED),
        submitted(decided, ApplicationState.WAITLISTED),
        submitted(decided, ApplicationState.WITHDRAWN),
    ]:
        assign(person, application)
    conflict(person, submitted(undecided, ApplicationState.IN_REVIEW))
    conflict(person, submitted(decided, ApplicationState.REJECTED))
    conflict(person, submitted(decided, ApplicationState.FUNDED))

    erase_now, keep = _plan(person)

    assert erase_now == {"reviews": 3, "conflicts": 2, "account": 1}
    assert keep == {
        ("reviews", "jury", None): 2,
        ("reviews", "selection_record", None): 1,
        ("conflicts", "jury", None): 1,
        **LOG,
    }


def test_team_entries_under_any_of_the_persons_addresses():
    """Entries in somebody else's application: erased where it was never submitted or was
    not funded, kept where it is still open or on an open waiting list."""
    person = make_user(Role.APPLICANT, email="pia@example.org")
    EmailAddress.objects.create(user=person, email="pia.second@example.org")
    closed = CallFactory(state=CallState.CLOSED)
    decided = CallFactory(state=CallState.DECIDED)
    for application, email in [
        (ApplicationFactory(call=closed), "PIA@example.org"),  # a draft
        (submitted(decided, ApplicationState.REJECTED), "pia.second@example.org"),
        (submitted(decided, ApplicationState.WAITLISTED), "pia@example.org"),
        (submitted(closed, ApplicationState.IN_REVIEW), "Pia.Second@example.org"),
        (submitted(closed, ApplicationState.WAITLISTED), "pia@example.org"),
        (submitted(closed, ApplicationState.IN_REVIEW), "somebody@example.org"),
    ]:
        TeamMember.objects.create(application=application, name="Pia", email=email)

    erase_now, keep = _plan(person)

    assert erase_now == {"team": 3, "account": 1}
    assert keep == {("team", "others", None): 2, **LOG}


@pytest.mark.parametrize("role", [Role.STAFF, Role.MINISTRY])
def test_people_working_for_the_fund_keep_their_account(role):
    erase_now, keep = _plan(make_user(role))

    assert erase_now == {}
    assert keep == {("account", "role", None): 1, **LOG}


@pytest.mark.parametrize("flag", ["is_superuser", "is_staff"])
def test_an_admin_keeps_their_account(flag):
    erase_now, keep = _plan(make_user(Role.APPLICANT, **{flag: True}))

    assert erase_now == {}
    assert keep == {("account", "role", None): 1, **LOG}


def test_nothing_to_keep_erases_the_account():
    erase_now, keep = _plan(make_user(Role.APPLICANT))

    assert erase_now == {"account": 1}
    assert keep == LOG


# The request's workflow.


def test_asking_twice_is_refused_and_changes_nothing(world):
    request_erasure(user=world.person)

    with pytest.raises(WorkflowError, match="You have already asked us to erase your data."):
        request_erasure(user=world.person)

    assert ErasureRequest.objects.filter(user=world.person).count() == 1


def test_the_person_may_withdraw_the_request(world):
    request = request_erasure(user=world.person)

    cancel_erasure_request(request=request, actor=world.person)

    request.refresh_from_db()
    assert request.state == RequestState.CANCELLED
    assert request_erasure(user=world.person).state == RequestState.OPEN


@pytest.mark.parametrize("who", ["staff", "other_applicant"])
def test_nobody_else_withdraws_a_request(world, who):
    request = request_erasure(user=world.person)
    actor = world.staff if who == "staff" else make_user(Role.APPLICANT)

    with pytest.raises(TransitionRefused):
        cancel_erasure_request(request=request, actor=actor)

    assert ErasureRequest.objects.get(pk=request.pk).state == RequestState.OPEN


@pytest.mark.parametrize("who", ["applicant", "ministry", "juror", "self"])
def test_only_staff_other_than_the_person_carry_out_a_request(world, who):
    if who == "self":
        world.person.groups.add(*world.staff.groups.all())
        world.person.__dict__.pop("role_names", None)
    actor = world.person if who == "self" else make_user(Role(who))
    request = request_erasure(user=world.person)
    before = database_mentions(*NEEDLES)

    with pytest.raises(TransitionRefused):
        carry_out_erasure(request=request, actor=actor)

    assert ErasureRequest.objects.get(pk=request.pk).state == RequestState.OPEN
    assert database_mentions(*NEEDLES) == before
    assert Erasure.objects.count() == 0


def test_a_handled_request_cannot_be_carried_out_again(world, django_capture_on_commit_callbacks):
    request = erase(world, django_capture_on_commit_callbacks)
    journal = Erasure.objects.count()

    with pytest.raises(TransitionRefused):
        carry_out_erasure(request=request, actor=world.staff)

    assert Erasure.objects.count() == journal


def test_a_withdrawn_request_cannot_be_carried_out(world):
    request = request_erasure(user=world.person)
    cancel_erasure_request(request=request, actor=world.person)

    with pytest.raises(TransitionRefused):
        carry_out_erasure(request=request, actor=world.staff)

    assert database_mentions(NAME)


def test_a_carried_out_request_cannot_be_withdrawn(world, django_capture_on_commit_callbacks):
    request = erase(world, django_capture_on_commit_callbacks)

    with pytest.raises(WorkflowError, match="Someone else changed this meanwhile"):
        cancel_erasure_request(request=request, actor=world.person)

    assert ErasureRequest.objects.get(pk=request.pk).state == RequestState.CARRIED_OUT


def test_an_account_kept_for_an_audit_is_anonymised_once_nothing_is_left_to_keep(
    django_capture_on_commit_callbacks,
):
    from privacy.services.retention import apply_retention
    from tests.privacy.helpers import noon

    person = make_user(Role.APPLICANT, full_name="Audra Audit")
    grant = make_grant(owner=person, state=ApplicationState.COMPLETED)
    ended_on(dt.date(2016, 5, 10), grant.application)
    request = request_erasure(user=person)
    with django_capture_on_commit_callbacks(execute=True):
        carry_out_erasure(request=request, actor=make_user(Role.STAFF))
    assert ("account", "audit", dt.date(2026, 5, 10), 1) in {
        (item["item"], item["reason"], dt.date.fromisoformat(item["until"]), item["count"])
        for item in ErasureRequest.objects.get(pk=request.pk).kept
        if item["until"]
    }

    apply_retention(now=noon(dt.date(2026, 5, 9)))
    person.refresh_from_db()
    assert person.full_name == "Audra Audit"

    apply_retention(now=noon(dt.date(2026, 5, 10)))  # the project, then the account
    person.refresh_from_db()
    assert (person.full_name, person.is_active) == ("", False)


def test_staff_wording_of_the_erasure_mail_is_used(world, django_capture_on_commit_callbacks):
    from workflow.services import save_email_text

    staff = make_user(Role.STAFF)
    save_email_text(
        key="erasure_done",
        language="en",
        subject="Erased as you asked",
        body="We erased:\n$erased\n\n$kept\n\nAsk $contact.",
        actor=staff,
        based_on=None,
    )
    mail.outbox.clear()

    erase(world, django_capture_on_commit_callbacks)

    (message,) = mail.outbox
    assert message.subject == "[Civic Tech Fund] Erased as you asked"
    assert message.body.startswith("Hello,\n\nWe erased:\n– Applications you never submitted (1)\n")
    assert "This is what we must keep, until when and why:\n– " in message.body
    assert "\n\nAsk privacy@" in message.body
    # The footer says why the person hears from the fund at all.
    assert "because you have an account with the Civic Tech Fund" in " ".join(message.body.split())
