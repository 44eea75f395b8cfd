"""Call-wide and bulk steps ask for confirmation first, without JavaScript, and say what will
happen with counts; a refused bulk step names the reason per application and keeps the
selection; the list has a select-all box."""

import datetime as dt
import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from grants.models import Application, InformationRequest
from grants.states import ApplicationState, CallState
from tests.factories import ApplicationFactory, CallFactory, make_user
from tests.grants.staff.helpers import bulk_submit, sign_in_with_mfa, submit
from tests.review.helpers import conflict
from workflow.models import TransitionLog

pytestmark = pytest.mark.django_db


def text(response):
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


def step(client, call, name, **extra):
    return client.post(
        reverse("staff_call_transition", kwargs={"slug": call.slug}),
        {"transition": name, "expected_state": call.state, **extra},
    )


def test_closing_a_call_first_says_what_will_happen(staff_client, call):
    for _ in range(2):
        ApplicationFactory(call=call)  # drafts
    for _ in range(3):
        submit(call)

    response = step(staff_client, call, "close")

    page = text(response)
    assert response.status_code == 200
    assert "Close the call: Round 2026/1" in page
    assert "2 drafts can then no longer be submitted; their applicants keep them." in page
    assert "3 applications have been submitted." in page
    assert "has not passed: this ends it early." in page
    assert "Yes: Close the call" in page
    call.refresh_from_db()
    assert call.state == CallState.OPEN
    assert not TransitionLog.objects.filter(action="grants.call.closed").exists()


def test_the_confirmation_carries_out_the_step(staff_client, call):
    response = step(staff_client, call, "close", confirmed="yes")

    assert response.status_code == 302
    call.refresh_from_db()
    assert call.state == CallState.CLOSED


def test_a_singular_count_reads_as_singular(staff_client, call):
    ApplicationFactory(call=call)
    submit(call)

    page = text(step(staff_client, call, "close"))

    assert "1 draft can then no longer be submitted; its applicant keeps it." in page
    assert "1 application has been submitted." in page


def test_opening_a_call_with_a_future_date_says_when(staff_client):
    call = CallFactory(
        state=CallState.DRAFT,
        opens_at=timezone.now() + dt.timedelta(days=30),
        closes_at=timezone.now() + dt.timedelta(days=60),
    )

    page = text(step(staff_client, call, "open"))

    assert "is announced on the home page at once and accepts applications from" in page


def test_marking_a_call_decided_counts_the_applications_still_in_review(staff_client):
    call = CallFactory(state=CallState.IN_REVIEW)
    for _ in range(3):
        submit(call, state=ApplicationState.IN_REVIEW)

    page = text(step(staff_client, call, "decide"))

    assert "3 applications in review have no decision yet and keep their state." in page


def test_starting_the_review_first_counts_the_applications_it_moves(staff_client):
    call = CallFactory(state=CallState.CLOSED)
    for _ in range(3):
        submit(call, state=ApplicationState.ELIGIBLE)
    submit(call)

    page = text(step(staff_client, call, "start_review"))

    assert "3 eligible applications move into review with it, ready for the jury." in page
    assert "1 application has not been screened yet; once it is eligible, start its" in page
    assert set(Application.objects.values_list("state", flat=True)) == {
        ApplicationState.ELIGIBLE,
        ApplicationState.SUBMITTED,
    }


def test_starting_the_review_moves_the_eligible_applications_of_the_call(staff_client, staff):
    call = CallFactory(state=CallState.CLOSED)
    eligible = [submit(call, state=ApplicationState.ELIGIBLE) for _ in range(2)]
    unscreened = submit(call)
    elsewhere = submit(CallFactory(state=CallState.CLOSED), state=ApplicationState.ELIGIBLE)

    response = step(staff_client, call, "start_review", confirmed="yes")

    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "The call is now in the state “In review”.",
        "2 applications moved into review.",
    ]
    states = dict(Application.objects.values_list("pk", "state"))
    assert [states[a.pk] for a in eligible] == [ApplicationState.IN_REVIEW] * 2
    assert states[unscreened.pk] == ApplicationState.SUBMITTED
    assert states[elsewhere.pk] == ApplicationState.ELIGIBLE
    entries = TransitionLog.objects.filter(action="grants.application.review_started")
    assert sorted(entries.values_list("object_id", flat=True)) == sorted(a.pk for a in eligible)
    assert {entry.actor for entry in entries} == {staff}


def test_a_refused_start_of_the_review_moves_no_application(staff_client):
    call = CallFactory(state=CallState.OPEN)
    application = submit(call, state=ApplicationState.ELIGIBLE)

    response = step(
        staff_client, call, "start_review", confirmed="yes", expected_state=CallState.CLOSED
    )

    assert response.status_code == 302
    call.refresh_from_db()
    application.refresh_from_db()
    assert (call.state, application.state) == (CallState.OPEN, ApplicationState.ELIGIBLE)
    assert not TransitionLog.objects.filter(action__endswith="review_started").exists()


