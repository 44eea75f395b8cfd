"""Tracks per call in the browser: staff add a track on the call's page and move it up;
an applicant chooses it, the months offered and the live budget (cap, hourly rate) follow
it. axe-core at 1280 and 390 px, in English and German."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from grants.models import CallTrack
from tests.e2e.conftest import axe_both_widths, log_in_browser, log_in_browser_with_second_factor
from tests.factories import ApplicationFactory, CallFactory, make_user

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(
    ("locale", "add", "save", "up", "months_label", "cap_label"),
    [
        ("en-GB", "Add a track", "Save the track", "Up", "Months of the funding period",
         "Maximum funding (€)"),
        ("de-DE", "Förderlinie hinzufügen", "Förderlinie speichern", "Nach oben",
         "Monate des Förderzeitraums", "Förderhöchstbetrag (€)"),
    ],
)  # fmt: skip
def test_staff_add_a_track_and_move_it_up(
    browser, live_server, locale, add, save, up, months_label, cap_label
):
    call = CallFactory(slug="round-t")
    language = locale[:2]
    context = browser.new_context(
        locale=locale, base_url=live_server.url, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    log_in_browser_with_second_factor(page, live_server, make_user(Role.STAFF, language=language))
    page.goto("/staff/calls/round-t/edit/")
    axe_both_widths(page, f"call page with its tracks ({language})")
    page.get_by_role("link", name=add).click()

    page.get_by_label("Name (German)" if language == "en" else "Name (Deutsch)").fill(
        "Sprint, 3 Monate"
    )
    page.get_by_label("Name (English)" if language == "en" else "Name (Englisch)").fill(
        "Sprint, 3 months"
    )
    page.locator('input[name="key"]').fill("sprint")
    page.locator('select[name="kind"]').select_option("team")
    page.get_by_label(months_label).fill("3")
    page.get_by_label(cap_label).fill("30000")
    axe_both_widths(page, f"track form ({language})")
    page.get_by_role("button", name=save).click()

    name = "Sprint, 3 months" if language == "en" else "Sprint, 3 Monate"
    expect(page.get_by_role("rowheader", name=name)).to_be_visible()
    page.get_by_role("button", name=f"{up} {name}").click()
    track = CallTrack.objects.get(call=call, key="sprint")
    assert (track.kind, track.months, track.cap, track.position) == (
        "team",
        3,
        Decimal("30000.00"),
        4,
    )
    context.close()


def test_an_applicant_chooses_a_track_and_the_form_follows_it(page, live_server):
    call = CallFactory(slug="round-a")
    CallTrack.objects.create(
        call=call, key="sprint", name_de="Sprint, 3 Monate", name_en="Sprint, 3 months",
        kind="individual", months=3, cap=Decimal("10000.00"), hourly_rate=Decimal("80.00"),
        position=9,
    )  # fmt: skip
    applicant = make_user(Role.APPLICANT)
    draft = ApplicationFactory(call=call, owner=applicant, track=None, milestones=False)
    log_in_browser(page, live_server, applicant)
    page.goto(f"/applications/{draft.pk}/edit/")

    page.get_by_label("Track").select_option(label="Sprint, 3 months")
    month = page.locator('select[name="milestones-0-month"]')
    expect(month.locator("option")).to_have_count(4)  # "–" and months 1 to 3
    page.locator('input[name="milestones-0-hours"]').fill("100")
    page.locator('input[name="milestones-0-hours"]').dispatch_event("input")
    # 100 h × €80.00 = €8,000.00 + 5 % = €8,400.00; 95 % of it requested.
    expect(page.locator('[data-budget="personnel-label"]')).to_have_text(
        "Personnel costs (hours × €80.00)"
    )
    expect(page.locator('[data-budget="requested"]')).to_have_text("€7,980.00")
    expect(page.locator('[data-budget="cap"]')).to_have_text("€10,000.00")
    axe_both_widths(page, "draft with a chosen track")
