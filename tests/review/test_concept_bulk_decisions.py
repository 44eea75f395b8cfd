"""Deciding several concepts in one step (the first stage of a two-stage call): invite or
not invite each chosen concept, with its own feedback or a shared one, all or nothing,
through the application's workflow; staff only, never on a concept they have a conflict
with."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from core.errors import WorkflowError
from grants.models import Application
from grants.states import ApplicationState as S
from review.services.decisions import decide_applications
from review.states import Decision
from tests.accounts.helpers import sign_in
from tests.factories import ApplicationFactory, make_user
from tests.review.helpers import conflict, make_jury
from tests.two_stage import concept_in, two_stage_calls
from workflow.models import TransitionLog

pytestmark = pytest.mark.django_db


def rows():
    return list(
        Application.objects.order_by("pk").values_list(
            "pk", "state", "decision_feedback", "invitation_valid_until", "decided_at"
        )
    )


def snapshot():
    return rows(), TransitionLog.objects.count()


def concepts(count=3, state=S.REVIEWED):
    concept_call, full_call = two_stage_calls()
    return concept_call, full_call, [concept_in(concept_call, state=state) for _ in range(count)]


def url(call):
    return reverse("staff_concept_decisions", kwargs={"slug": call.slug})


def test_several_concepts_are_decided_at_once_with_their_feedback(
    staff, mailoutbox, django_capture_on_commit_callbacks
):
    call, full_call, (first, second, third) = concepts()
    with django_capture_on_commit_callbacks(execute=True):
        done = decide_applications(
            call=call,
            decisions=[
                (first.pk, Decision.INVITE),
                (second.pk, Decision.INVITE),
                (third.pk, Decision.NOT_INVITE),
            ],
            actor=staff,
            feedback={first.pk: " Show the pilot. ", second.pk: "", third.pk: "Too close to X."},
        )
    assert (done[Decision.INVITE], done[Decision.NOT_INVITE]) == (2, 1)
    by_pk = {row[0]: row[1:4] for row in rows()}
    assert by_pk[first.pk] == (S.INVITED, "Show the pilot.", full_call.closing_day)
    assert by_pk[second.pk] == (S.INVITED, "", full_call.closing_day)
    assert by_pk[third.pk] == (S.NOT_INVITED, "Too close to X.", None)
    logged = TransitionLog.objects.filter(
        object_id__in=[first.pk, second.pk, third.pk], action__startswith="grants.application."
    )
    assert sorted(logged.values_list("action", flat=True)) == [
        "grants.application.invited",
        "grants.application.invited",
        "grants.application.not_invited",
    ]
    assert len(mailoutbox) == 3
    assert "Too close to X." in next(m.body for m in mailoutbox if m.to == [third.owner.email])


@pytest.mark.parametrize("state", [S.INVITED, S.NOT_INVITED, S.WITHDRAWN])
def test_one_concept_that_cannot_be_decided_stops_them_all(staff, state):
    call, _full, (first, second, _third) = concepts()
    Application.objects.filter(pk=second.pk).update(state=state)
    before = snapshot()
    with pytest.raises(WorkflowError) as refusal:
        decide_applications(
            call=call,
            decisions=[(first.pk, Decision.INVITE), (second.pk, Decision.NOT_INVITE)],
            actor=staff,
            feedback={first.pk: "Yes.", second.pk: "No."},
        )
    label = S(state).label
    assert refusal.value.message == (
        f"Nothing was decided, because: {second.reference} cannot be decided in its current "
        f"state ({label})."
    )
    assert snapshot() == before


def test_an_invitation_day_beyond_the_deadline_stops_them_all(staff):
    call, full_call, (first, second, _third) = concepts()
    before = snapshot()
    with pytest.raises(WorkflowError) as refusal:
        decide_applications(
            call=call,
            decisions=[(first.pk, Decision.INVITE), (second.pk, Decision.NOT_INVITE)],
            actor=staff,
            invitation_valid_until=full_call.closing_day + dt.timedelta(days=1),
        )
    assert list(refusal.value.field_errors) == ["invitation_valid_until"]
    assert snapshot() == before


def test_concepts_are_not_decided_with_money_in_bulk(staff):
    call, _full, (first, _second, _third) = concepts()
    before = snapshot()
    with pytest.raises(WorkflowError) as refusal:
        decide_applications(call=call, decisions=[(first.pk, Decision.APPROVE)], actor=staff)
    assert "is a concept: invite the team to the full proposal or do not" in (refusal.value.message)
    assert snapshot() == before


def test_a_concept_of_another_call_is_refused(staff):
    call, _full, (first, _second, _third) = concepts()
    stranger = concept_in(two_stage_calls()[0], state=S.REVIEWED)
    before = snapshot()
    with pytest.raises(WorkflowError) as refusal:
        decide_applications(
            call=call,
            decisions=[(first.pk, Decision.INVITE), (stranger.pk, Decision.INVITE)],
            actor=staff,
        )
    assert refusal.value.message == "Some selected applications do not belong to this call."
    assert snapshot() == before


def test_staff_with_a_conflict_neither_see_nor_decide_that_concept(client):
    call, _full, (first, second, _third) = concepts()
    staff = conflict(make_user(Role.STAFF, Role.JUROR), second).juror
    sign_in(client, staff)
    html = client.get(url(call)).content.decode()
    assert first.reference in html
    assert second.reference not in html
    assert "You have a conflict of interest" in html
    before = snapshot()
    response = client.post(url(call), {f"decision_{second.pk}": "invite"})
    assert response.status_code == 200
    assert "Some selected applications do not belong to this call." in response.content.decode()
    assert snapshot() == before


def test_the_page_decides_with_own_and_shared_feedback(client, staff):
    call, full_call, (first, second, third) = concepts()
    make_jury(call)
    sign_in(client, staff)
    html = client.get(url(call)).content.decode()
    assert f'value="{full_call.closing_day:%Y-%m-%d}"' in html
    assert 'value="approve"' not in html
    last_day = timezone.localdate() + dt.timedelta(days=5)
    response = client.post(
        url(call),
        {
            f"decision_{first.pk}": "invite",
            f"feedback_{first.pk}": "Show the pilot.",
            f"decision_{second.pk}": "not_invite",
            f"feedback_{second.pk}": "",
            f"decision_{third.pk}": "",
            f"feedback_{third.pk}": "Not decided yet.",
            "shared_feedback": "Thank you for applying.",
            "invitation_valid_until": last_day.isoformat(),
            "reason": "Jury meeting of 3 December.",
        },
        follow=True,
    )
    assert response.redirect_chain == [(url(call), 302)]
    assert "Decided: 1 invited, 1 not invited." in response.content.decode()
    by_pk = {row[0]: row[1:4] for row in rows()}
    assert by_pk[first.pk] == (S.INVITED, "Show the pilot.", last_day)
    assert by_pk[second.pk] == (S.NOT_INVITED, "Thank you for applying.", None)
    assert by_pk[third.pk] == (S.REVIEWED, "", None)
    assert TransitionLog.objects.get(object_id=first.pk, action="grants.application.invited").note
    assert (
        TransitionLog.objects.get(object_id=first.pk, action="grants.application.invited").note
        == "Jury meeting of 3 December."
    )


def test_a_team_not_invited_in_bulk_keeps_its_feedback(client, staff):
    call, _full, (first, _second, _third) = concepts()
    sign_in(client, staff)
    client.post(
        url(call), {f"decision_{first.pk}": "not_invite", f"feedback_{first.pk}": "Too early."}
    )
    client.force_login(first.owner)
    html = client.get(reverse("application_detail", args=[first.pk])).content.decode()
    assert "Your concept has not been invited to the full proposal." in html
    assert "Too early." in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose a decision for at least one concept."),
        ({"decision_{pk}": "approve"}, "Nothing was decided: choose “invite” or “do not invite”."),
        ({"decision_²": "invite"}, "Nothing was decided: the decisions name applications that"),
        ({"decision_99999999999999999999999": "invite"}, "Nothing was decided: the decisions"),
        (
            {"decision_{pk}": "invite", "feedback_{pk}": "x" * 2001},
            "Nothing was decided: a team&#x27;s feedback is too long",
        ),
        ({"decision_{pk}": "invite", "shared_feedback": "x" * 2001}, "at most 2000 characters"),
        (
            {"decision_{pk}": "invite", "invitation_valid_until": "2020-01-01"},
            "The invitation cannot end in the past",
        ),
        ({"decision_{pk}": "invite", "invitation_valid_until": "soon"}, "Enter a valid date."),
    ],
)
def test_bad_input_is_refused_with_a_message(client, staff, data, message):
    call, _full, (first, _second, _third) = concepts()
    sign_in(client, staff)
    data = {key.format(pk=first.pk): value for key, value in data.items()}
    before = snapshot()
    response = client.post(url(call), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert snapshot() == before


def test_a_call_with_one_stage_has_no_such_page(client, staff):
    call = ApplicationFactory().call
    sign_in(client, staff)
    assert client.get(url(call)).status_code == 404
    assert client.post(url(call), {}).status_code == 404


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.JUROR, Role.MINISTRY])
def test_only_staff_open_the_page(client, role):
    call, _full, (first, _second, _third) = concepts()
    sign_in(client, make_user(role))
    before = snapshot()
    assert client.get(url(call)).status_code == 404
    assert client.post(url(call), {f"decision_{first.pk}": "invite"}).status_code == 404
    assert snapshot() == before


def test_the_owner_of_a_concept_does_not_decide_it(client):
    call, _full, (first, _second, _third) = concepts()
    client.force_login(first.owner)
    before = snapshot()
    assert client.post(url(call), {f"decision_{first.pk}": "invite"}).status_code == 404
    assert snapshot() == before


def test_anonymous_visitors_are_sent_to_log_in(client):
    call, _full, _concepts = concepts()
    response = client.get(url(call))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def queries_of_page(client, call):
    client.get(url(call))  # warm: sessions, caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url(call))
    assert response.status_code == 200
    return len(queries)


def test_the_page_makes_a_fixed_number_of_queries(client, staff):
    counts = []
    for count in (1, 3):
        call, _full, _concepts = concepts(count)
        make_jury(call)
        sign_in(client, staff)
        counts.append(queries_of_page(client, call))
    assert counts[0] == counts[1] == PAGE_QUERIES


# However many concepts: the request's own (session, user, second factor, navigation),
# the call, its full-proposal call, the jury, readiness, conflicts, concepts and counts.
PAGE_QUERIES = 12
