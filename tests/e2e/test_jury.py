"""The jury in a real browser, by keyboard where it matters, with axe-core on every page at
1280 and 390 px: a juror declares a conflict and scores (the draft saves itself as they
type); staff compute and confirm an assignment, read the ranking, draw a funding line with a
lottery whose seed source is named at freezing, decide and mark the call decided (its
selection record, downloaded as a PDF)."""

import datetime as dt
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from accounts.roles import Role
from grants.models import Application
from grants.states import ApplicationState as S
from grants.states import CallState
from review.models import ConflictOfInterest, FundingLine, Review, SelectionRecord
from review.states import JuryPhase, LineState, ReviewState
from tests.e2e.conftest import axe_check
from tests.factories import make_user, mark_session_mfa
from tests.reporting.helpers import pdf_text
from tests.review.helpers import assign, budget_call, in_review, make_juror, make_jury, scored

pytestmark = pytest.mark.e2e


def log_in_with_second_factor(page, live_server, user):
    """A session that used the second factor (the sign-in pages have their own tests)."""
    client = mark_session_mfa(Client(), user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def check_both_widths(page, label):
    axe_check(page, label=f"{label} (1280 px)")
    page.set_viewport_size({"width": 390, "height": 844})
    axe_check(page, label=f"{label} (390 px)")
    page.set_viewport_size({"width": 1280, "height": 900})


def autosave_carrying(text):
    """Matches the answer to an autosave whose form data holds `text`."""

    def matches(response):
        request = response.request
        return (
            request.method == "POST"
            and request.url.endswith("/autosave/")
            and text in (request.post_data or "")
        )

    return matches


def test_a_juror_declares_a_conflict_and_scores_by_keyboard(page, live_server):
    jury = make_jury()
    juror = make_juror(jury, full_name="Jana Juror")
    owner = make_user(Role.APPLICANT, full_name="Olga Owner")
    conflicted = in_review(jury.call, title="Neighbourhood energy map", owner=owner)
    first = in_review(jury.call, title="Open council minutes")
    second = in_review(jury.call, title="Accessible polling stations")
    review = assign(juror, first)
    assign(juror, second)
    assign(juror, conflicted)
    log_in_with_second_factor(page, live_server, juror)

    page.goto(live_server.url + "/jury/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Jury")
    expect(page.get_by_text("0 of 3 applications scored")).to_be_visible()
    check_both_widths(page, "jury dashboard")

    # Conflicts: the list shows titles, topics and names (the review is not blind).
    page.get_by_role("link", name=re.compile("^Conflicts of interest")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Conflicts of interest")
    expect(page.get_by_role("cell", name="Olga Owner")).to_be_visible()
    check_both_widths(page, "conflicts")
    page.get_by_role("searchbox", name=re.compile(r"^Search the applications")).fill("energy")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(
        page.get_by_role("table", name=re.compile(r"^1 of 3 applications matches"))
    ).to_contain_text("Neighbourhood energy map")
    check_both_widths(page, "conflicts (searched)")
    page.get_by_role("combobox", name=re.compile(r"^Application")).select_option(
        label=f"{conflicted.reference} – Neighbourhood energy map"
    )
    page.get_by_role("combobox", name=re.compile(r"^Kind of conflict")).select_option("personal")
    page.get_by_role("textbox", name=re.compile(r"^Note")).fill("Olga is my neighbour.")
    page.get_by_role("button", name="Declare the conflict").click()
    expect(
        page.get_by_text(f"Your conflict with {conflicted.reference} is recorded.")
    ).to_be_visible()
    assert ConflictOfInterest.objects.get().kind == "personal"
    axe_check(page, label="conflict declared")

    # The queue: the conflicted application is gone.
    page.goto(live_server.url + f"/jury/calls/{jury.call.slug}/")
    expect(page.get_by_text("0 of 2 scored")).to_be_visible()
    expect(page.get_by_role("main")).not_to_contain_text("Neighbourhood energy map")
    check_both_widths(page, "queue")
    page.get_by_role("link", name="Continue with the next open review").click()

    # The review form, with the proposal beside it.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Open council minutes")
    expect(page.get_by_role("heading", name="Proposal")).to_be_visible()
    check_both_widths(page, "review form")
    missing = page.locator("#scores-missing")
    expect(missing).to_have_text("3 criteria still to score.")
    criteria = list(jury.criteria.order_by("position"))
    relevance = page.get_by_label("Score for “Relevance” (0 to 10)")
    relevance.focus()
    page.keyboard.press("End")  # 10 in the native select
    page.keyboard.press("ArrowUp")  # 9
    expect(relevance).to_have_value("9")
    expect(missing).to_have_text("2 criteria still to score.")
    comment = page.get_by_label("Comment on “Relevance”")
    comment.focus()
    # The draft saves itself after a pause in typing. The score's own save may already have
    # said "Draft saved at", so wait for the save that carries the typed comment.
    with page.expect_response(autosave_carrying("A clear need in many towns.")):
        page.keyboard.type("A clear need in many towns.")
    expect(page.locator("#autosave-status")).to_contain_text("Draft saved at")
    review.refresh_from_db()
    assert review.version >= 2
    assert review.scores.get(criterion=criteria[0]).comment == "A clear need in many towns."
    page.reload()
    expect(page.get_by_label("Comment on “Relevance”")).to_have_value("A clear need in many towns.")
    expect(page.get_by_label("Score for “Relevance” (0 to 10)")).to_have_value("9")

    expect(missing).to_have_text("2 criteria still to score.")  # as saved
    page.get_by_label("Score for “Feasibility” (0 to 10)").select_option("7")
    expect(missing).to_have_text("1 criterion still to score.")
    page.get_by_label("Score for “Security” (1 to 5)").select_option("na")
    expect(missing).to_have_text("Every criterion is scored: you can submit the review.")
    page.get_by_label("Feedback for the applicant (optional)").fill("Please name the pilot towns.")
    submit = page.get_by_role("button", name="Submit review")
    submit.focus()
    page.keyboard.press("Enter")
    expect(
        page.get_by_text(f"Your review of {first.reference} has been submitted. Thank you!")
    ).to_be_visible()
    review.refresh_from_db()
    assert review.state == ReviewState.SUBMITTED
    assert list(
        review.scores.order_by("criterion__position").values_list("value", "not_applicable")
    ) == [
        (9, False),
        (7, False),
        (None, True),
    ]
    # It went on to the next open review.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Accessible polling stations")


def test_staff_assign_rank_draw_the_line_with_a_lottery_and_decide(page, live_server):
    staff = make_user(Role.STAFF, full_name="Sam Staff")
    call = budget_call(
        "100000.00", title_en="Civic Round 2026", slug="civic-2026", state=CallState.IN_REVIEW
    )

    # A jury in preparation with jurors and applications in review: assign.
    jury = make_jury(call, phase=JuryPhase.PREPARATION)
    jurors = [make_juror(jury, full_name=name) for name in ("Ann Able", "Ben Bold", "Cem Calm")]
    plan = (
        ("A", (9, 9, 9)),
        ("B", (8, 8, 8)),
        ("C", (10, 6, 5)),
        ("D", (8, 7, 7)),
        ("E", (9, 4, 6)),
    )
    applications = {}
    for name, _scores in plan:
        application = in_review(
            call, title=f"Project {name}", owner=make_user(full_name=f"Owner {name}")
        )
        Application.objects.filter(pk=application.pk).update(requested_amount=Decimal("30000.00"))
        applications[name] = application
    log_in_with_second_factor(page, live_server, staff)

    page.goto(live_server.url + "/staff/")
    page.get_by_role("link", name="Jury of Civic Round 2026").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Jury of Civic Round 2026")
    check_both_widths(page, "staff jury")
    page.get_by_role("navigation", name="Jury of this call").get_by_role(
        "link", name="Assignment"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Assignment in Civic Round 2026")
    check_both_widths(page, "assignment (empty)")
    page.get_by_role("button", name="Compute a proposal").click()
    expect(page.get_by_text("The solver proposes 15 assignments.")).to_be_visible()
    check_both_widths(page, "assignment (proposal)")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Confirm 15 assignments").click()
    expect(page.get_by_text("15 assignments confirmed.")).to_be_visible()

    # Scoring is open and no review is in: the line is refused, with the reason.
    nav = page.get_by_role("navigation", name="Jury of this call")
    nav.get_by_role("link", name="Funding line and decisions").click()
    expect(page.get_by_role("heading", name="The reviews are not all in")).to_be_visible()
    expect(
        page.get_by_text(
            "The reviews are not all in: 5 applications still await screening or reviews"
        )
    ).to_be_visible()
    expect(page.get_by_role("button", name="Draw the funding line")).to_have_count(0)
    check_both_widths(page, "funding line (reviews missing)")

    # The jurors score (as tests/review does), staff close the jury and read the ranking.
    for name, scores in plan:
        for juror, score in zip(jurors, scores, strict=True):
            review = Review.objects.get(
                assignment__juror=juror, assignment__application=applications[name]
            )
            scored(review, [score, score, None], for_applicant=f"Feedback on {name}")
        Application.objects.filter(pk=applications[name].pk).update(state=S.REVIEWED)
    nav.get_by_role("link", name="Jury", exact=True).click()
    page.get_by_role("button", name="Close the jury").click()
    expect(page.get_by_text("Jury closed")).to_be_visible()
    nav.get_by_role("link", name="Ranking").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ranking of Civic Round 2026")
    expect(page.get_by_role("heading", name="Disagreement queue")).to_be_visible()
    check_both_widths(page, "ranking")
    page.get_by_role("combobox", name=re.compile(r"^Ranking")).select_option("raw")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("table").first).to_contain_text(
        "Applications by rank (Raw weighted mean)"
    )

    # The funding line, its grey zone and a lottery whose seed source is named at freezing.
    nav.get_by_role("link", name="Funding line and decisions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Funding line of Civic Round 2026")
    check_both_widths(page, "funding line (none)")
    page.get_by_role("combobox", name=re.compile(r"^Ranking")).select_option("raw")
    page.get_by_role("button", name="Draw the funding line").click()
    expect(
        page.get_by_text("The funding line has been drawn from the current ranking.")
    ).to_be_visible()
    check_both_widths(page, "funding line")
    draw = "Lotto 6 aus 49, draw of Saturday 2 May 2026"
    page.get_by_role("combobox", name=re.compile(r"^Source of the seed")).select_option(
        "lottery_draw"
    )
    page.get_by_role("textbox", name=re.compile(r"^Which draw or round")).fill(draw)
    soon = timezone.localtime() + dt.timedelta(minutes=10)
    page.get_by_label(re.compile(r"^Published after")).fill(soon.strftime("%Y-%m-%dT%H:%M"))
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name=re.compile(r"^Freeze the grey zone")).click()
    expect(page.get_by_text("The grey zone is frozen with the source of its seed.")).to_be_visible()
    expect(page.get_by_text(re.compile(r"^The seed is accepted after "))).to_be_visible()
    expect(page.get_by_role("button", name="Draw the lottery")).to_have_count(0)
    check_both_widths(page, "grey zone frozen")
    # The draw takes place (the moment passes), and its numbers are the seed.
    line = FundingLine.objects.get()
    assert (line.seed_source, line.seed_reference) == ("lottery_draw", draw)
    FundingLine.objects.filter(pk=line.pk).update(
        seed_published_after=timezone.now() - dt.timedelta(seconds=1)
    )
    page.reload()
    page.get_by_role("textbox", name=re.compile(r"^Seed")).fill("3 14 22 31 40 45")
    page.get_by_role("checkbox", name=re.compile(r"^This seed is what the source")).check()
    page.get_by_role("button", name="Draw the lottery").click()
    expect(page.get_by_text("The lottery has been drawn.")).to_be_visible()
    line.refresh_from_db()
    assert line.state == LineState.DRAWN
    assert (line.lottery["seed"], line.lottery["source_reference"]) == ("3 14 22 31 40 45", draw)
    expect(page.get_by_role("table", name="Lottery order, lowest ticket first")).to_contain_text(
        line.lottery["order"][0]["ticket"]
    )
    check_both_widths(page, "lottery drawn")

    # Decide: the suggested approvals follow the line; a summary before anything happens.
    page.get_by_label(f"Decision on {applications['E'].reference}").select_option("reject")
    page.get_by_role("button", name="Review these decisions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm the decisions")
    check_both_widths(page, "decision summary")
    assert set(Application.objects.values_list("state", flat=True)) == {S.REVIEWED}
    reason = "Decided in the jury meeting of 4 May 2026."
    page.get_by_role("textbox", name=re.compile(r"^Reason")).fill(reason)
    page.get_by_role("button", name="Decide and inform the applicants").click()
    expect(
        page.get_by_text(re.compile(r"^Decided: \d approved, 0 on the waiting list, 1 rejected\."))
    ).to_be_visible()
    approved = Application.objects.filter(state=S.APPROVED)
    # The line's suggestions, less E, which staff rejected instead.
    assert set(approved.values_list("reference", flat=True)) == set(line.lottery["funded"]) - {
        applications["E"].reference
    }
    assert sum(a.awarded_amount for a in approved) <= Decimal("100000.00")
    assert Application.objects.get(pk=applications["E"].pk).state == S.REJECTED
    axe_check(page, label="after the decisions")

    # Marked as decided: the selection record keeps the line, the lottery and the decisions.
    page.goto(live_server.url + f"/staff/calls/{call.slug}/edit/")
    page.get_by_role("button", name="Mark as decided").click()
    page.get_by_role("button", name="Yes: Mark as decided").click()
    record = SelectionRecord.objects.get(call=call)
    assert record.sealed_at is not None
    assert [item["reason"] for item in record.decisions] == [reason] * (approved.count() + 1)
    page.goto(live_server.url + f"/staff/calls/{call.slug}/jury/line/")
    expect(page.get_by_role("heading", name="Selection record")).to_be_visible()
    expect(page.get_by_text(re.compile(r"The call was marked as decided on "))).to_be_visible()
    expect(page.get_by_role("table", name="The line at decision time, by rank")).to_contain_text(
        applications["A"].reference
    )
    check_both_widths(page, "selection record")
    # Its PDF: tagged, in the language chosen, with the lottery and the decisions' reason.
    with page.expect_download() as download:
        page.get_by_role("link", name="English", exact=True).click()
    content = Path(download.value.path()).read_bytes()
    text = pdf_text(content)
    assert "Selection record: Civic Round 2026" in text
    assert draw in text and "3 14 22 31 40 45" in text and reason in text
    root = PdfReader(io.BytesIO(content)).trailer["/Root"]
    assert root["/Lang"] == "en" and "/StructTreeRoot" in root

    # The waiting list and one application's reviews.
    nav.get_by_role("link", name="Waiting list").click()
    # Wait for the page: axe on a document being replaced finds no document.
    expect(page.get_by_role("heading", level=1)).to_have_text("Waiting list of Civic Round 2026")
    check_both_widths(page, "waiting list")
    page.goto(live_server.url + f"/staff/applications/{applications['A'].pk}/jury/")
    expect(page.get_by_role("heading", name="Submitted reviews")).to_be_visible()
    check_both_widths(page, "application reviews")


def test_a_jurors_own_application_is_labelled_for_juror_and_staff(page, live_server):
    """Issue 15, item 4: staff add an applicant as a juror; both see the hard conflict."""
    staff = make_user(Role.STAFF, full_name="Sam Staff")
    jury = make_jury(phase=JuryPhase.PREPARATION)
    person = make_user(Role.APPLICANT, mfa=True, full_name="Tina Berger", email="tina@uni.example")
    own = in_review(jury.call, title="Tina's own project", owner=person)
    in_review(
        jury.call,
        title="Somebody else's project",
        owner=make_user(Role.APPLICANT, full_name="Uwe Other", email="uwe@other.example"),
    )
    log_in_with_second_factor(page, live_server, staff)

    page.goto(live_server.url + f"/staff/calls/{jury.call.slug}/jury/jurors/")
    page.get_by_role("textbox", name=re.compile(r"^E-mail address")).fill("tina@uni.example")
    page.get_by_role("button", name="Add or invite").click()
    expect(
        page.get_by_text(f"is the applicant or a team member of {own.reference}")
    ).to_be_visible()
    expect(
        page.get_by_text("1 own application or team membership (cannot be dismissed)")
    ).to_be_visible()
    check_both_widths(page, "jurors with a hard conflict")

    page.context.clear_cookies()
    log_in_with_second_factor(page, live_server, person)
    page.goto(live_server.url + f"/jury/calls/{jury.call.slug}/conflicts/")
    row = page.get_by_role("row", name=re.compile("Tina's own project"))
    expect(row).to_contain_text("Own application or team member")
    expect(row).to_contain_text("a conflict of interest that cannot be dismissed")
    expect(page.get_by_role("button", name=re.compile("^Dismiss"))).to_have_count(0)
    expect(
        page.get_by_role("heading", name="Suggested conflicts to confirm or dismiss")
    ).to_have_count(0)
    check_both_widths(page, "conflicts with a hard conflict")
