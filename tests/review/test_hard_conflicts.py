"""Issue 15, item 4: a juror never scores their own application. The applicant and the
verified team members of an application are in a conflict of interest with it that nobody
can dismiss: recorded when a juror is added or joins, before a hand assignment and before
the solver runs; the juror audience holds it even before it is recorded."""

import datetime as dt
import importlib

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps as django_apps
from django.urls import reverse

from core.errors import WorkflowError
from grants.models import TeamMember
from grants.visibility import APPLICATIONS
from review.maths.assignment import Problem
from review.models import Assignment, ConflictOfInterest, JuryMember, Review
from review.services.assignment import change_assignment, propose_assignment
from review.services.conflicts import declare_conflict, dismiss_suggestion, suggest_conflicts
from review.services.jury import add_juror, join_juries_on_confirmed_email
from review.states import ConflictKind, ConflictStatus, JuryPhase
from tests.accounts.helpers import sign_in
from tests.accounts.visibility import seen_by_rule_and_by_selector
from tests.factories import make_user
from tests.review.helpers import assign, conflict, in_review, make_juror, make_jury, scored
from workflow.models import TransitionLog

pytestmark = pytest.mark.django_db

HARD_REFUSAL = (
    "This is your own application or one whose team you are on: a conflict of interest "
    "that cannot be dismissed."
)


def hard_rows(jury):
    return {
        (row.juror_id, row.application_id): (row.status, row.kind, row.reasons)
        for row in ConflictOfInterest.objects.filter(application__call=jury.call)
        if row.status == ConflictStatus.HARD
    }


def snapshot():
    """Everything a refused request must leave as it was."""
    return (
        list(Assignment.objects.order_by("pk").values()),
        list(Review.objects.order_by("pk").values()),
        list(ConflictOfInterest.objects.order_by("pk").values()),
        list(TransitionLog.objects.order_by("pk").values_list("pk", "action")),
    )


def owner(name):
    return make_user(full_name=name)


@pytest.fixture
def world():
    """A juror, Tina Berger (tina@uni.example, verified; also tina@old.example, not verified),
    who applied herself and is on another team."""
    jury = make_jury(phase=JuryPhase.PREPARATION)
    tina = make_juror(jury, full_name="Tina Berger", email="tina@uni.example")
    EmailAddress.objects.create(user=tina, email="tina@old.example", verified=False)
    others = [make_juror(jury, full_name=f"Juror Number{n}") for n in range(3)]
    own = in_review(jury.call, owner=tina, title="Tina's own")
    team = in_review(jury.call, title="Tina on the team", owner=owner("Kai Team"))
    TeamMember.objects.create(application=team, name="Tina Berger", email="TINA@uni.example")
    unverified = in_review(jury.call, title="An old address", owner=owner("Lea Old"))
    TeamMember.objects.create(application=unverified, name="T. B.", email="tina@old.example")
    plain = in_review(jury.call, title="Unrelated", owner=owner("Mo Plain"))
    return jury, tina, others, own, team, unverified, plain


# Recording -------------------------------------------------------------------------------


def test_owner_and_verified_team_member_are_recorded_as_hard_conflicts(world):
    jury, tina, _others, own, team, unverified, _plain = world
    # Before this rule: a family-name suggestion she dismissed, and a confirmed assignment.
    ConflictOfInterest.objects.create(
        juror=tina, application=own, status=ConflictStatus.DISMISSED, reasons={"names": ["x"]}
    )
    review = assign(tina, team)

    assert suggest_conflicts(jury=jury) == 2  # one row added, the dismissed one made hard

    assert hard_rows(jury) == {
        (tina.pk, own.pk): (ConflictStatus.HARD, ConflictKind.OWN, {"own": "owner"}),
        (tina.pk, team.pk): (ConflictStatus.HARD, ConflictKind.OWN, {"own": "team"}),
    }
    # An address she has not verified proves nothing: at most a suggestion.
    assert not ConflictOfInterest.objects.filter(
        juror=tina, application=unverified, status=ConflictStatus.HARD
    ).exists()
    assignment = Assignment.objects.get(pk=review.assignment_id)
    assert (assignment.released_at is not None, assignment.release_reason) == (
        True,
        "conflict of interest",
    )
    entry = TransitionLog.objects.get(action="review.jury.conflicts_suggested")
    assert entry.data == {"count": 0, "hard": 2, "released": 1}
    # Computing again changes nothing.
    assert suggest_conflicts(jury=jury) == 0


