"""The benchmarks' data stays valid as the application changes: a benchmark that seeds
drafts the form no longer accepts measures errors, not speed (the deadline rush did, once
the proposal's sections became questions)."""

from urllib.parse import urlencode

import pytest

from accounts.roles import Role
from benchmarks import deadline_rush, support
from grants.completeness import completeness_errors
from grants.models import Answer, Application, Question
from tests.factories import FundFactory, TopicFactory, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def rush_call():
    fund = FundFactory()
    call = support.open_call(fund, slug="rush")
    support.add_thirty_questions(call)
    return call, TopicFactory(fund=fund)


def test_the_call_has_thirty_questions_of_every_kind(rush_call):
    call, _ = rush_call
    questions = Question.objects.filter(call=call)
    assert questions.count() == 30
    assert {q.kind for q in questions} == {
        "long_text", "text", "choice", "multiple_choice", "number", "amount", "date", "url",
        "yes_no", "file",
    }  # fmt: skip


def test_the_seeded_answers_make_a_complete_draft(rush_call):
    call, topic = rush_call
    owner = make_user(Role.APPLICANT)
    people = [{"user_id": owner.pk}]
    deadline_rush.seed_complete_drafts(call, topic, people, per_owner=2)
    drafts = Application.objects.filter(call=call)
    assert sorted(people[0]["drafts"]) == sorted(drafts.values_list("pk", flat=True))
    assert Answer.objects.filter(application__in=drafts).count() == 2 * 30
    assert [completeness_errors(draft) for draft in drafts] == [{}, {}]


def test_the_posted_form_saves_a_complete_proposal(client, rush_call):
    call, topic = rush_call
    owner = make_user(Role.APPLICANT)
    client.force_login(owner)
    response = client.post(f"/calls/{call.slug}/apply/")
    application = Application.objects.get(call=call, owner=owner)
    edit = f"/applications/{application.pk}/edit/"
    assert response["Location"] == edit
    data = deadline_rush.proposal(
        topic.pk, 7, "", version=1, answers=deadline_rush.proposal_answers(call)
    )
    response = client.post(edit, urlencode(data), content_type="application/x-www-form-urlencoded")
    assert (response.status_code, response["Location"]) == (302, edit)
    application.refresh_from_db()
    assert completeness_errors(application) == {}
    multiple = Answer.objects.get(application=application, question__key="multiple-choice-0")
    assert multiple.choices == ["option-1", "option-3"]
    assert (
        Answer.objects.filter(application=application).exclude(question__kind="file").count() == 29
    )
