"""The jury pages after the walk-through of issue 20, in a real browser with axe-core at
1280 and 390 px: staff start a call's review, which moves its eligible applications, and
the assignment page names those still short of jurors; the juror's review form fits a phone
without sideways scrolling, counts the criteria still to score as they score, and prints
whole; the conflict list can be searched and the conflict form preselects no kind."""

import re

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from grants.models import Application
from grants.states import ApplicationState as S
from grants.states import CallState
from review.models import ConflictOfInterest
from review.states import JuryPhase
from tests.e2e.conftest import axe_both_widths, axe_check, log_in_browser_with_second_factor
from tests.factories import CallFactory, make_user
from tests.review.helpers import assign, in_review, make_juror, make_jury

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def sideways_overflow(page) -> int:
    """How many pixels the page is wider than the window (0: no sideways scrolling)."""
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def test_starting_the_review_moves_the_eligible_applications_and_names_those_short_of_jurors(
    page, live_server
):
    call = CallFactory(state=CallState.CLOSED, title_en="Civic Round 2026", slug="civic-2026")
    jury = make_jury(call, phase=JuryPhase.PREPARATION)
    make_juror(jury, full_name="Ann Able")
    eligible = [
        in_review(call, state=S.ELIGIBLE, title=f"A long project title number {n} " * 3)
        for n in (1, 2)
    ]
    unscreened = in_review(call, state=S.SUBMITTED)
    log_in_browser_with_second_factor(page, live_server, make_user(Role.STAFF))

    # Before the review, the assignment page sends staff to the call.
    page.goto(live_server.url + "/staff/calls/civic-2026/jury/assignment/")
    expect(page.get_by_text("No application is in review yet.")).to_be_visible()
    page.get_by_role(
        "link", name="Start the review of the call: it moves its eligible applications into review."
    ).click()
    page.get_by_role("button", name="Start the review").click()

    # The confirmation says what moves; nothing has moved yet.
    expect(page.get_by_role("heading", level=1)).to_have_text("Start the review: Civic Round 2026")
    expect(
        page.get_by_text("2 eligible applications move into review with it, ready for the jury.")
    ).to_be_visible()
    expect(page.get_by_text(re.compile("^1 application has not been screened yet"))).to_be_visible()
    axe_both_widths(page, "start the review (confirmation)")
    assert set(Application.objects.values_list("state", flat=True)) == {S.ELIGIBLE, S.SUBMITTED}
    page.get_by_role("button", name="Yes: Start the review").click()
    expect(page.get_by_text("2 applications moved into review.")).to_be_visible()
    states = dict(Application.objects.values_list("pk", "state"))
    assert [states[a.pk] for a in eligible] == [S.IN_REVIEW, S.IN_REVIEW]
    assert states[unscreened.pk] == S.SUBMITTED

    # The assignment page names and links each application still short of jurors.
    page.goto(live_server.url + "/staff/calls/civic-2026/jury/assignment/")
    short = page.locator("dd", has=page.get_by_role("list"))
    missing = f"({jury.reviews_per_application} jurors missing)"
    for application in eligible:
        expect(short.get_by_role("listitem").filter(has_text=application.reference)).to_have_text(
            f"{application.reference} {missing}"
        )
    axe_both_widths(page, "assignment (short of jurors)")
    short.get_by_role("link", name=eligible[1].reference).click()
    expect(page).to_have_url(live_server.url + f"/staff/applications/{eligible[1].pk}/jury/")


def criteria_left(page):
    return page.locator("#scores-missing")


