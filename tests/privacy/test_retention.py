"""Retention per kind of data (settings.PRIVACY_RETENTION): each rule applies on its day,
never the day before, and again finds nothing the day after; ``apply_retention`` prints what
it does per kind and count and ends with ``retention applied: N``."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from grants.models import Application, Attachment, Grant, Payment, TeamMember
from grants.states import ApplicationState, CallState, PaymentKind
from privacy.models import Erasure, InactivityWarning
from privacy.retention import Rule
from privacy.services.retention import apply_retention
from privacy.services.shredders.base import MARK, PLACEHOLDER_EMAIL
from tests.factories import ApplicationFactory, make_grant, make_user, set_state
from tests.privacy.helpers import (
    call_closed_on,
    call_decided_on,
    ended_on,
    noon,
    submitted,
)

pytestmark = pytest.mark.django_db

BEFORE, ON, AFTER = -1, 0, 1
OFFSETS = pytest.mark.parametrize(
    ("offset", "applied"),
    [(BEFORE, False), (ON, True), (AFTER, True)],
    ids=["before", "on", "after"],
)


def counts(steps):
    return {step.rule: step.count for step in steps}


# Drafts never submitted: deleted 6 months after the call's deadline.


@OFFSETS
def test_drafts_are_deleted_six_months_after_the_deadline(offset, applied):
    call = call_closed_on(dt.date(2024, 3, 1))  # closing day 29 February
    draft = ApplicationFactory(call=call)
    withdrawn_draft = set_state(ApplicationFactory(call=call), ApplicationState.WITHDRAWN)
    kept = submitted(call, ApplicationState.SUBMITTED)

    steps = apply_retention(now=noon(dt.date(2024, 9, 1) + dt.timedelta(days=offset)))

    remaining = set(Application.objects.values_list("pk", flat=True))
    assert remaining == ({kept.pk} if applied else {draft.pk, withdrawn_draft.pk, kept.pk})
    assert counts(steps)[Rule.DRAFTS] == (2 if applied else 0)


def test_a_month_without_the_day_counts_to_its_last_day():
    call = call_closed_on(dt.date(2024, 8, 31))
    draft = ApplicationFactory(call=call)

    apply_retention(now=noon(dt.date(2025, 2, 27)))
    assert Application.objects.filter(pk=draft.pk).exists()
    apply_retention(now=noon(dt.date(2025, 2, 28)))
    assert not Application.objects.filter(pk=draft.pk).exists()


# Proposals not funded: anonymised 2 years after the call's decision.


@OFFSETS
def test_unfunded_proposals_are_anonymised_two_years_after_the_decision(offset, applied):
    call = call_decided_on(dt.date(2024, 6, 14))
    rejected = submitted(call, ApplicationState.REJECTED, members=["ana@example.org"])
    owner = rejected.owner
    funded = submitted(call, ApplicationState.FUNDED)

    apply_retention(now=noon(dt.date(2026, 6, 14) + dt.timedelta(days=offset)))

    rejected.refresh_from_db()
    funded.refresh_from_db()
    member = TeamMember.objects.get(application=rejected)
    if applied:
        assert (rejected.title, rejected.summary, rejected.repository_url) == (MARK, MARK, "")
        assert rejected.owner.email == PLACEHOLDER_EMAIL
        assert (member.name, member.email) == ("", "")
        assert rejected.requested_amount == Decimal("44887.50")  # sums stay
        assert rejected.state == ApplicationState.REJECTED
    else:
        assert rejected.title.startswith("Open transit data toolkit")
        assert rejected.owner == owner
        assert member.email == "ana@example.org"
    assert funded.title != MARK
    assert funded.owner.email != PLACEHOLDER_EMAIL


def test_waiting_list_places_count_as_unfunded_once_the_call_is_decided():
    call = call_decided_on(dt.date(2024, 6, 14))
    waiting = submitted(call, ApplicationState.WAITLISTED)

    apply_retention(now=noon(dt.date(2026, 6, 14)))

    waiting.refresh_from_db()
    assert waiting.summary == MARK


def test_an_undecided_call_keeps_its_proposals():
    call = call_closed_on(dt.date(2020, 1, 1), state=CallState.IN_REVIEW)
    rejected = submitted(call, ApplicationState.INELIGIBLE)

    apply_retention(now=noon(dt.date(2026, 6, 14)))

    rejected.refresh_from_db()
    assert rejected.summary != MARK


# Funded projects: kept 10 years after the final report is accepted, then anonymised.


@OFFSETS
def test_funded_projects_are_anonymised_ten_years_after_the_final_report(offset, applied):
    grant = make_grant(state=ApplicationState.COMPLETED)
    ended_on(dt.date(2016, 5, 10), grant.application)
    running = make_grant(state=ApplicationState.FUNDED)

    apply_retention(now=noon(dt.date(2026, 5, 10) + dt.timedelta(days=offset)))

    application = Application.objects.get(pk=grant.application_id)
    assert (application.summary == MARK) is applied
    assert (application.owner.email == PLACEHOLDER_EMAIL) is applied
    assert grant.milestones.filter(title=MARK).count() == (3 if applied else 0)
    assert Application.objects.get(pk=running.application_id).summary != MARK


def test_a_terminated_grant_counts_from_its_termination():
    grant = make_grant(state=ApplicationState.TERMINATED)
    ended_on(dt.date(2016, 5, 10), grant.application, transition="terminate")

    apply_retention(now=noon(dt.date(2026, 5, 9)))
    assert Application.objects.get(pk=grant.application_id).summary != MARK
    apply_retention(now=noon(dt.date(2026, 5, 10)))
    assert Application.objects.get(pk=grant.application_id).summary == MARK


# Bank details: deleted 10 years after the last payment.


def _paid(grant, day):
    milestone = grant.milestones.first()
    for kind in (PaymentKind.RELEASED, PaymentKind.PAID):
        Payment.objects.create(
            grant=grant,
            milestone=milestone,
            kind=kind,
            amount=milestone.amount,
            created_by=grant.prepared_by,
            paid_on=day if kind == PaymentKind.PAID else None,
        )


@OFFSETS
def test_bank_details_are_deleted_ten_years_after_the_last_payment(offset, applied):
    grant = make_grant(state=ApplicationState.COMPLETED)
    ended_on(dt.date(2017, 1, 5), grant.application)
    _paid(grant, dt.date(2016, 11, 30))

    apply_retention(now=noon(dt.date(2026, 11, 30) + dt.timedelta(days=offset)))

    grant.refresh_from_db()
    assert (grant.iban_encrypted == grant.iban_masked == grant.account_holder == "") is applied
    assert grant.payments.count() == 2  # the ledger stays


def test_a_running_grant_keeps_its_bank_details_however_old_its_payments():
    grant = make_grant(state=ApplicationState.FUNDED)
    _paid(grant, dt.date(2010, 1, 1))

    apply_retention(now=noon(dt.date(2026, 11, 30)))

    assert Grant.objects.get(pk=grant.pk).iban_encrypted != ""


# Accounts without activity for 3 years: warned by e-mail, anonymised 30 days later.


def _inactive(last_login, *roles):
    user = make_user(*(roles or (Role.APPLICANT,)))
    User.objects.filter(pk=user.pk).update(
        last_login=noon(last_login), date_joined=noon(last_login) - dt.timedelta(days=5)
    )
    return user


@OFFSETS
def test_an_inactive_account_is_warned_after_three_years(
    offset, applied, django_capture_on_commit_callbacks
):
    user = _inactive(dt.date(2023, 4, 2))

    with django_capture_on_commit_callbacks(execute=True):
        apply_retention(now=noon(dt.date(2026, 4, 2) + dt.timedelta(days=offset)))

    assert InactivityWarning.objects.filter(user=user).exists() is applied
    assert len(mail.outbox) == (1 if applied else 0)
    if applied:
        assert mail.outbox[0].to == [user.email]
        day = dt.date(2026, 5, 2) + dt.timedelta(days=offset)
        assert f"anonymise it on {day.day} May 2026" in " ".join(mail.outbox[0].body.split())
        assert mail.outbox[0].subject.endswith("Your unused account will be anonymised")
    assert User.objects.get(pk=user.pk).is_active  # not yet anonymised


@OFFSETS
def test_a_warned_account_is_anonymised_thirty_days_later(offset, applied):
    user = _inactive(dt.date(2023, 4, 2))
    apply_retention(now=noon(dt.date(2026, 4, 2)))

    apply_retention(now=noon(dt.date(2026, 5, 2) + dt.timedelta(days=offset)))

    user.refresh_from_db()
    assert (user.email == f"anonymised-{user.pk}@anonymised.invalid") is applied
    assert user.is_active is not applied


def test_signing_in_after_the_warning_keeps_the_account():
    user = _inactive(dt.date(2023, 4, 2))
    apply_retention(now=noon(dt.date(2026, 4, 2)))
    User.objects.filter(pk=user.pk).update(last_login=noon(dt.date(2026, 4, 20)))

    apply_retention(now=noon(dt.date(2026, 5, 2)))

    assert User.objects.get(pk=user.pk).is_active


@pytest.mark.parametrize("keeps", ["open_application", "running_grant", "staff", "ministry"])
def test_an_account_with_something_to_keep_is_neither_warned_nor_anonymised(keeps):
    roles = {"staff": (Role.STAFF,), "ministry": (Role.MINISTRY,)}.get(keeps, ())
    user = _inactive(dt.date(2020, 1, 1), *roles)
    if keeps == "open_application":
        set_state(ApplicationFactory(owner=user), ApplicationState.IN_REVIEW)
    elif keeps == "running_grant":
        make_grant(owner=user, state=ApplicationState.FUNDED)

    apply_retention(now=noon(dt.date(2026, 4, 2)))
    apply_retention(now=noon(dt.date(2026, 6, 2)))

    assert not InactivityWarning.objects.filter(user=user).exists()
    assert User.objects.get(pk=user.pk).is_active


# The job as a whole.


def test_a_second_run_on_the_same_day_erases_nothing():
    call = call_decided_on(dt.date(2024, 6, 14))
    submitted(call, ApplicationState.REJECTED)
    ApplicationFactory(call=call_closed_on(dt.date(2024, 1, 1)))
    now = noon(dt.date(2026, 7, 1))
    first = apply_retention(now=now)
    journal = Erasure.objects.count()

    second = apply_retention(now=now)

    assert counts(first)[Rule.UNFUNDED] == counts(first)[Rule.DRAFTS] == 1
    assert sum(counts(second).values()) == 0
    assert Erasure.objects.count() == journal


def test_the_command_prints_each_rule_and_the_total(settings):
    call = call_decided_on(dt.date(2020, 6, 14))
    submitted(call, ApplicationState.REJECTED)
    submitted(call, ApplicationState.INELIGIBLE)
    ApplicationFactory(call=call_closed_on(dt.date(2020, 1, 1)))
    out = io.StringIO()

    call_command("apply_retention", "--dry-run", stdout=out)
    dry = out.getvalue().splitlines()
    call_command("apply_retention", stdout=(out := io.StringIO()))
    done = out.getvalue().splitlines()

    assert "Drafts never submitted (proposal content): 1 to delete" in dry
    assert dry[-1] == "retention applied: 0 (dry run: 3 due)"
    assert Application.objects.filter(summary=MARK).count() == 2
    assert (
        "Proposals not funded (identity, contact details, proposal content, reviews, bank details, technical data): 2 anonymised"
        in done
    )
    assert done[-1] == "retention applied: 3"


def test_a_dry_run_changes_nothing():
    call = call_decided_on(dt.date(2020, 6, 14))
    rejected = submitted(call, ApplicationState.REJECTED)
    Attachment  # noqa: B018 (imported for the files check in other tests)

    call_command("apply_retention", "--dry-run", stdout=io.StringIO())

    rejected.refresh_from_db()
    assert rejected.summary != MARK
    assert Erasure.objects.count() == 0
    assert timezone.now()


# Technical data: finished e-mail jobs 30 days after they ran; sessions when they end.


@OFFSETS
def test_finished_email_jobs_are_deleted_thirty_days_after_they_ran(offset, applied):
    from django_tasks_db.models import DBTaskResult

    ran = noon(dt.date(2026, 3, 1)).replace(hour=23, minute=50)
    job = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {"recipient": {"email": "x@example.org"}}},
        task_path="workflow.tasks.send_templated_email",
        backend_name="default",
        run_after=ran,
        status="SUCCESSFUL",
        finished_at=ran,
    )
    waiting = DBTaskResult.objects.create(
        args_kwargs={}, task_path="x", backend_name="default", run_after=ran, status="READY"
    )

    steps = apply_retention(now=noon(dt.date(2026, 3, 31) + dt.timedelta(days=offset)))

    assert DBTaskResult.objects.filter(pk=job.pk).exists() is not applied
    assert DBTaskResult.objects.filter(pk=waiting.pk).exists()
    assert counts(steps)[Rule.TASKS] == (1 if applied else 0)


def test_ended_sessions_are_deleted():
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session

    ended, running = SessionStore(), SessionStore()
    ended.set_expiry(60)
    ended.create()
    running.set_expiry(3600 * 24)
    running.create()
    now = timezone.now() + dt.timedelta(hours=1)

    steps = apply_retention(now=now)

    assert set(Session.objects.values_list("session_key", flat=True)) == {running.session_key}
    assert counts(steps)[Rule.SESSIONS] == 1
