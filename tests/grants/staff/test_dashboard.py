import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from grants.models import InformationRequest
from grants.states import ApplicationState, CallState
from tests.factories import ApplicationFactory, CallFactory
from tests.grants.staff.helpers import submit

# Session, user, the user's groups, the user's authenticators (second-factor gate), the
# calls with their counts, the answered questions, the navigation's inbox count.
DASHBOARD_QUERIES = 7


def ask(application, staff, *, answered_at=None):
    return InformationRequest.objects.create(
        application=application,
        question="Which licence will you use?",
        due_on=timezone.localdate() + dt.timedelta(days=7),
        asked_by=staff,
        answer="MIT." if answered_at else "",
        answered_by=application.owner if answered_at else None,
        answered_at=answered_at,
    )


@pytest.mark.django_db
def test_empty_dashboard_explains_the_first_step(staff_client):
    response = staff_client.get(reverse("staff_dashboard"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is no call yet" in html
    assert f'<a class="button" href="{reverse("staff_call_create")}">Create a call</a>' in html
    assert "No answers are waiting." in html


@pytest.mark.django_db
def test_calls_with_counts_and_links(staff_client, call):
    submit(call)
    submit(call, state=ApplicationState.ELIGIBLE)
    ApplicationFactory(call=call)  # a draft
    CallFactory(slug="round-2025-2", title_en="Round 2025/2", year=2025, state=CallState.DECIDED)
    response = staff_client.get(reverse("staff_dashboard"))
    calls = list(response.context["calls"])
    assert [(c.slug, c.application_count, c.draft_count) for c in calls] == [
        ("round-2026-1", 2, 1),
        ("round-2025-2", 0, 0),
    ]
    html = response.content.decode()
    assert f'href="{reverse("staff_application_list", kwargs={"slug": "round-2026-1"})}"' in html
    assert f'href="{reverse("staff_call_edit", kwargs={"slug": "round-2025-2"})}"' in html


@pytest.mark.django_db
def test_answered_questions_await_screening(staff_client, staff, call):
    now = timezone.now()
    waiting_long = submit(call, reference="CTF-2026-1-0011")
    ask(waiting_long, staff, answered_at=now - dt.timedelta(days=2))
    waiting = submit(call, reference="CTF-2026-1-0012")
    ask(waiting, staff, answered_at=now - dt.timedelta(days=1))
    still_open = submit(call, reference="CTF-2026-1-0013")
    ask(still_open, staff, answered_at=now - dt.timedelta(days=3))
    ask(still_open, staff)  # a second question, not answered yet
    screened = submit(call, reference="CTF-2026-1-0014", state=ApplicationState.ELIGIBLE)
    ask(screened, staff, answered_at=now)
    submit(call, reference="CTF-2026-1-0015")  # never asked
    response = staff_client.get(reverse("staff_dashboard"))
    assert [a.reference for a in response.context["awaiting_screening"]] == [
        "CTF-2026-1-0011",
        "CTF-2026-1-0012",
    ]
    assert (
        f'<a class="nowrap" href="{reverse("staff_application_detail", kwargs={"pk": waiting.pk})}">'
        "CTF-2026-1-0012</a>" in response.content.decode()
    )


@pytest.mark.django_db
def test_dashboard_queries_do_not_grow(staff_client, staff, django_assert_num_queries):
    first = CallFactory()
    ask(submit(first), staff, answered_at=timezone.now())
    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = staff_client.get(reverse("staff_dashboard"))
    assert len(response.context["calls"]) == 1
    for _ in range(2):
        ask(submit(CallFactory()), staff, answered_at=timezone.now())
    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = staff_client.get(reverse("staff_dashboard"))
    assert len(response.context["calls"]) == 3
    assert len(response.context["awaiting_screening"]) == 3
