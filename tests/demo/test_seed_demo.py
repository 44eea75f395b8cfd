"""The demo commands: seed_demo (idempotent, deterministic, realistic), demo_totp and demo."""

import io
import re
from collections import Counter

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, models, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from demo.accounts import DEMO_ACCOUNTS
from demo.management.commands.demo import Command as DemoCommand
from grants.completeness import completeness_errors
from grants.models import (
    Answer,
    Application,
    Call,
    ChangeRequest,
    FinalReport,
    Fund,
    GovernmentCollaboration,
    Grant,
    InformationRequest,
    Milestone,
    MilestoneReport,
    Payment,
    PlannedMilestone,
    ReportLink,
    TeamMember,
    Topic,
    TransitionLog,
)
from grants.states import ApplicationState, CallStage, CallState
from review.models import (
    Assignment,
    ConflictOfInterest,
    Criterion,
    Jury,
    JuryMember,
    Review,
    Score,
)
from tests.review.demo_checks import check_realistic_jury_demo
from workflow.actions import action_label, state_field, transition_custom, workflow_models

DEMO_SECRET = "JBSWY3DPEHPK3PXPCIVICTECHFUNDDEM"
MFA_EMAILS = {
    *(f"juror{n}@demo.example" for n in range(1, 10)),
    "staff@demo.example",
    "finance@demo.example",
    "ministry@demo.example",
    "admin@demo.example",
}
NAMED_EMAILS = {"applicant@demo.example", *MFA_EMAILS}
REFERENCE = re.compile(r"CTF-(\d{4})-([123])-(\d{4})")

DUMPED_MODELS = (
    User,
    Group,
    User.groups.through,
    EmailAddress,
    Authenticator,
    Fund,
    Topic,
    Call,
    Application,
    PlannedMilestone,
    TeamMember,
    InformationRequest,
    TransitionLog,
    Grant,
    Milestone,
    MilestoneReport,
    ReportLink,
    GovernmentCollaboration,
    Payment,
    ChangeRequest,
    FinalReport,
    Jury,
    JuryMember,
    JuryMember.topics.through,
    Criterion,
    ConflictOfInterest,
    Assignment,
    Review,
    Score,
)


def seed(size="small"):
    call_command("seed_demo", size=size, stdout=io.StringIO())


