"""A file answering a question of the call's form: stored through the one upload service,
replaced by the next one (the old file removed), taken off again; only by the draft's
owner, only for a file question of the draft's own call that is still asked."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.roles import Role
from core.errors import WorkflowError
from grants.models import Answer, Attachment, Question
from grants.services.answers import remove_answer_file, store_answer_file, write_answers
from grants.states import ApplicationState
from tests.factories import ApplicationFactory, CallFactory, make_user, set_state

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NOT_HERE = "This section may not be changed."


def pdf(name="plan.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def file_question(call, key="work-plan", **kwargs):
    return Question.objects.create(
        call=call, key=key, kind="file", label_de="Arbeitsplan", label_en="Work plan",
        position=8, **kwargs,
    )  # fmt: skip


@pytest.fixture
def draft():
    return ApplicationFactory(call=CallFactory())


def files_of(application):
    """(answer's file name, removed?) of every file stored for the draft, oldest first."""
    answered = set(
        Answer.objects.filter(application=application).values_list("attachment", flat=True)
    )
    return [
        (attachment.original_name, attachment.removed_at is not None, attachment.pk in answered)
        for attachment in Attachment.objects.filter(application=application).order_by("pk")
    ]


def test_a_file_answers_the_question_and_the_next_one_replaces_it(draft):
    question = file_question(draft.call)

    first = store_answer_file(
        application=draft, actor=draft.owner, question=question, uploaded_file=pdf("plan.pdf")
    )
    second = store_answer_file(
        application=draft, actor=draft.owner, question=question, uploaded_file=pdf("plan-2.pdf")
    )

    assert Answer.objects.get(application=draft, question=question).attachment == second
    assert first.pk != second.pk
    assert files_of(draft) == [("plan.pdf", True, False), ("plan-2.pdf", False, True)]


def test_taking_the_file_off_removes_it_and_twice_is_harmless(draft):
    question = file_question(draft.call)
    store_answer_file(application=draft, actor=draft.owner, question=question, uploaded_file=pdf())

    remove_answer_file(application=draft, actor=draft.owner, question=question)
    remove_answer_file(application=draft, actor=draft.owner, question=question)

    assert Answer.objects.get(application=draft, question=question).attachment is None
    assert files_of(draft) == [("plan.pdf", True, False)]


@pytest.mark.parametrize("case", ["other_call", "not_a_file", "eligibility", "removed"])
def test_only_a_file_question_of_the_drafts_call_still_asked_takes_a_file(draft, case):
    question = {
        "other_call": lambda: file_question(CallFactory()),
        "not_a_file": lambda: Question.objects.create(
            call=draft.call, key="motto", kind="text", label_de="M", label_en="M", position=8
        ),
        "eligibility": lambda: file_question(draft.call, purpose="eligibility"),
        "removed": lambda: file_question(draft.call, removed_at=timezone.now()),
    }[case]()

    with pytest.raises(WorkflowError, match=NOT_HERE):
        store_answer_file(
            application=draft, actor=draft.owner, question=question, uploaded_file=pdf()
        )
    with pytest.raises(WorkflowError, match=NOT_HERE):
        remove_answer_file(application=draft, actor=draft.owner, question=question)

    assert files_of(draft) == []
    assert not Answer.objects.filter(question__key__in=["work-plan", "motto"]).exists()


@pytest.mark.parametrize("who", ["stranger", "staff", "submitted"])
def test_only_the_owner_of_a_draft_adds_or_removes_a_file(draft, who):
    question = file_question(draft.call)
    store_answer_file(application=draft, actor=draft.owner, question=question, uploaded_file=pdf())
    actor = draft.owner
    if who == "submitted":
        set_state(draft, ApplicationState.SUBMITTED)
    else:
        actor = make_user(Role.APPLICANT if who == "stranger" else Role.STAFF)

    with pytest.raises(WorkflowError, match="Files can be added only to a draft you own"):
        store_answer_file(
            application=draft, actor=actor, question=question, uploaded_file=pdf("evil.pdf")
        )
    with pytest.raises(WorkflowError, match="Files can be removed only from a draft you own"):
        remove_answer_file(application=draft, actor=actor, question=question)

    assert files_of(draft) == [("plan.pdf", False, True)]


def test_typed_answers_cannot_name_a_file_question_or_one_not_offered(draft):
    question = file_question(draft.call)
    motto = Question.objects.create(
        call=draft.call, key="motto", kind="text", label_de="M", label_en="M", position=9
    )
    questions = {"work-plan": question, "motto": motto}

    for answers in ({"motto": "Open data.", "work-plan": "plan.pdf"}, {"budget": "5"}):
        with pytest.raises(WorkflowError, match=NOT_HERE):
            write_answers(draft, answers, questions=questions)

    assert not Answer.objects.filter(question__key__in=["work-plan", "motto"]).exists()


def test_an_empty_or_unchanged_answer_does_not_stop_the_ones_after_it(draft):
    questions = {
        key: Question.objects.create(
            call=draft.call, key=key, kind="text", label_de=key, label_en=key, position=position
        )
        for position, key in enumerate(["first", "second", "third"], start=8)
    }
    write_answers(draft, {"first": "Kept."}, questions=questions)

    # "first" unchanged, "second" empty and new: both skipped; "third" still written.
    write_answers(draft, {"first": "Kept.", "second": "", "third": "New."}, questions=questions)

    stored = Answer.objects.filter(question__in=questions.values()).values_list(
        "question__key", "text"
    )
    assert sorted(stored) == [("first", "Kept."), ("third", "New.")]