def test_a_conflicted_member_of_staff_starts_the_review_of_the_others_only(client):
    """They do not see an application they have a conflict of interest with (issue 15), so
    they neither move it nor count it as moving; the page says why it stays behind."""
    staff_juror = make_user(Role.STAFF, Role.JUROR)
    call = CallFactory(state=CallState.CLOSED)
    conflicted, clear = (submit(call, state=ApplicationState.ELIGIBLE) for _ in range(2))
    conflict(staff_juror, conflicted)
    sign_in_with_mfa(client, staff_juror)

    page = text(step(client, call, "start_review"))
    response = step(client, call, "start_review", confirmed="yes")

    assert "1 eligible application moves into review with it, ready for the jury." in page
    assert (
        "1 eligible application stays eligible: you have a conflict of interest with it, so "
        "another member of staff starts its review from the list of applications." in page
    )
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "The call is now in the state “In review”.",
        "1 application moved into review.",
    ]
    states = dict(Application.objects.values_list("pk", "state"))
    assert (states[conflicted.pk], states[clear.pk]) == (
        ApplicationState.ELIGIBLE,
        ApplicationState.IN_REVIEW,
    )


def test_without_conflicts_no_application_is_said_to_stay_behind(staff_client):
    call = CallFactory(state=CallState.CLOSED)
    submit(call, state=ApplicationState.ELIGIBLE)

    page = text(step(staff_client, call, "start_review"))

    assert "1 eligible application moves into review with it, ready for the jury." in page
    assert "stays eligible" not in page


def test_the_review_of_an_open_call_cannot_start_and_moves_nothing(staff_client):
    call = CallFactory(state=CallState.OPEN)
    application = submit(call, state=ApplicationState.ELIGIBLE)

    response = step(staff_client, call, "start_review", confirmed="yes")

    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "This step is not possible in the current state."
    ]
    call.refresh_from_db()
    application.refresh_from_db()
    assert (call.state, application.state) == (CallState.OPEN, ApplicationState.ELIGIBLE)
    assert not TransitionLog.objects.filter(action__endswith="review_started").exists()


def test_a_stale_confirmation_page_changes_nothing(staff_client, call):
    response = step(staff_client, call, "close", expected_state=CallState.DRAFT)

    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Someone else changed this meanwhile, so your action was not carried out. "
        "The page now shows the current state; please check it and try again."
    ]


def bulk(client, call, ids, action="mark_eligible", **extra):
    return client.post(
        reverse("staff_bulk_transition", kwargs={"slug": call.slug}),
        {"action": action, "applications": ids, **extra},
    )


def test_a_bulk_step_first_says_what_will_happen(staff_client, call):
    ready = [submit(call) for _ in range(3)]

    response = bulk(staff_client, call, [a.pk for a in ready], query="state=submitted")

    page = text(response)
    assert response.status_code == 200
    assert "Mark as eligible: 3 applications" in page
    assert "3 applications in the state Submitted will be moved to Eligible." in page
    assert "Each of the 3 applicants is told by e-mail." in page
    html = response.content.decode()
    assert html.count('<input type="hidden" name="applications"') == 3
    assert '<input type="hidden" name="query" value="state=submitted">' in html
    assert all(a.state == "submitted" for a in Application.objects.all())


def test_a_refused_bulk_step_names_each_reason_and_keeps_the_selection(staff_client, staff, call):
    ready = submit(call, reference="CTF-2026-1-0001")
    eligible = submit(call, reference="CTF-2026-1-0002", state=ApplicationState.ELIGIBLE)
    asked = submit(call, reference="CTF-2026-1-0003")
    InformationRequest.objects.create(
        application=asked, question="Which cities?", due_on=dt.date(2099, 1, 1), asked_by=staff
    )

    response = bulk(staff_client, call, [ready.pk, eligible.pk, asked.pk], query="sort=-reference")

    assert response.status_code == 200
    assert response.context["refusals"] == {
        "CTF-2026-1-0002": "not possible while it is “Eligible”",
        "CTF-2026-1-0003": "a question to the applicant is still open",
    }
    html = response.content.decode()
    for application in (ready, eligible, asked):
        assert f'value="{application.pk}" id="select-{application.pk}" checked' in html
    assert '<option value="mark_eligible" selected>' in html
    page = text(response)
    assert "this step is not possible for 2 of the 3 selected applications" in page
    assert "CTF-2026-1-0002 : not possible while it is “Eligible”" in page
    assert Application.objects.get(pk=ready.pk).state == "submitted"


def test_the_selection_on_other_pages_is_kept_too(staff_client, call):
    bulk_submit(call, 60)
    first, last = (
        Application.objects.order_by("reference")[0],
        Application.objects.order_by("reference").last(),
    )
    Application.objects.filter(pk=last.pk).update(state=ApplicationState.ELIGIBLE)

    response = bulk(staff_client, call, [first.pk, last.pk])

    html = response.content.decode()
    assert response.context["page"].number == 1
    assert f'<input type="hidden" name="applications" value="{last.pk}">' in html
    assert "1 selected application on other pages stays selected." in text(response)


def test_the_list_has_a_select_all_box_for_scripts(staff_client, call):
    submit(call)

    html = staff_client.get(reverse("staff_application_list", args=[call.slug])).content.decode()

    assert '<input type="checkbox" id="select-all" data-select-all hidden>' in html
    assert "Select all applications on this page" in html


def test_only_staff_may_ask_what_a_bulk_step_would_do(client, call):
    application = submit(call)
    client.force_login(make_user(Role.APPLICANT))

    response = bulk(client, call, [application.pk])

    assert response.status_code == 404
