"""Staff compute, adjust and confirm the assignment; jurors are e-mailed their number of
applications and the due date (and nothing about applications they may not see)."""

import pytest

from core.errors import WorkflowError
from grants.states import ApplicationState as S
from review.models import Assignment, ConflictOfInterest, Review
from review.services.assignment import change_assignment, confirm_assignment, propose_assignment
from review.states import ConflictStatus, JuryPhase
from tests.factories import TopicFactory, make_user
from tests.review.helpers import assign, conflict, in_review, make_juror, make_jury
from workflow.models import TransitionLog

pytestmark = pytest.mark.django_db


def pairs(call):
    return set(
        Assignment.objects.filter(application__call=call, released_at__isnull=True).values_list(
            "application_id", "juror_id"
        )
    )


@pytest.fixture
def setting():
    jury = make_jury(phase=JuryPhase.PREPARATION)
    jurors = [make_juror(jury, full_name=f"Juror Number{n}") for n in range(4)]
    applications = [
        in_review(jury.call, owner=make_user(full_name=f"Owner Person{n}")) for n in range(6)
    ]
    return jury, jurors, applications


def test_proposal_gives_k_jurors_to_each_application_evenly_without_conflicts(staff, setting):
    jury, jurors, applications = setting
    conflict(jurors[0], applications[0])
    ConflictOfInterest.objects.create(
        juror=jurors[1], application=applications[1], status=ConflictStatus.SUGGESTED
    )
    in_review(jury.call, state=S.ELIGIBLE)  # not in review yet: not assigned

    figures = propose_assignment(jury=jury, actor=staff)

    proposed = pairs(jury.call)
    assert figures == {
        "proposed": 18,
        "kept": 0,
        "missing": 0,
        "groups": 1,
        "exchanges": 0,
        "preferred": 0,
    }
    assert len(proposed) == 18
    assert {app for app, _juror in proposed} == {a.pk for a in applications}
    assert (applications[0].pk, jurors[0].pk) not in proposed
    assert (applications[1].pk, jurors[1].pk) not in proposed
    loads = sorted(sum(1 for _a, juror in proposed if juror == j.pk) for j in jurors)
    assert loads == [4, 4, 5, 5]
    assert not Assignment.objects.filter(confirmed_at__isnull=False).exists()
    assert (
        TransitionLog.objects.filter(action="review.jury.assignment_proposed").get().data == figures
    )


def test_preferred_topics_count_and_recomputing_replaces_the_proposal(staff, setting):
    jury, jurors, applications = setting
    topic = applications[0].topic
    jurors_member = jury.members.get(user=jurors[2])
    jurors_member.topics.set([topic])

    first = propose_assignment(jury=jury, actor=staff)
    second = propose_assignment(jury=jury, actor=staff)

    assert (
        first["preferred"] == second["preferred"] == 5
    )  # every application has this topic; juror 2 takes 5
    assert Assignment.objects.count() == 18


def test_confirmed_assignments_stay_and_count(staff, setting):
    jury, jurors, applications = setting
    kept = assign(jurors[3], applications[0])

    figures = propose_assignment(jury=jury, actor=staff)

    assert figures["kept"] == 1 and figures["proposed"] == 17
    assert Assignment.objects.get(pk=kept.assignment_id).confirmed_at is not None


def test_confirming_starts_scoring_creates_reviews_and_emails_counts(
    staff, setting, mailoutbox, django_capture_on_commit_callbacks
):
    jury, jurors, applications = setting
    propose_assignment(jury=jury, actor=staff)

    with django_capture_on_commit_callbacks(execute=True):
        count = confirm_assignment(jury=jury, actor=staff)

    jury.refresh_from_db()
    assert count == 18
    assert jury.phase == JuryPhase.SCORING
    assert Review.objects.count() == 18
    assert sorted(m.to[0] for m in mailoutbox) == sorted(j.email for j in jurors)
    message = next(m for m in mailoutbox if m.to == [jurors[0].email])
    load = Assignment.objects.filter(juror=jurors[0]).count()
    assert f"Applications of {jury.call.title} assigned to you: {load}." in message.body
    assert "Please submit your reviews by" in message.body
    # Counts and the due date only: no title or reference of any application.
    assert not any(
        a.reference in m.body or a.title in m.body for a in applications for m in mailoutbox
    )
    assert list(TransitionLog.objects.order_by("pk").values_list("action", flat=True)) == [
        "review.jury.assignment_proposed",
        "review.jury.scoring_started",
        "review.jury.assignment_confirmed",
    ]