def test_the_review_form_fits_a_phone_counts_what_is_left_and_prints_whole(page, live_server):
    jury = make_jury()
    juror = make_juror(jury, full_name="Jana Juror")
    review = assign(juror, in_review(jury.call, title="Open council minutes"))
    log_in_browser_with_second_factor(page, live_server, juror)

    page.set_viewport_size(PHONE)
    page.goto(live_server.url + f"/jury/reviews/{review.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Open council minutes")
    assert sideways_overflow(page) == 0
    axe_check(page, label="review form (390 px)")

    # The count follows the scores as they are chosen, before anything is saved.
    expect(criteria_left(page)).to_have_text("3 criteria still to score.")
    page.get_by_label("Score for “Relevance” (0 to 10)").select_option("8")
    expect(criteria_left(page)).to_have_text("2 criteria still to score.")
    page.get_by_label("Score for “Feasibility” (0 to 10)").select_option("6")
    expect(criteria_left(page)).to_have_text("1 criterion still to score.")
    page.get_by_label("Score for “Security” (1 to 5)").select_option("na")
    expect(criteria_left(page)).to_have_text(
        "Every criterion is scored: you can submit the review."
    )
    page.get_by_label("Score for “Security” (1 to 5)").select_option("")
    expect(criteria_left(page)).to_have_text("1 criterion still to score.")

    # On a wide screen the scores sit beside the proposal and scroll with the page: no box
    # of their own that would hide criteria or need its own keyboard focus.
    page.set_viewport_size(DESKTOP)
    form = page.locator(".review-form")
    assert form.evaluate("f => [getComputedStyle(f).position, getComputedStyle(f).overflowY]") == [
        "static",
        "visible",
    ]
    axe_check(page, label="review form (1280 px)")

    # In print every criterion shows, one column, without the buttons.
    page.emulate_media(media="print")
    assert form.evaluate("f => f.scrollHeight <= f.clientHeight + 1")
    for name in ("Relevance", "Feasibility", "Security"):
        expect(page.get_by_label(f"Comment on “{name}”")).to_be_visible()
    expect(page.get_by_role("button", name="Submit review")).to_be_hidden()
    proposal, scores = (
        page.locator(selector).bounding_box() for selector in (".review-proposal", ".review-form")
    )
    assert scores["y"] >= proposal["y"] + proposal["height"]  # below it, not beside it
    page.emulate_media(media="screen")


def test_the_conflict_list_is_searched_and_the_form_preselects_no_kind(page, live_server):
    jury = make_jury()
    juror = make_juror(jury, full_name="Jana Juror")
    energy = in_review(jury.call, title="Neighbourhood energy map")
    for title in ("Open council minutes", "Accessible polling stations"):
        in_review(jury.call, title=title)
    log_in_browser_with_second_factor(page, live_server, juror)

    page.goto(live_server.url + f"/jury/calls/{jury.call.slug}/conflicts/")
    kind = page.get_by_role("combobox", name=re.compile(r"^Kind of conflict"))
    expect(kind).to_have_value("")
    page.get_by_role("searchbox", name=re.compile(r"^Search the applications")).fill("ENERGY")
    page.get_by_role("button", name="Search", exact=True).click()
    table = page.get_by_role("table", name="1 of 3 applications matches “ENERGY”")
    expect(table.get_by_role("row")).to_have_count(2)  # the header and the one found
    expect(table).to_contain_text(energy.reference)
    axe_both_widths(page, "conflicts (searched)")

    # Declaring without choosing a kind is refused; nothing is recorded.
    table.get_by_role("link", name=f"Declare a conflict with {energy.reference}").click()
    expect(page.get_by_role("combobox", name=re.compile(r"^Application"))).to_have_value(
        str(energy.pk)
    )
    page.get_by_role("button", name="Declare the conflict").click()
    expect(page.get_by_text("This field is required.")).to_be_visible()
    assert not ConflictOfInterest.objects.exists()
    page.get_by_role("combobox", name=re.compile(r"^Kind of conflict")).select_option("personal")
    page.get_by_role("button", name="Declare the conflict").click()
    expect(page.get_by_text(f"Your conflict with {energy.reference} is recorded.")).to_be_visible()
    assert ConflictOfInterest.objects.get().application_id == energy.pk
