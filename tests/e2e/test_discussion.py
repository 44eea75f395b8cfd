"""The jury's discussion in a real browser, with axe-core at 1280 and 390 px: staff name a
rapporteur and comment on the page of an application's reviews; a juror of its panel reads
the comment on their discussion page, adds their own, is told plainly when a text is not
plain, and the rapporteur writes the summary shown beside the comments."""

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from grants.states import ApplicationState as S
from review.models import DiscussionComment, DiscussionSummary
from review.states import JuryPhase
from tests.e2e.conftest import axe_both_widths, log_in_browser_with_second_factor
from tests.factories import make_user
from tests.review.helpers import assign, in_review, make_juror, make_jury, scored

pytestmark = pytest.mark.e2e


def sideways_overflow(page) -> int:
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def test_staff_and_the_panel_discuss_an_application(page, live_server):
    jury = make_jury(phase=JuryPhase.DISCUSSION)
    application = in_review(jury.call, state=S.REVIEWED, title="Open transit timetables")
    fiona = make_juror(jury, full_name="Fiona First")
    sven = make_juror(jury, full_name="Sven Second")
    review = scored(assign(fiona, application), [8, 7, 4])
    scored(assign(sven, application), [6, 7, 3])
    staff = make_user(Role.STAFF, full_name="Sam Staff")

    # Staff name the rapporteur and open the discussion.
    log_in_browser_with_second_factor(page, live_server, staff)
    page.goto(live_server.url + f"/staff/applications/{application.pk}/jury/")
    page.get_by_role("combobox", name="Rapporteur").select_option(label="Fiona First")
    page.get_by_role("button", name="Name the rapporteur").click()
    expect(
        page.get_by_text(f"Fiona First is the rapporteur of {application.reference}.")
    ).to_be_visible()
    page.get_by_label("Your comment").fill("Please weigh the maintenance plan.")
    page.get_by_role("button", name="Add the comment").click()
    expect(page.get_by_text("Your comment is added to the discussion.")).to_be_visible()
    expect(page.get_by_role("heading", name="1 comment")).to_be_visible()
    axe_both_widths(page, "staff: application's reviews with the discussion")

    # The rapporteur reads it on her discussion page, comments and writes the summary.
    page.context.clear_cookies()
    juror_page = page
    log_in_browser_with_second_factor(juror_page, live_server, fiona)
    juror_page.goto(live_server.url + f"/jury/reviews/{review.pk}/discussion/")
    expect(juror_page.get_by_text("Please weigh the maintenance plan.")).to_be_visible()
    expect(juror_page.get_by_text("Rapporteur: Fiona First")).to_be_visible()
    axe_both_widths(juror_page, "juror: discussion with the comment form")

    juror_page.get_by_label("Your comment").fill("<b>Fund it</b>")
    juror_page.get_by_role("button", name="Add the comment").click()
    expect(
        juror_page.get_by_text("Write plain text: HTML tags such as <b> are not allowed.").first
    ).to_be_visible()
    expect(juror_page.get_by_label("Your comment")).to_have_value("<b>Fund it</b>")
    axe_both_widths(juror_page, "juror: a refused comment")

    juror_page.get_by_label("Your comment").fill("The plan is sound; fund it.")
    juror_page.get_by_role("button", name="Add the comment").click()
    expect(juror_page.get_by_role("heading", name="2 comments")).to_be_visible()
    juror_page.get_by_label("Summary of the discussion").fill("The panel agrees to fund it.")
    juror_page.get_by_role("button", name="Save the summary").click()
    expect(juror_page.get_by_text("The summary is saved.")).to_be_visible()
    juror_page.set_viewport_size({"width": 390, "height": 844})
    assert sideways_overflow(juror_page) == 0

    assert list(DiscussionComment.objects.values_list("author__full_name", "body")) == [
        ("Sam Staff", "Please weigh the maintenance plan."),
        ("Fiona First", "The plan is sound; fund it."),
    ]
    assert DiscussionSummary.objects.get().text == "The panel agrees to fund it."