def test_adding_a_juror_records_their_conflicts_at_once(staff):
    jury = make_jury(phase=JuryPhase.PREPARATION)
    person = make_user(full_name="Ada Lovelace", email="ada@uni.example")
    own = in_review(jury.call, owner=person)
    same_name = in_review(jury.call, owner=make_user(full_name="Byron Lovelace"))

    add_juror(jury=jury, actor=staff, email="ada@uni.example")

    rows = {
        row.application_id: row.status for row in ConflictOfInterest.objects.filter(juror=person)
    }
    assert rows == {own.pk: ConflictStatus.HARD, same_name.pk: ConflictStatus.SUGGESTED}


def test_an_invited_juror_who_joins_gets_their_conflicts(staff):
    jury = make_jury(phase=JuryPhase.PREPARATION)
    add_juror(jury=jury, actor=staff, email="new@uni.example")
    team = in_review(jury.call, members=["new@uni.example"])
    person = make_user(email="new@uni.example")

    join_juries_on_confirmed_email(email_address=EmailAddress.objects.get(user=person))

    assert JuryMember.objects.get().user == person
    assert hard_rows(jury) == {
        (person.pk, team.pk): (ConflictStatus.HARD, ConflictKind.OWN, {"own": "team"})
    }


def test_a_juror_confirming_a_team_address_later_is_conflicted_from_then_on(world):
    jury, tina, _others, _own, _team, unverified, _plain = world
    review = assign(tina, unverified)
    address = EmailAddress.objects.get(email="tina@old.example")
    address.verified = True
    address.save()

    join_juries_on_confirmed_email(email_address=address)

    assert hard_rows(jury)[(tina.pk, unverified.pk)][2] == {"own": "team"}
    assert Assignment.objects.get(pk=review.assignment_id).released_at is not None


# Dismissing and declaring ----------------------------------------------------------------


def test_a_hard_conflict_cannot_be_dismissed(world):
    jury, tina, _others, own, _team, _unverified, _plain = world
    suggest_conflicts(jury=jury)
    row = ConflictOfInterest.objects.get(juror=tina, application=own)
    before = snapshot()

    with pytest.raises(WorkflowError) as refusal:
        dismiss_suggestion(conflict_id=row.pk, actor=tina)

    assert refusal.value.message == HARD_REFUSAL
    assert snapshot() == before


def test_a_family_name_suggestion_on_ones_own_application_cannot_be_dismissed(world):
    """The reported hole: the suggestion was there before the hard conflict was recorded."""
    _jury, tina, _others, own, _team, _unverified, _plain = world
    row = ConflictOfInterest.objects.create(
        juror=tina,
        application=own,
        status=ConflictStatus.SUGGESTED,
        reasons={"names": ["Tina Berger"]},
    )
    before = snapshot()

    with pytest.raises(WorkflowError) as refusal:
        dismiss_suggestion(conflict_id=row.pk, actor=tina)

    assert refusal.value.message == HARD_REFUSAL
    assert snapshot() == before


def test_a_hard_conflict_is_not_turned_into_a_declaration(world):
    jury, tina, _others, own, _team, _unverified, _plain = world
    suggest_conflicts(jury=jury)
    before = snapshot()

    with pytest.raises(WorkflowError) as refusal:
        declare_conflict(application_id=own.pk, actor=tina, kind=ConflictKind.COLLEAGUE)

    assert refusal.value.message == HARD_REFUSAL
    assert snapshot() == before


# Automatic assignment --------------------------------------------------------------------


