"""Conflicts of interest: suggestions from e-mail domains and family names, declarations
and dismissals, and what they do to assignments."""

import pytest
from django.contrib.contenttypes.models import ContentType

from core.errors import WorkflowError
from grants.models import TeamMember
from grants.states import ApplicationState as S
from review.models import Assignment, ConflictOfInterest, Jury
from review.services.conflicts import (
    declare_conflict,
    dismiss_suggestion,
    family_name,
    suggest_conflicts,
    suggestion_reasons,
)
from review.states import ConflictKind, ConflictStatus, JuryPhase
from tests.factories import make_user
from tests.review.helpers import assign, in_review, make_juror, make_jury
from workflow.models import TransitionLog

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Prof. Dr. Tobias Hartmann", "hartmann"),
        ("Konstantin WOLF", "wolf"),
        ("Jan-Erik Sørensen", "sørensen"),
        ("dr. med. Lukas Brandt", "brandt"),
        ("", ""),
        ("Dr.", ""),
        ("Ada Augusta King Lovelace", "lovelace"),
    ],
)
def test_family_names(name, expected):
    assert family_name(name) == expected


def test_a_jury_without_jurors_suggests_nothing():
    jury = make_jury(phase=JuryPhase.PREPARATION)
    in_review(jury.call, owner=make_user(full_name="Ada Hartmann"))

    assert suggest_conflicts(jury=jury) == 0
    assert not ConflictOfInterest.objects.exists()
    assert not TransitionLog.objects.exists()


def test_suggestion_reasons():
    juror = make_user(email="t.hartmann@uni-kiel.de", full_name="Prof. Tobias Hartmann")

    assert suggestion_reasons(juror, [("Ada Hartmann", "ada@example.org")]) == {
        "names": ["Ada Hartmann"]
    }
    assert suggestion_reasons(juror, [("Bob Stone", "bob@UNI-KIEL.DE")]) == {
        "domain": "uni-kiel.de"
    }
    assert suggestion_reasons(juror, [("Bob Stone", "bob@kiel.de")]) == {}
    # Public mail providers say nothing about organisations.
    freemail = make_user(email="tobias@gmail.com", full_name="Tobias Klein")
    assert suggestion_reasons(freemail, [("Bob Stone", "bob@gmail.com")]) == {}


def test_suggest_conflicts_from_owners_and_team_members_once():
    jury = make_jury(phase=JuryPhase.PREPARATION)
    juror = make_juror(jury, email="t.hartmann@uni-kiel.de", full_name="Prof. Tobias Hartmann")
    by_name = in_review(jury.call, owner=make_user(full_name="Ada Hartmann"))
    by_domain = in_review(jury.call)
    TeamMember.objects.create(application=by_domain, email="kim@uni-kiel.de", name="Kim Lee")
    in_review(jury.call)  # unrelated
    in_review(
        jury.call, state=S.SUBMITTED, owner=make_user(full_name="Eve Hartmann")
    )  # not screened yet

    assert suggest_conflicts(jury=jury) == 2
    assert suggest_conflicts(jury=jury) == 0

    rows = {
        c.application_id: (c.status, c.reasons)
        for c in ConflictOfInterest.objects.filter(juror=juror)
    }
    assert rows == {
        by_name.pk: (ConflictStatus.SUGGESTED, {"names": ["Ada Hartmann"]}),
        by_domain.pk: (ConflictStatus.SUGGESTED, {"domain": "uni-kiel.de"}),
    }
    assert TransitionLog.objects.get().data == {"count": 2, "hard": 0, "released": 0}


@pytest.mark.parametrize("size", [1, 5])
def test_suggestions_cost_a_fixed_number_of_queries(django_assert_num_queries, size):
    jury = make_jury()
    for number in range(3):
        make_juror(jury, full_name=f"Juror Number{number}")
    for number in range(size):
        in_review(
            jury.call,
            owner=make_user(full_name=f"Owner Person{number}"),
            members=[f"m{number}@example.org"],
        )
    in_review(jury.call, owner=make_user(full_name="Owner Number1"))

    ContentType.objects.get_for_model(Jury)  # cached for the log, as in a running server
    # Savepoint, jury lock, members, applications, team members, their verified addresses,
    # existing rows; then insert, log, release.
    with django_assert_num_queries(10):
        assert suggest_conflicts(jury=jury) == 1