def dump_all_rows():
    """Every column of every row the seed touches, timestamps included."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values()) for model in DUMPED_MODELS
    }


def dump_content():
    """The seeded content by natural keys (no primary keys), to compare separate runs."""
    return {
        "users": list(
            User.objects.order_by("email").values_list(
                "email", "full_name", "language", "password", "date_joined"
            )
        ),
        "calls": list(
            Call.objects.order_by("slug").values_list(
                "slug", "state", "opens_at", "closes_at", "created_at", "last_sequence"
            )
        ),
        "applications": list(
            Application.objects.order_by("reference").values_list(
                "reference",
                "owner__email",
                "state",
                "track__key",
                "topic__slug",
                "title",
                "summary",
                "requested_amount",
                "created_at",
                "updated_at",
                "submitted_at",
                "ineligibility_reasons",
            )
        ),
        "answers": list(
            Answer.objects.order_by("application__reference", "question__key").values_list(
                "application__reference", "question__key", "text"
            )
        ),
        "milestones": list(
            PlannedMilestone.objects.order_by("application__reference", "position").values_list(
                "application__reference", "position", "title", "month", "hours"
            )
        ),
        "team": list(
            TeamMember.objects.order_by("application__reference", "email").values_list(
                "application__reference", "email", "name", "invited_at"
            )
        ),
        "requests": list(
            InformationRequest.objects.order_by("application__reference").values_list(
                "application__reference", "question", "asked_at", "answered_at", "due_on"
            )
        ),
        "log": sorted(
            TransitionLog.objects.values_list(
                "content_type__model", "action", "from_state", "to_state", "created_at", "note"
            )
        ),
        "assignments": sorted(
            Assignment.objects.values_list(
                "application__reference", "juror__email", "confirmed_at", "released_at"
            )
        ),
        "conflicts": sorted(
            ConflictOfInterest.objects.values_list(
                "application__reference", "juror__email", "status", "kind", "note"
            )
        ),
        "scores": sorted(
            Score.objects.values_list(
                "review__assignment__application__reference",
                "review__assignment__juror__email",
                "review__state",
                "criterion__name_en",
                "value",
                "not_applicable",
            )
        ),
    }


def calls_by_state():
    """The three one-stage calls (the two-stage pair has its own test)."""
    return {call.state: call for call in Call.objects.filter(stage=CallStage.SINGLE)}


@pytest.mark.django_db
def test_seeding_writes_the_same_content_every_time_and_again_changes_no_row():
    """A fresh database gets the same content every time; seeding it again leaves every
    row as it was; and `manage.py flush` (as every transactional test does) removes the
    migration's role groups, which seeding makes again. One test, because each seed of the
    demo takes a quarter of a minute."""
    with transaction.atomic():
        seed()
        first = dump_content()
        transaction.set_rollback(True)
    assert Application.objects.count() == 0
    Group.objects.all().delete()

    seed()

    assert dump_content() == first
    assert sorted(Group.objects.values_list("name", flat=True)) == sorted(Role.values)
    assert list(
        User.objects.get(email="staff@demo.example").groups.values_list("name", flat=True)
    ) == ["staff"]
    once = dump_all_rows()

    seed()

    assert dump_all_rows() == once
    assert len(once["grants.Application"]) == 34  # 5 of the two-stage round
    assert len(once["workflow.TransitionLog"]) > len(once["grants.Application"])


@pytest.mark.django_db
def test_realistic_size_puts_300_applications_in_the_call_in_review():
    seed("realistic")
    calls = calls_by_state()

    current = Counter(calls[CallState.IN_REVIEW].applications.values_list("state", flat=True))
    assert sum(current.values()) == 300
    assert current == {
        "submitted": 35,
        "eligible": 45,
        "in_review": 60,
        "reviewed": 110,
        "ineligible": 35,
        "withdrawn": 15,
    }
    assert calls[CallState.DECIDED].applications.count() == 120
    assert calls[CallState.ARCHIVED].applications.count() == 30
    assert_older_projects_completed(calls[CallState.ARCHIVED])
    assert calls[CallState.OPEN].applications.count() == 40
    assert User.objects.filter(email__regex=r"^applicant\d{3}@demo\.example$").count() == 300
    assert_funded_projects_at_every_stage(calls[CallState.DECIDED])
    assert_references_and_sequences()
    assert_submitted_applications_are_complete()
    assert_timelines_lead_to_the_current_state()
    check_realistic_jury_demo(calls)


def assert_references_and_sequences():
    for call in Call.objects.all():
        references = list(call.applications.values_list("reference", flat=True))
        sequences = []
        for reference in references:
            match = REFERENCE.fullmatch(reference)
            assert match is not None, reference
            assert (int(match.group(1)), int(match.group(2))) == (call.year, call.round_number)
            sequences.append(int(match.group(3)))
        assert sorted(sequences) == list(range(1, len(references) + 1))
        assert call.last_sequence == max(sequences)
    assert Application.objects.values("reference").distinct().count() == Application.objects.count()


def assert_submitted_applications_are_complete():
    applications = (
        Application.objects.exclude(state=ApplicationState.DRAFT)
        .select_related("call")
        .prefetch_related("planned_milestones", "team_members")
    )
    errors = {a.reference: completeness_errors(a) for a in applications}
    assert {reference: e for reference, e in errors.items() if e} == {}
    for application in applications:
        assert application.budget()["requested"] == application.requested_amount
        assert application.total_hours == sum(m.hours for m in application.planned_milestones.all())
        assert application.submitted_at < application.call.closes_at
    decided = Call.objects.filter(state__in=(CallState.DECIDED, CallState.ARCHIVED))
    for call in decided.exclude(stage=CallStage.CONCEPT):  # a concept call has no budget
        committed = call.applications.filter(state__in=["approved", "funded"])
        assert sum(a.requested_amount for a in committed) <= call.budget


def assert_timelines_lead_to_the_current_state():
    now = timezone.now()
    logs = {}
    for entry in TransitionLog.objects.filter(content_type__model="application").order_by(
        "created_at", "pk"
    ):
        logs.setdefault(entry.object_id, []).append(entry)
    for application in Application.objects.all():
        entries = logs[application.pk]
        assert entries[0].action == "grants.application.created"
        assert entries[0].created_at == application.created_at
        state = ""
        for entry in entries:
            assert entry.from_state == state or (state == "draft" and entry.from_state == "")
            state = entry.to_state
            assert entry.created_at <= now
            assert entry.action.startswith("grants.application.")
        assert state == application.state
        assert application.updated_at <= now
    open_requests = InformationRequest.objects.filter(answered_at__isnull=True)
    assert all(r.application.state == ApplicationState.SUBMITTED for r in open_requests)


def declared_transitions():
    """(action, from, to) of every transition any workflow model declares."""
    return {
        (transition_custom(model, transition.name)["action"], transition.source, transition.target)
        for model in workflow_models()
        for transition in state_field(model).get_all_transitions(model)
    }


@pytest.mark.django_db
def test_the_story_is_told_through_the_services(django_capture_on_commit_callbacks):
    with (
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks() as callbacks,
    ):
        seed()

    # The log is append-only: written when things happened, never corrected afterwards.
    rewrites = [
        query["sql"]
        for query in queries
        if query["sql"].startswith(
            ('UPDATE "grants_transitionlog"', 'DELETE FROM "grants_transitionlog"')
        )
    ]
    assert rewrites == []
    times = list(TransitionLog.objects.order_by("pk").values_list("created_at", flat=True))
    assert times == sorted(times)
    # Every state change was made by a declared transition (fire_transition logs the action
    # declared on it), and every action has a label.
    changes = set(
        TransitionLog.objects.exclude(from_state="")
        .exclude(from_state=models.F("to_state"))
        .values_list("action", "from_state", "to_state")
    )
    assert changes <= declared_transitions()
    assert {action for action, *_ in changes} >= {
        "grants.call.opened",
        "grants.application.submitted",
        "grants.application.withdrawn",
        "grants.application.screened_eligible",
        "grants.application.screened_ineligible",
        "grants.application.review_started",
        "grants.application.review_closed",
        "grants.application.reviews_completed",
        "grants.application.approved",
        "grants.application.waitlisted",
        "grants.application.rejected",
        "grants.application.agreement_signed",
        "review.jury.scoring_started",
        "review.jury.discussion_started",
        "review.jury.closed",
        "review.review.submitted",
    }
    actions = set(TransitionLog.objects.values_list("action", flat=True))
    assert {action for action in actions if action_label(action) == action} == set()
    # Nobody is e-mailed about the past.
    assert callbacks == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("setting", "command", "args"),
    [
        ("DEMO_PASSWORD", "seed_demo", ["--size", "small"]),
        ("DEMO_TOTP_SECRET", "seed_demo", ["--size", "small"]),
        ("DEMO_PASSWORD", "demo", ["--size", "small"]),
        ("DEMO_TOTP_SECRET", "demo", ["--size", "small"]),
        ("DEMO_TOTP_SECRET", "demo_totp", ["staff@demo.example"]),
    ],
)
def test_demo_commands_refuse_production_like_settings(settings, setting, command, args):
    setattr(settings, setting, None)

    with pytest.raises(CommandError, match="production"):
        call_command(command, *args, stdout=io.StringIO())

    assert User.objects.count() == 0
    assert Call.objects.count() == 0


@pytest.mark.django_db
def test_demo_migrates_seeds_and_prints_the_logins_before_serving(monkeypatch):
    served = []
    monkeypatch.setattr(DemoCommand, "serve", lambda self, address: served.append(address))
    out = io.StringIO()

    call_command("demo", "--size", "small", stdout=out)

    assert served == ["127.0.0.1:8000"]
    # 29 in the one-stage calls, 4 concepts and 1 full proposal in the two-stage round
    assert Application.objects.count() == 34
    text = out.getvalue()
    assert "password for all: demo-fund-2026" in text
    for account in DEMO_ACCOUNTS:
        assert account.email in text
    assert "manage.py demo_totp staff@demo.example" in text
    assert "http://127.0.0.1:8000/" in text
    assert "Signing up: the verification link is in the e-mail printed below" in text


def assert_funded_projects_at_every_stage(call):
    """About 25 grants in the past call: running on time and late, with changes requested,
    paid, completed with final reports, one declined, one terminated; real work for staff
    and for the demo applicant."""
    states = Counter(
        Grant.objects.filter(application__call=call).values_list("application__state", flat=True)
    )
    assert 22 <= sum(states.values()) <= 28
    assert states["withdrawn"] == 1 and states["terminated"] == 1
    assert states["funded"] >= 5 and states["completed"] >= 4 and states["final_report_due"] >= 4
    assert call.applications.filter(state="approved", grant__isnull=True).count() == 1
    milestones = Counter(Milestone.objects.values_list("state", flat=True))
    assert {
        "planned",
        "report_submitted",
        "changes_requested",
        "accepted",
        "paid",
        "cancelled",
    } <= set(milestones)
    today = timezone.localdate()
    assert Milestone.objects.filter(
        state="planned", due_on__lt=today, grant__application__state="funded"
    ).exists()
    assert ChangeRequest.objects.filter(state="pending").count() == 1
    assert FinalReport.objects.filter(state="submitted").exists()
    assert set(Payment.objects.values_list("kind", flat=True)) == {"released", "paid"}
    assert ReportLink.objects.filter(kind="repository").exclude(licence="").exists()
    assert GovernmentCollaboration.objects.exists()
    for grant in Grant.objects.filter(accepted_at__isnull=False):
        assert sum(m.amount for m in grant.milestones.all()) == grant.amount
    lena = Grant.objects.get(application__owner__email="applicant@demo.example")
    assert lena.application.state == "funded"
    due_soon = lena.milestones.get(state="planned", due_on__lte=today + timezone.timedelta(days=7))
    assert due_soon.due_on >= today
    assert lena.milestones.filter(state="paid").exists()
    assert_money_with_four_eyes(call)


def assert_money_with_four_eyes(call):
    """Every payment went through a transfer file made and recorded by Mara (finance),
    never by Jonas, who released them and confirmed the accounts; one grantee changed
    their account two days ago, so their grant is on hold for finance to call back."""
    from grants.models import BankDetailsCheck, SepaBatch, SepaBatchItem

    paid = Payment.objects.filter(kind="paid", grant__application__call=call)
    assert paid.exists()
    assert set(paid.values_list("created_by__email", flat=True)) == {"finance@demo.example"}
    released = Payment.objects.filter(kind="released", grant__application__call=call)
    assert set(released.values_list("created_by__email", flat=True)) == {"staff@demo.example"}
    items = SepaBatchItem.objects.filter(payment__grant__application__call=call)
    assert set(items.values_list("payment_id", flat=True)) == set(
        released.filter(milestone__state="paid").values_list("pk", flat=True)
    )
    assert set(SepaBatch.objects.values_list("state", "created_by__email")) == {
        ("paid", "finance@demo.example")
    }
    confirmed = BankDetailsCheck.objects.filter(state="confirmed")
    assert set(confirmed.values_list("confirmed_by__email", flat=True)) == {"staff@demo.example"}
    (held,) = BankDetailsCheck.objects.filter(state="pending", grant__application__call=call)
    assert held.reason == "change"
    assert held.grant.payments.filter(kind="released", milestone__state="accepted").exists()


def assert_older_projects_completed(call):
    """The older call's grants have all ended: completed with accepted final reports, some
    after late milestone reports; every milestone paid."""
    grants = Grant.objects.filter(application__call=call)
    assert Counter(grants.values_list("application__state", flat=True)) == {"completed": 6}
    assert set(Milestone.objects.filter(grant__in=grants).values_list("state", flat=True)) == {
        "paid"
    }
    assert FinalReport.objects.filter(grant__in=grants, state="accepted").count() == 6
    late = [
        m
        for m in Milestone.objects.filter(grant__in=grants)
        if timezone.localdate(m.first_reported_at) > m.due_on
    ]
    assert late
