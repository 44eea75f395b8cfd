"""Everyday use in a real browser (issue 10): sign-up with a name; language and password on
the account page; a draft saved with rule problems keeps the text; staff see what an answer
changed; closing a call is confirmed first; phone-width pages; axe-core everywhere."""

import datetime as dt
import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import User
from accounts.roles import Role
from grants.models import Application, InformationRequest
from grants.services.applications import answer_information_request
from grants.states import ApplicationState, CallState
from tests.e2e.conftest import axe_check, log_in_browser, log_in_browser_with_second_factor
from tests.factories import ApplicationFactory, CallFactory, TopicFactory, make_user, set_state
from tests.grants.staff.helpers import bulk_submit

pytestmark = pytest.mark.e2e

PASSWORD = "a-long-and-unusual-passphrase-42"
NEW_PASSWORD = "another-long-passphrase-for-2027"
PHONE = {"width": 390, "height": 844}


def test_sign_up_with_a_name_then_change_language_and_password(page, live_server):
    mail.outbox.clear()
    page.goto(live_server.url + "/accounts/signup/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign up")
    page.get_by_label("Full name").fill("Grace Hopper")
    page.get_by_label(re.compile(r"^E-mail address")).fill("grace@example.org")
    page.get_by_label(re.compile(r"^Password \*?$")).fill(PASSWORD)
    page.get_by_label(re.compile(r"^Password \(again\)")).fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your e-mail address")
    (verification,) = mail.outbox
    assert verification.body.startswith("Hello Grace Hopper,\n")
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", verification.body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()
    expect(page).to_have_url(re.compile(r"/applicant/$"))
    user = User.objects.get(email="grace@example.org")
    assert user.full_name == "Grace Hopper"

    # The account page: name, language, password, second factor and e-mail in one place.
    page.get_by_role("link", name="Account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    expect(page.get_by_label(re.compile(r"^Full name"))).to_have_value("Grace Hopper")
    axe_check(page, label="account page")
    page.get_by_role("main").get_by_label(re.compile(r"^Language")).select_option("de")
    page.get_by_role("button", name="Save name and language").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Ihr Konto")
    expect(page.get_by_role("status")).to_contain_text(
        "Ihr Name und Ihre Sprache wurden gespeichert."
    )
    expect(page.locator("html")).to_have_attribute("lang", "de")
    axe_check(page, label="account page (German)")
    user.refresh_from_db()
    assert user.language == "de"

    page.get_by_label(re.compile(r"^Aktuelles Passwort")).fill(PASSWORD)
    page.get_by_label(re.compile(r"^Neues Passwort \*?$")).fill(NEW_PASSWORD)
    page.get_by_label(re.compile(r"^Neues Passwort \(Wiederholung\)")).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Passwort ändern").click()

    expect(page).to_have_url(re.compile(r"/account/#password$"))
    expect(page.get_by_role("status")).to_contain_text("Ihr Passwort wurde geändert.")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_a_draft_with_rule_problems_is_saved_as_typed(page, live_server):
    applicant = make_user(Role.APPLICANT)
    draft = ApplicationFactory(
        call=CallFactory(), owner=applicant, milestones=False, track="individual_10"
    )
    log_in_browser(page, live_server, applicant)
    page.goto(f"{live_server.url}/applications/{draft.pk}/edit/")
    first = page.get_by_role("group", name="Milestone 1", exact=True)

    # The budget follows the hours as they are typed: 300 h × €50 + 5 %, of which 95 %.
    first.get_by_label("Hours").fill("300")
    expect(page.locator('[data-budget="requested"]')).to_have_text("€14,962.50")
    expect(page.locator('[data-budget="hours"]')).to_have_text("300")

    # A month of the ten-month track, then the six-month track: the month stays, marked.
    first.get_by_label("Month").select_option("9")
    page.get_by_label("Track").select_option(label="Individual, 6 months")
    month = first.get_by_label("Month")
    expect(month).to_have_value("9")
    expect(month.locator("option")).to_have_text(
        ["–", "1", "2", "3", "4", "5", "6", "9 – beyond this track"]
    )
    page.get_by_label("Summary", exact=True).fill("Text that must survive the save.")
    team = page.get_by_role("group", name="Team member 1", exact=True)
    team.get_by_label("Name").fill("Ana")
    team.get_by_label("E-mail address").fill("ana@")
    page.get_by_role("button", name="Save draft").click()

    expect(page.get_by_role("status")).to_contain_text("Your draft has been saved.")
    expect(page.get_by_label("Summary", exact=True)).to_have_value(
        "Text that must survive the save."
    )
    expect(first.get_by_label("Month")).to_have_value("9")
    expect(team.get_by_label("E-mail address")).to_have_value("ana@")
    axe_check(page, label="draft saved with rule problems")

    page.get_by_role("button", name="Save and preview").click()
    problems = page.get_by_role("alert")
    expect(problems).to_contain_text("Milestone 1: the month must be between 1 and 6.")
    expect(problems).to_contain_text("Team member 1: “ana@” is not a valid e-mail address.")
    expect(page.get_by_role("button", name="Submit application")).to_have_count(0)
    axe_check(page, label="preview with rule problems")
    draft.refresh_from_db()
    assert draft.summary == "Text that must survive the save."


@pytest.fixture
def answered():
    application = set_state(ApplicationFactory(call=CallFactory()), ApplicationState.SUBMITTED)
    InformationRequest.objects.create(
        application=application,
        question="Which cities take part?",
        editable_sections=["summary", "milestones"],
        due_on=dt.date(2099, 1, 1),
        asked_by=make_user(Role.STAFF),
    )
    rows = [
        {"title": m.title, "deliverable": m.deliverable, "month": m.month, "hours": m.hours}
        for m in application.planned_milestones.all()
    ]
    rows[2]["title"] = "Public release"
    answer_information_request(
        application=application,
        actor=application.owner,
        answer="Bonn and Leipzig.",
        section_values={"summary": "A toolkit that Bonn and Leipzig use for open data."},
        expected_version=application.version,
        milestones=rows,
    )
    return application


def test_staff_see_what_an_answer_changed(page, live_server, answered):
    staff = make_user(Role.STAFF)
    log_in_browser_with_second_factor(page, live_server, staff)

    page.goto(f"{live_server.url}/staff/applications/{answered.pk}/")
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text("Changed: Summary, Milestones")
    axe_check(page, label="staff detail with an answer")
    timeline.get_by_role("link", name="See what changed").click()

    request = InformationRequest.objects.get()
    expect(page).to_have_url(re.compile(rf"#answer-{request.pk}$"))
    changes = page.locator(f"#answer-{request.pk}")
    expect(changes.get_by_role("heading", name="What the answer changed")).to_be_visible()
    expect(changes.locator("del").first).to_have_text(
        "removed: turns timetable data into accessible"
    )
    expect(changes.locator("ins").first).to_have_text("added: Bonn and Leipzig use for")
    expect(changes.locator("li.diff-added")).to_have_text(
        ["added: 3. Public release – Release 3 (month 6, 300 hours)"]
    )


def test_closing_a_call_is_confirmed_first(page, live_server):
    call = CallFactory(title_en="Open Data Round", slug="open-data-round")
    ApplicationFactory(call=call)  # a draft
    set_state(ApplicationFactory(call=call), ApplicationState.SUBMITTED)
    staff = make_user(Role.STAFF)
    log_in_browser_with_second_factor(page, live_server, staff)

    page.goto(f"{live_server.url}/staff/calls/{call.slug}/edit/")
    page.get_by_role("button", name="Close the call").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Close the call: Open Data Round")
    expect(page.get_by_role("main")).to_contain_text(
        "1 draft can then no longer be submitted; its applicant keeps it."
    )
    expect(page.get_by_role("main")).to_contain_text("1 application has been submitted.")
    axe_check(page, label="confirm closing the call")
    page.get_by_role("link", name="Cancel").click()
    call.refresh_from_db()
    assert call.state == CallState.OPEN

    page.get_by_role("button", name="Close the call").click()
    page.get_by_role("button", name="Yes: Close the call").click()
    expect(page.get_by_role("status")).to_contain_text("The call is now in the state “Closed”.")
    call.refresh_from_db()
    assert call.state == CallState.CLOSED


def test_the_applicant_list_on_a_phone_shows_state_and_next_step(page, live_server):
    applicant = make_user(Role.APPLICANT)
    call = CallFactory()
    ApplicationFactory(call=call, owner=applicant, title="A draft with a long title to wrap")
    set_state(ApplicationFactory(call=call, owner=applicant), ApplicationState.REJECTED)
    log_in_browser(page, live_server, applicant)
    page.set_viewport_size(PHONE)

    page.goto(f"{live_server.url}/applicant/")
    rows = page.locator("table.table-stack tbody tr")
    expect(rows).to_have_count(2)
    for cell_text in ("Continue writing and submit before the deadline", "Not funded"):
        cell = page.get_by_role("cell", name=re.compile(cell_text))
        expect(cell).to_be_visible()
        box = cell.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    axe_check(page, label="applicant list at 390 px")


def test_the_staff_list_on_a_phone_says_it_scrolls_and_fits_in_german(page, live_server):
    call = CallFactory(slug="round", title_de="Runde 2026", title_en="Round 2026")
    TopicFactory(fund=call.fund)
    bulk_submit(call, 3)
    staff = make_user(Role.STAFF)
    log_in_browser_with_second_factor(page, live_server, staff)
    page.set_viewport_size(PHONE)

    page.goto(f"{live_server.url}/staff/calls/round/applications/")
    hint = page.get_by_text("This table is wider than the screen")
    expect(hint).to_be_visible()
    region = page.get_by_role("group", name=re.compile(r"3 applications"))
    expect(region).to_be_visible()
    # The reference stays in view while the table scrolls.
    region.evaluate("box => box.scrollLeft = box.scrollWidth")
    reference = page.get_by_role("rowheader").first
    box = reference.bounding_box()
    assert 0 <= box["x"] < PHONE["width"], box
    axe_check(page, label="staff list at 390 px")

    # Select all, on a laptop, in German: the table fits without scrolling.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.context.add_cookies([{"name": "ctf_language", "value": "de", "url": live_server.url}])
    page.goto(f"{live_server.url}/staff/calls/round/applications/")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    table = page.locator("table.application-list")
    assert table.evaluate("t => t.parentElement.scrollWidth <= t.parentElement.clientWidth")
    expect(page.get_by_text("Diese Tabelle ist breiter als der Bildschirm")).to_be_hidden()
    select_all = page.get_by_label("Alle Anträge dieser Seite auswählen")
    select_all.check()
    expect(page.locator('input[name="applications"]:checked')).to_have_count(3)
    axe_check(page, label="staff list in German at 1280 px")
    assert Application.objects.count() == 3


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, PHONE], ids=["1280", "390"])
def test_new_pages_pass_axe_at_laptop_and_phone_width(page, live_server, answered, viewport):
    page.set_viewport_size(viewport)
    owner = answered.owner
    submitted = answered
    questioned = set_state(
        ApplicationFactory(call=submitted.call, owner=owner, track="team_6", members=["a@x.org"]),
        ApplicationState.SUBMITTED,
    )
    InformationRequest.objects.create(
        application=questioned,
        question="Please plan the team and the hours again.",
        editable_sections=["summary", "budget", "team"],
        due_on=dt.date(2099, 1, 1),
        asked_by=make_user(Role.STAFF),
    )
    log_in_browser(page, live_server, owner)
    for path, heading in (
        ("/account/", "Your account"),
        (f"/applications/{submitted.pk}/edit/", submitted.title),
        (f"/applications/{questioned.pk}/answer/", f"Question about {questioned.reference}"),
    ):
        page.goto(live_server.url + path)
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        axe_check(page, label=f"{path} at {viewport['width']} px")

    page.context.clear_cookies()
    log_in_browser_with_second_factor(page, live_server, make_user(Role.STAFF))
    page.goto(f"{live_server.url}/staff/applications/{submitted.pk}/")
    axe_check(page, label=f"staff detail with a diff at {viewport['width']} px")
    page.goto(f"{live_server.url}/staff/calls/{submitted.call.slug}/edit/")
    page.get_by_role("button", name="Close the call").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Close the call")
    axe_check(page, label=f"call confirmation at {viewport['width']} px")
    page.goto(f"{live_server.url}/staff/calls/{submitted.call.slug}/applications/")
    page.get_by_label(f"Select {submitted.reference}").check()
    page.get_by_label(f"Select {questioned.reference}").check()
    page.get_by_role("button", name="Apply to the selected applications").click()
    # One has an open question: the step is refused for it, with the reason, selection kept.
    expect(page.get_by_role("alert")).to_contain_text(
        f"{questioned.reference}: a question to the applicant is still open"
    )
    expect(page.get_by_label(f"Select {submitted.reference}")).to_be_checked()
    axe_check(page, label=f"refused bulk step at {viewport['width']} px")
    page.get_by_label(f"Select {questioned.reference}").uncheck()
    page.get_by_role("button", name="Apply to the selected applications").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mark as eligible: 1 application")
    axe_check(page, label=f"bulk confirmation at {viewport['width']} px")


def test_screening_without_a_reason_keeps_the_place_and_shows_the_error_there(page, live_server):
    application = set_state(ApplicationFactory(call=CallFactory()), ApplicationState.SUBMITTED)
    log_in_browser_with_second_factor(page, live_server, make_user(Role.STAFF))
    page.goto(f"{live_server.url}/staff/applications/{application.pk}/")

    screening = page.locator("#screening")
    screening.get_by_label("Ineligible").check()
    screening.get_by_label("Note to the applicant").fill("Written before the error.")
    screening.get_by_role("button", name="Record the screening result").click()

    expect(page).to_have_url(re.compile(r"/screen/#screening$"))
    error = screening.get_by_role("alert")
    expect(error).to_have_text(
        "The screening result was not recorded. Please correct the marked fields."
    )
    expect(error).to_be_in_viewport()
    expect(screening.get_by_label("Ineligible")).to_be_checked()
    expect(screening.get_by_label("Note to the applicant")).to_have_value(
        "Written before the error."
    )
    expect(screening).to_contain_text("Choose at least one reason.")
    axe_check(page, label="screening error")