def test_declaring_releases_the_assignment_and_logs():
    jury = make_jury()
    juror = make_juror(jury)
    application = in_review(jury.call)
    assign(juror, application)

    conflict = declare_conflict(
        application_id=application.pk,
        actor=juror,
        kind=ConflictKind.COLLEAGUE,
        note=" Worked together. ",
    )

    assert (conflict.status, conflict.kind, conflict.note) == (
        ConflictStatus.DECLARED,
        "colleague",
        "Worked together.",
    )
    assignment = Assignment.objects.get()
    assert assignment.released_at is not None
    assert assignment.release_reason == "conflict of interest"
    entry = TransitionLog.objects.get()
    assert entry.action == "review.jury.conflict_declared"
    assert entry.data == {"application": application.reference, "kind": "colleague", "released": 1}


def test_confirming_a_suggestion_turns_it_into_a_declaration():
    jury = make_jury()
    juror = make_juror(jury)
    application = in_review(jury.call)
    ConflictOfInterest.objects.create(
        juror=juror,
        application=application,
        status=ConflictStatus.SUGGESTED,
        reasons={"names": ["X"]},
    )

    declare_conflict(application_id=application.pk, actor=juror, kind=ConflictKind.PERSONAL)

    assert ConflictOfInterest.objects.get().status == ConflictStatus.DECLARED
    with pytest.raises(WorkflowError, match="already declared"):
        declare_conflict(application_id=application.pk, actor=juror, kind=ConflictKind.PERSONAL)


@pytest.mark.parametrize(
    ("kind", "note", "field", "message"),
    [
        ("", "", "kind", "Choose the kind of conflict."),
        ("nonsense", "", "kind", "Choose the kind of conflict."),
        (ConflictKind.OTHER, "  ", "note", "Describe the conflict in the note."),
        (ConflictKind.COLLEAGUE, "x" * 2001, "note", "At most 2000 characters."),
    ],
)
def test_bad_declarations(kind, note, field, message):
    jury = make_jury()
    juror = make_juror(jury)
    application = in_review(jury.call)

    with pytest.raises(WorkflowError) as refusal:
        declare_conflict(application_id=application.pk, actor=juror, kind=kind, note=note)

    assert refusal.value.field_errors == {field: [message]}
    assert not ConflictOfInterest.objects.exists()


def test_a_note_of_2000_characters_is_kept():
    jury = make_jury()
    juror = make_juror(jury)
    application = in_review(jury.call)

    declare_conflict(
        application_id=application.pk, actor=juror, kind=ConflictKind.COLLEAGUE, note="x" * 2000
    )

    assert ConflictOfInterest.objects.get().note == "x" * 2000


@pytest.mark.parametrize("case", ["not_on_jury", "closed", "draft", "unknown"])
def test_declarations_outside_ones_jury_are_refused(case):
    jury = make_jury()
    juror = make_juror(jury)
    application = in_review(jury.call)
    actor = juror
    application_id = application.pk
    if case == "not_on_jury":
        actor = make_juror(make_jury())
    elif case == "closed":
        type(jury).objects.filter(pk=jury.pk).update(phase=JuryPhase.CLOSED)
    elif case == "draft":
        application_id = in_review(jury.call, state=S.DRAFT).pk
    else:
        application_id = 10**9

    with pytest.raises(WorkflowError):
        declare_conflict(
            application_id=application_id, actor=actor, kind=ConflictKind.OTHER, note="n"
        )

    assert not ConflictOfInterest.objects.exists()


def test_dismissing_a_suggestion():
    jury = make_jury()
    juror = make_juror(jury)
    application = in_review(jury.call)
    suggestion = ConflictOfInterest.objects.create(
        juror=juror, application=application, status=ConflictStatus.SUGGESTED
    )

    with pytest.raises(WorkflowError):
        dismiss_suggestion(conflict_id=suggestion.pk, actor=make_juror(jury))
    dismiss_suggestion(conflict_id=suggestion.pk, actor=juror)

    suggestion.refresh_from_db()
    assert suggestion.status == ConflictStatus.DISMISSED
    with pytest.raises(WorkflowError, match="decided already"):
        dismiss_suggestion(conflict_id=suggestion.pk, actor=juror)