def test_the_solver_never_assigns_an_own_application(staff, world):
    jury, tina, others, own, team, _unverified, _plain = world
    # A dismissed suggestion from before the rule, and a confirmed assignment to her own.
    ConflictOfInterest.objects.create(
        juror=tina, application=team, status=ConflictStatus.DISMISSED, reasons={"names": ["x"]}
    )
    kept = assign(tina, own)

    figures = propose_assignment(jury=jury, actor=staff)

    active = set(
        Assignment.objects.filter(released_at__isnull=True).values_list(
            "application_id", "juror_id"
        )
    )
    assert (own.pk, tina.pk) not in active and (team.pk, tina.pk) not in active
    assert Assignment.objects.get(pk=kept.assignment_id).release_reason == "conflict of interest"
    assert figures["kept"] == 0 and figures["missing"] == 0
    assert len(active) == 4 * 3


def test_the_solver_refuses_a_kept_pair_that_is_also_excluded():
    with pytest.raises(ValueError, match="also excluded"):
        Problem(
            applications=[1],
            jurors=["a", "b"],
            per_application=1,
            excluded=frozenset({(1, "a")}),
            fixed=frozenset({(1, "a")}),
        )


# Hand assignment -------------------------------------------------------------------------


def test_a_hand_assignment_to_ones_own_application_is_refused_and_changes_nothing(
    staff, world, mailoutbox
):
    jury, tina, _others, own, _team, _unverified, _plain = world
    suggest_conflicts(jury=jury)  # as when she was added
    before = snapshot()

    with pytest.raises(WorkflowError) as refusal:
        change_assignment(jury=jury, application_id=own.pk, actor=staff, add_juror_id=tina.pk)

    assert refusal.value.message == (
        "Tina Berger is the applicant or a team member of this application: a conflict of "
        "interest that cannot be dismissed."
    )
    assert snapshot() == before
    assert mailoutbox == []


def test_a_hand_assignment_computes_the_conflicts_first(staff, world):
    """A juror added before the rule has no conflict row: the hand assignment finds it."""
    jury, tina, _others, _own, team, _unverified, _plain = world
    type(jury).objects.filter(pk=jury.pk).update(phase=JuryPhase.SCORING)
    assignments = list(Assignment.objects.values())

    with pytest.raises(WorkflowError, match="cannot be dismissed"):
        change_assignment(jury=jury, application_id=team.pk, actor=staff, add_juror_id=tina.pk)

    assert list(Assignment.objects.values()) == assignments
    assert not TransitionLog.objects.filter(action="review.jury.assignment_changed").exists()
    assert (tina.pk, team.pk) in hard_rows(jury)


def test_the_assignment_page_refuses_it_with_the_reason(client, staff, world):
    jury, tina, _others, own, _team, _unverified, _plain = world
    sign_in(client, staff)

    response = client.post(
        reverse("staff_assignment_change", kwargs={"slug": jury.call.slug}),
        {"application": own.pk, "add": tina.pk},
    )

    text = response.content.decode()
    assert response.status_code == 200
    assert "Tina Berger is the applicant or a team member of this application" in text
    assert '<span class="badge badge-conflict">2 own applications or teams</span>' in text
    assert not Assignment.objects.exists()


# What the juror sees ---------------------------------------------------------------------


def test_the_juror_audience_holds_the_hard_conflict_before_it_is_recorded(world):
    """Assigned to everything, with no conflict rows (or a dismissed one): Tina still never
    sees her own or her team's application as a juror, nor may she write their reviews."""
    jury, tina, _others, own, team, unverified, plain = world
    type(jury).objects.filter(pk=jury.pk).update(phase=JuryPhase.SCORING)
    reviews = {
        application.pk: assign(tina, application) for application in (own, team, unverified, plain)
    }
    conflict(tina, team, status=ConflictStatus.DISMISSED)
    applications = [own, team, unverified, plain]

    by_rule, by_selector = seen_by_rule_and_by_selector(
        APPLICATIONS,
        tina,
        applications,
        only="juror",
        permission="review.view_application_as_juror",
    )

    assert by_rule == by_selector == {unverified.pk, plain.pk}
    writable = {
        pk for pk, review in reviews.items() if tina.has_perm("review.write_review", review)
    }
    assert writable == {unverified.pk, plain.pk}
    # As the applicant she still sees her own application.
    assert APPLICATIONS.sees(tina, own) is True


