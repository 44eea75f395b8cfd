"""The staff detail page within the filtered list: position, previous and next with the
same filters, the way back; screening, question and comment forms keep the person's place
and show their errors next to the form."""

import re

import pytest
from django.urls import reverse

from grants.models import Application
from grants.states import ApplicationState
from tests.grants.staff.helpers import bulk_submit, submit

pytestmark = pytest.mark.django_db


def by_reference():
    return {a.reference: a.pk for a in Application.objects.all()}


def test_previous_and_next_follow_the_filtered_sorted_list(staff_client, call):
    bulk_submit(call, 5)
    Application.objects.filter(reference="CTF-2026-9-00003").update(state=ApplicationState.ELIGIBLE)
    pk = by_reference()
    url = reverse("staff_application_detail", args=[pk["CTF-2026-9-00002"]])

    response = staff_client.get(url, {"state": "submitted", "sort": "-reference"})

    navigation = response.context["navigation"]
    assert (navigation["position"], navigation["total"]) == (3, 4)  # 5, 4, 2, 1
    query = "?state=submitted&sort=-reference"
    assert navigation["previous_url"] == f"/staff/applications/{pk['CTF-2026-9-00004']}/{query}"
    assert navigation["next_url"] == f"/staff/applications/{pk['CTF-2026-9-00001']}/{query}"
    html = response.content.decode()
    assert "3 of 4 in the list" in html
    escaped = query.replace("&", "&amp;")
    assert (
        f'href="/staff/calls/{call.slug}/applications/{escaped}">Back to the filtered list' in html
    )


def test_the_ends_of_the_list_have_no_link_beyond(staff_client, call):
    bulk_submit(call, 2)
    pk = by_reference()

    first = staff_client.get(reverse("staff_application_detail", args=[pk["CTF-2026-9-00001"]]))

    assert first.context["navigation"]["previous_url"] is None
    assert "No previous application" in first.content.decode()
    assert first.context["navigation"]["next_url"].startswith(
        f"/staff/applications/{pk['CTF-2026-9-00002']}/"
    )


def test_an_application_outside_the_filter_has_no_place(staff_client, call):
    application = submit(call)

    response = staff_client.get(
        reverse("staff_application_detail", args=[application.pk]), {"state": "eligible"}
    )

    assert response.context["navigation"] is None


def test_the_list_links_to_the_detail_with_its_filters(staff_client, call):
    application = submit(call)

    html = staff_client.get(
        reverse("staff_application_list", args=[call.slug]), {"state": "submitted", "page": "1"}
    ).content.decode()

    assert f'href="/staff/applications/{application.pk}/?state=submitted"' in html


@pytest.mark.parametrize("applications", [1, 30])
def test_the_place_costs_one_query_however_long_the_list(
    staff_client, call, django_assert_num_queries, applications
):
    bulk_submit(call, applications)
    target = Application.objects.order_by("reference").last()

    from tests.grants.staff.test_application_detail import DETAIL_QUERIES

    with django_assert_num_queries(DETAIL_QUERIES):
        staff_client.get(reverse("staff_application_detail", args=[target.pk]))


def test_screening_without_a_reason_keeps_the_place_and_the_choice(staff_client, call):
    application = submit(call)
    url = reverse("staff_application_screen", args=[application.pk])

    response = staff_client.post(
        url + "?state=submitted",
        {"decision": "ineligible", "expected_state": "submitted", "note": "Looked at it."},
    )

    html = response.content.decode()
    assert response.status_code == 200
    # The form posts to its own section, so the browser lands where the person was.
    assert f'action="{url}?state=submitted#screening"' in html
    section = html[html.index('<section id="screening"') :]
    section = section[: section.index("</section>")]
    assert "The screening result was not recorded. Please correct the marked fields." in section
    assert "Choose at least one reason." in section
    assert re.search(r'value="ineligible"[^>]*checked', section)
    assert "Looked at it." in section
    assert Application.objects.get(pk=application.pk).state == "submitted"
