"""The first stage of a two-stage call in a real browser, with axe-core at 1280 and 390 px:
a concept is submitted with what stage one asks (no milestones, no budget), and staff read
it in German."""

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from grants.models import Application
from grants.states import ApplicationState as S
from grants.states import CallState
from tests.e2e.conftest import axe_both_widths, log_in_browser, log_in_browser_with_second_factor
from tests.factories import ApplicationFactory, make_user, set_state
from tests.review.helpers import make_jury
from tests.two_stage import concept_in, two_stage_calls

pytestmark = pytest.mark.e2e


def in_german(page, live_server):
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "de", "url": live_server.url}]
    )


def test_a_concept_is_submitted_without_a_work_plan(page, live_server):
    concept_call, _full_call = two_stage_calls(concept_state=CallState.OPEN)
    now = timezone.now()
    type(concept_call).objects.filter(pk=concept_call.pk).update(
        opens_at=now - dt.timedelta(days=1), closes_at=now + dt.timedelta(days=5)
    )
    concept = ApplicationFactory(call=concept_call, milestones=False, licence="")

    log_in_browser(page, live_server, concept.owner)
    page.goto(f"{live_server.url}/applications/{concept.pk}/edit/")
    expect(page.get_by_text("A concept plans no milestones and no budget")).to_be_visible()
    expect(page.get_by_role("group", name="Milestones (3 to 5)")).to_have_count(0)
    axe_both_widths(page, "concept draft")
    page.get_by_role("button", name="Save and preview").click()
    expect(page.get_by_text("Your application is complete.")).to_be_visible()
    axe_both_widths(page, "concept preview")
    page.get_by_role("button", name="Submit application").click()
    expect(page.get_by_role("status")).to_be_visible()
    assert Application.objects.get(pk=concept.pk).state == S.SUBMITTED

    staff = make_user(Role.STAFF, full_name="Sam Staff")
    log_in_browser_with_second_factor(page, live_server, staff)
    in_german(page, live_server)
    page.goto(f"{live_server.url}/staff/applications/{concept.pk}/")
    expect(page.get_by_text("Eine Projektskizze plant keine Meilensteine")).to_be_visible()
    expect(page.locator("#budget")).to_have_count(0)
    axe_both_widths(page, "concept, staff, German")


def test_an_invitation_valid_until_a_day(page, live_server):
    concept_call, full_call = two_stage_calls()
    concept = concept_in(concept_call, state=S.REVIEWED, title="Open council minutes")
    staff = make_user(Role.STAFF, full_name="Sam Staff")
    last_day = timezone.localdate() + dt.timedelta(days=3)

    log_in_browser_with_second_factor(page, live_server, staff)
    page.goto(f"{live_server.url}/staff/applications/{concept.pk}/jury/")
    field = page.get_by_label("Invitation valid until")
    expect(field).to_have_value(full_call.closing_day.isoformat())
    page.get_by_label("Invite to the full proposal", exact=True).check()
    field.fill((full_call.closing_day + dt.timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Record the decision").click()
    expect(
        page.get_by_text("cannot last beyond the full-proposal call's deadline").first
    ).to_be_visible()
    axe_both_widths(page, "invitation date refused")
    page.get_by_label("Invite to the full proposal", exact=True).check()
    page.get_by_label("Invitation valid until").fill(last_day.isoformat())
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("status")).to_contain_text(f"The decision on {concept.reference}")
    assert Application.objects.get(pk=concept.pk).invitation_valid_until == last_day

    log_in_browser(page, live_server, concept.owner)
    in_german(page, live_server)
    page.goto(f"{live_server.url}/applications/{concept.pk}/")
    section = page.get_by_role("region", name="Entscheidung über Ihre Projektskizze")
    expect(section).to_contain_text(f"Ihre Einladung gilt bis zum {last_day.day}.")
    axe_both_widths(page, "invited concept with its day, German")


def test_staff_decide_several_concepts_at_once(page, live_server):
    concept_call, _full_call = two_stage_calls()
    make_jury(concept_call)
    first, second, third = (
        concept_in(concept_call, state=S.REVIEWED, title=title)
        for title in ("Open council minutes", "Stadtteilkarte", "Tree register")
    )
    staff = make_user(Role.STAFF, full_name="Sam Staff")

    log_in_browser_with_second_factor(page, live_server, staff)
    page.goto(f"{live_server.url}/staff/calls/{concept_call.slug}/jury/line/")
    page.get_by_role("link", name="Decide on the concepts").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Decisions on the concepts")
    axe_both_widths(page, "concept decisions")
    page.get_by_label(f"Decision on {first.reference}").select_option("invite")
    page.get_by_label(f"Feedback to the team of {first.reference}").fill("Show the pilot.")
    page.get_by_label(f"Decision on {second.reference}").select_option("not_invite")
    page.get_by_label("Shared feedback").fill("Thank you for applying.")
    # Meanwhile a colleague decided the second one: nothing is decided, the page says why.
    set_state(second, S.NOT_INVITED)
    page.get_by_role("button", name="Record these decisions").click()
    expect(page.get_by_role("status")).to_contain_text(
        f"{second.reference} cannot be decided in its current state (Not invited)"
    )
    assert Application.objects.get(pk=first.pk).state == S.REVIEWED
    expect(page.get_by_label(f"Feedback to the team of {first.reference}")).to_have_value(
        "Show the pilot."
    )
    axe_both_widths(page, "concept decisions refused")
    page.get_by_label(f"Decision on {third.reference}").select_option("not_invite")
    page.get_by_role("button", name="Record these decisions").click()
    expect(page.get_by_role("status")).to_contain_text("Decided: 1 invited, 1 not invited.")
    assert Application.objects.get(pk=first.pk).decision_feedback == "Show the pilot."
    assert Application.objects.get(pk=third.pk).decision_feedback == "Thank you for applying."

    in_german(page, live_server)
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Entscheidungen über die Projektskizzen"
    )
    axe_both_widths(page, "concept decisions, German")