def test_the_juror_sees_the_hard_conflict_labelled_in_english_and_german(client, world):
    jury, tina, _others, own, team, _unverified, _plain = world
    row = ConflictOfInterest.objects.create(
        juror=tina, application=own, status=ConflictStatus.SUGGESTED, reasons={"names": ["x"]}
    )
    url = reverse("jury_conflicts", kwargs={"slug": jury.call.slug})
    sign_in(client, tina)

    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    german = client.get(url, HTTP_ACCEPT_LANGUAGE="de").content.decode()

    label = '<strong class="badge badge-conflict">Own application or team member</strong>'
    assert english.count(label) == 2  # her own and her team's
    assert "a conflict of interest that cannot be dismissed" in english
    # Not offered for dismissal, although the row is a suggestion from before the rule.
    assert reverse("jury_conflict_dismiss", args=[jury.call.slug, row.pk]) not in english
    assert "Suggested conflicts to confirm or dismiss" not in english
    assert (
        german.count(
            '<strong class="badge badge-conflict">Eigener Antrag oder Teammitglied</strong>'
        )
        == 2
    )
    assert "ein Interessenkonflikt, der nicht verworfen werden kann" in german


def test_staff_see_the_hard_conflicts_when_adding_and_on_the_jurors_page(client, staff):
    jury = make_jury(phase=JuryPhase.PREPARATION)
    person = make_user(full_name="Ada Lovelace", email="ada@uni.example")
    own = in_review(jury.call, owner=person, reference="CTF-2026-1-0007")
    sign_in(client, staff)

    response = client.post(
        reverse("staff_jury_members", kwargs={"slug": jury.call.slug}),
        {"email": "ada@uni.example"},
        follow=True,
    )

    text = response.content.decode()
    assert (
        "ada@uni.example is the applicant or a team member of CTF-2026-1-0007: a conflict of "
        "interest that cannot be dismissed. They will never be assigned to it."
    ) in text
    assert (
        '<strong class="badge badge-conflict">1 own application or team membership '
        "(cannot be dismissed)</strong>"
    ) in text
    assert ConflictOfInterest.objects.get(application=own).status == ConflictStatus.HARD
    german = client.get(
        reverse("staff_jury_members", kwargs={"slug": jury.call.slug}), HTTP_ACCEPT_LANGUAGE="de"
    ).content.decode()
    assert "1 eigener Antrag oder Teammitgliedschaft (kann nicht verworfen werden)" in german


# Existing data ---------------------------------------------------------------------------


def test_the_migration_records_hard_conflicts_of_open_juries(world):
    jury, tina, _others, own, team, _unverified, _plain = world
    review = assign(tina, own)
    scored(review, [9, 9, 5])
    closed = make_jury(phase=JuryPhase.CLOSED)
    make_juror_on(closed, tina)
    old_own = in_review(closed.call, owner=tina)
    migration = importlib.import_module("review.migrations.0003_conflict_hard_status")

    migration.record_hard_conflicts(django_apps, None)

    assert set(hard_rows(jury)) == {(tina.pk, own.pk), (tina.pk, team.pk)}
    assert Assignment.objects.get(pk=review.assignment_id).released_at is not None
    # A closed jury's record stays as it was.
    assert not ConflictOfInterest.objects.filter(application=old_own).exists()


def make_juror_on(jury, user):
    JuryMember.objects.create(jury=jury, user=user, email=user.email)


def test_a_hard_conflict_recorded_before_does_not_stop_the_suggestions_after_it():
    jury = make_jury(phase=JuryPhase.PREPARATION)
    tina = make_juror(jury, full_name="Tina Berger", email="tina@uni.example")
    own = in_review(jury.call, owner=tina)
    ConflictOfInterest.objects.create(
        juror=tina,
        application=own,
        status=ConflictStatus.HARD,
        kind=ConflictKind.OWN,
        reasons={"own": "owner"},
    )
    cousin = in_review(jury.call, owner=owner("Ada Berger"))
    # Applications come newest first: her own one (already hard) before her cousin's.
    type(cousin).objects.filter(pk=cousin.pk).update(created_at=own.created_at - dt.timedelta(1))

    assert suggest_conflicts(jury=jury) == 1

    suggestion = ConflictOfInterest.objects.get(juror=tina, application=cousin)
    assert (suggestion.status, suggestion.reasons) == (
        ConflictStatus.SUGGESTED,
        {"names": ["Ada Berger"]},
    )