def test_confirming_without_a_due_date_says_why_and_confirms_nothing(staff, setting):
    jury, _jurors, _applications = setting
    propose_assignment(jury=jury, actor=staff)
    type(jury).objects.filter(pk=jury.pk).update(due_on=None)
    jury.refresh_from_db()

    with pytest.raises(WorkflowError, match="set the date the reviews are due"):
        confirm_assignment(jury=jury, actor=staff)

    jury.refresh_from_db()
    assert jury.phase == JuryPhase.PREPARATION
    assert not Assignment.objects.filter(confirmed_at__isnull=False).exists()
    assert not Review.objects.exists()


def test_nothing_to_confirm(staff, setting):
    jury, _jurors, _applications = setting

    with pytest.raises(WorkflowError, match="There is no proposal to confirm"):
        confirm_assignment(jury=jury, actor=staff)


def test_changing_a_proposal_and_a_confirmed_assignment(
    staff, setting, mailoutbox, django_capture_on_commit_callbacks
):
    jury, jurors, applications = setting
    propose_assignment(jury=jury, actor=staff)
    target = applications[0]
    on_it = set(Assignment.objects.filter(application=target).values_list("juror_id", flat=True))
    off = next(j for j in jurors if j.pk not in on_it)
    first = next(iter(sorted(on_it)))

    change_assignment(
        jury=jury, application_id=target.pk, actor=staff, remove_juror_id=first, add_juror_id=off.pk
    )

    # A proposal nobody saw is simply replaced.
    assert not Assignment.objects.filter(application=target, juror_id=first).exists()
    assert Assignment.objects.get(application=target, juror=off).confirmed_at is None
    confirm_assignment(jury=jury, actor=staff)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        change_assignment(
            jury=jury,
            application_id=target.pk,
            actor=staff,
            remove_juror_id=off.pk,
            add_juror_id=first,
        )

    released = Assignment.objects.get(application=target, juror=off)
    assert released.released_at is not None and released.release_reason == "replaced by staff"
    added = Assignment.objects.get(application=target, juror_id=first)
    assert added.confirmed_at is not None and added.released_at is None
    assert Review.objects.filter(assignment=added).exists()
    assert [m.to for m in mailoutbox] == [[jurors[[j.pk for j in jurors].index(first)].email]]


@pytest.mark.parametrize(
    "case", ["conflicted", "not_a_juror", "already", "not_assigned", "nothing", "draft"]
)
def test_bad_changes_are_refused(staff, setting, case):
    jury, jurors, applications = setting
    assign(jurors[0], applications[0])
    kwargs = {"application_id": applications[0].pk, "add_juror_id": jurors[1].pk}
    if case == "conflicted":
        conflict(jurors[1], applications[0])
    elif case == "not_a_juror":
        kwargs["add_juror_id"] = make_juror().pk
    elif case == "already":
        kwargs["add_juror_id"] = jurors[0].pk
    elif case == "not_assigned":
        kwargs = {"application_id": applications[0].pk, "remove_juror_id": jurors[2].pk}
    elif case == "nothing":
        kwargs = {"application_id": applications[0].pk}
    else:
        kwargs["application_id"] = in_review(jury.call, state=S.DRAFT).pk
    before = set(Assignment.objects.values_list("pk", "juror_id", "released_at"))

    with pytest.raises(WorkflowError):
        change_assignment(jury=jury, actor=staff, **kwargs)

    assert set(Assignment.objects.values_list("pk", "juror_id", "released_at")) == before


def test_no_jurors_or_no_applications(staff):
    jury = make_jury(phase=JuryPhase.PREPARATION)
    with pytest.raises(WorkflowError, match="Add jurors"):
        propose_assignment(jury=jury, actor=staff)
    make_juror(jury)
    with pytest.raises(WorkflowError, match="No application is in review yet"):
        propose_assignment(jury=jury, actor=staff)


def test_only_staff_assign(setting):
    jury, jurors, _applications = setting
    with pytest.raises(WorkflowError):
        propose_assignment(jury=jury, actor=jurors[0])
    assert not Assignment.objects.exists()


def test_a_closed_jury_assigns_nothing(staff, setting):
    jury, _jurors, _applications = setting
    type(jury).objects.filter(pk=jury.pk).update(phase=JuryPhase.CLOSED)

    with pytest.raises(WorkflowError, match="closed"):
        propose_assignment(jury=jury, actor=staff)


def test_the_proposal_uses_preferred_topics_from_the_fund(staff, setting):
    jury, jurors, applications = setting
    other_topic = TopicFactory(fund=jury.call.fund, slug="civic-tech")
    jury.members.get(user=jurors[0]).topics.set([other_topic])

    assert propose_assignment(jury=jury, actor=staff)["preferred"] == 0
