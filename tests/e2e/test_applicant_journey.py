"""A new person signs up, verifies the address, writes, submits and withdraws a proposal,
in a real browser, with axe-core on every page."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import User
from grants.models import Application
from grants.states import ApplicationState
from tests.e2e.conftest import axe_check
from tests.factories import CallFactory, TopicFactory

pytestmark = pytest.mark.e2e

EMAIL = "ada@example.org"
PASSWORD = "a-long-and-unusual-passphrase-42"

SECTIONS = {
    "Summary": "A toolkit that turns municipal timetables into accessible open data.",
    "Societal challenge": "Public transport data is locked in PDFs and hard to reuse.",
    "Technical approach": "Python, GTFS, a validator and a static site generator.",
    "Prior work": "A first converter for two cities exists.",
    "Similar approaches": "Commercial tools are closed and expensive.",
    "Target group": "Municipal data teams and civic hackers.",
    "Team experience": "Ten years of open data work in local government.",
}
MILESTONES = [
    ("Converter", "GTFS export for ten cities", "2", "300"),
    ("Validator", "Public validation service", "4", "300"),
    ("Publication", "Documented release 1.0", "6", "300"),
]


@pytest.fixture
def open_call():
    call = CallFactory(title_en="Open Data Round 2026", slug="open-data-2026")
    TopicFactory(fund=call.fund, slug="open-data", name_en="Open Data", name_de="Offene Daten")
    TopicFactory(fund=call.fund, slug="civic-tech", name_en="Civic Tech", name_de="Civic Tech")
    return call


def test_sign_up_write_submit_and_withdraw(page, live_server, open_call):
    mail.outbox.clear()

    # Home page → "Register".
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Funding for open-source")
    expect(page.get_by_role("link", name="Open Data Round 2026")).to_be_visible()
    axe_check(page, label="home")
    # The project's style sheet and script are served (by the live server's static handler).
    assert (
        page.evaluate("getComputedStyle(document.querySelector('.site-header')).backgroundColor")
        == "rgb(11, 79, 138)"
    )
    assert page.evaluate("[...document.scripts].some(s => s.src.endsWith('/static/js/fund.js'))")
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Register"
    ).click()

    # Sign-up form of allauth.
    expect(page).to_have_url(re.compile(r"/accounts/signup/$"))
    axe_check(page, label="sign-up")
    page.get_by_label("Full name").fill("Ada Lovelace")
    page.get_by_label(re.compile(r"^E-mail address")).fill(EMAIL)
    page.get_by_label(re.compile(r"^Password \*?$")).fill(PASSWORD)
    page.get_by_label(re.compile(r"^Password \(again\)")).fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()

    # "Confirm your e-mail address" page (after sign-up), and the verification e-mail.
    expect(page).to_have_url(re.compile(r"/accounts/confirm-email/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your e-mail address")
    axe_check(page, label="verification sent")
    assert len(mail.outbox) == 1
    verification = mail.outbox[0]
    assert verification.to == [EMAIL]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", verification.body).group(0)
    assert link.startswith(live_server.url)

    # Confirm page: one button; confirming logs the person in.
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your e-mail address")
    axe_check(page, label="confirm e-mail")
    page.get_by_role("button", name="Confirm").click()

    # Logged in, on the applicant dashboard with an empty state and the open call.
    expect(page).to_have_url(re.compile(r"/applicant/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("My applications")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    axe_check(page, label="applicant dashboard")
    user = User.objects.get(email=EMAIL)
    assert user.has_role("applicant")
    assert user.full_name == "Ada Lovelace"

    # Call page → start an application.
    page.get_by_role("link", name="Open Data Round 2026").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Open Data Round 2026")
    axe_check(page, label="call page")
    page.get_by_role("button", name="Start an application").click()

    # The draft form.
    expect(page).to_have_url(re.compile(r"/applications/\d+/edit/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your application")
    axe_check(page, label="edit form (empty)")
    application = Application.objects.get(owner=user)
    assert application.state == ApplicationState.DRAFT

    page.get_by_label("Project title").fill("Open timetables for every town")
    page.get_by_label("Track").select_option(label="Individual, 6 months")
    page.get_by_label("Topic").select_option(label="Open Data")
    page.get_by_label("Licence").select_option(label="European Union Public Licence 1.2")
    page.get_by_label("Repository URL").fill("https://codeberg.org/example/timetables")

    # The live word counter follows typing.
    summary = page.get_by_label("Summary", exact=True)
    counter = page.locator("#id_summary-count")
    expect(counter).to_have_text("0 of at most 100 words")
    summary.press_sequentially("Open timetable data")
    expect(counter).to_have_text("3 of at most 100 words")
    summary.fill(SECTIONS["Summary"])
    expect(counter).to_have_text("10 of at most 100 words")
    for label, text in SECTIONS.items():
        if label != "Summary":
            page.get_by_label(label, exact=True).fill(text)

    for number, (title, deliverable, month, hours) in enumerate(MILESTONES, start=1):
        group = page.get_by_role("group", name=f"Milestone {number}", exact=True)
        group.get_by_label("Title").fill(title)
        group.get_by_label("Deliverable").fill(deliverable)
        group.get_by_label("Month").select_option(month)
        group.get_by_label("Hours").fill(hours)

    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("status")).to_contain_text("Your draft has been saved.")
    expect(page.get_by_label("Project title")).to_have_value("Open timetables for every town")
    expect(counter).to_have_text("10 of at most 100 words")
    axe_check(page, label="edit form (saved)")
    application.refresh_from_db()
    assert application.title == "Open timetables for every town"
    assert application.planned_milestones.count() == 3

    # Preview: complete, so it offers to submit.
    page.get_by_role("button", name="Save and preview").click()
    expect(page).to_have_url(re.compile(r"/applications/\d+/preview/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Preview of your application")
    expect(page.get_by_text("Your application is complete.")).to_be_visible()
    axe_check(page, label="preview")
    page.get_by_role("button", name="Submit application").click()

    # Confirmation with the reference, and the confirmation e-mail.
    expect(page).to_have_url(re.compile(rf"/applications/{application.pk}/$"))
    status = page.get_by_role("status")
    expect(status).to_contain_text("has been submitted")
    reference = re.search(r"CTF-\d{4}-\d+-\d{4}", status.inner_text()).group(0)
    application.refresh_from_db()
    assert reference == application.reference
    assert application.state == ApplicationState.SUBMITTED
    expect(page.get_by_role("heading", level=1)).to_contain_text(reference)
    axe_check(page, label="application detail (submitted)")
    received = [message for message in mail.outbox if message.subject.endswith(" received")]
    assert len(received) == 1
    assert received[0].to == [EMAIL]
    assert reference in received[0].subject
    assert reference in received[0].body

    # Withdraw through the confirmation page.
    page.get_by_role("link", name="Withdraw application").click()
    expect(page).to_have_url(re.compile(rf"/applications/{application.pk}/withdraw/$"))
    axe_check(page, label="withdraw")
    page.get_by_label("Reason (optional)").fill("We found another funder.")
    page.get_by_label("Yes, I want to withdraw this application").check()
    page.get_by_role("button", name="Withdraw application").click()

    expect(page).to_have_url(re.compile(rf"/applications/{application.pk}/$"))
    expect(page.get_by_role("status")).to_contain_text(f"{reference} has been withdrawn")
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text("Withdrawn")
    expect(page.get_by_role("link", name="Withdraw application")).to_have_count(0)
    axe_check(page, label="application detail (withdrawn)")
    application.refresh_from_db()
    assert application.state == ApplicationState.WITHDRAWN
    withdrawn = [message for message in mail.outbox if message.subject.endswith(" withdrawn")]
    assert len(withdrawn) == 1
    assert withdrawn[0].to == [EMAIL]
    assert reference in withdrawn[0].subject
