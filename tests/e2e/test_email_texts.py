"""Staff reword an e-mail in a real browser (issue 20): the list of every e-mail, the form
with its placeholders and a preview, a wrong placeholder refused with the text kept; once
saved, the next such e-mail uses the new words. axe-core at 1280 and 390 px on each page."""

import re

import pytest
from django.conf import settings
from django.core import mail
from playwright.sync_api import expect

from accounts.roles import Role
from grants.states import ApplicationState
from tests.e2e.conftest import axe_both_widths, log_in_browser, log_in_browser_with_second_factor
from tests.factories import ApplicationFactory, make_user
from workflow.models import EmailText

pytestmark = pytest.mark.e2e

SUBJECT = "Eingang bestätigt: $reference"
BODY = "vielen Dank für „$title“. Wir melden uns bald.\n\nIhr Antrag: $link"


def test_staff_reword_an_email_and_the_next_one_uses_it(page, live_server):
    staff = make_user(Role.STAFF, full_name="Sam Staff")
    log_in_browser_with_second_factor(page, live_server, staff)

    page.goto(live_server.url + "/staff/")
    page.get_by_role("link", name="E-mail texts").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("E-mail texts")
    axe_both_widths(page, "e-mail texts")
    link = page.locator('a[href="/staff/emails/application_submitted/de/"]')
    expect(link).to_have_text("Shipped text: Application received, German")
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "E-mail “Application received” in German"
    )
    expect(page.get_by_role("textbox", name=re.compile("^Subject"))).to_have_value(
        "Antrag $reference eingegangen"
    )
    expect(page.get_by_role("term").filter(has_text="$title")).to_be_visible()
    axe_both_widths(page, "e-mail text")

    # A placeholder the e-mail does not have: refused, the words stay in the form.
    page.get_by_role("textbox", name=re.compile("^Subject")).fill(SUBJECT)
    page.get_by_role("textbox", name=re.compile("^Text")).fill(BODY + " $password")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("The text was not saved.")
    expect(page.get_by_text(re.compile(r"\$password"))).not_to_have_count(0)
    assert not EmailText.objects.exists()
    axe_both_widths(page, "e-mail text (refused)")

    # The preview fills in sample values; saving applies it.
    page.get_by_role("textbox", name=re.compile("^Text")).fill(BODY)
    page.get_by_role("button", name="Show the preview").click()
    preview = page.get_by_role("region", name="Preview with sample data")
    expect(preview).to_contain_text("Eingang bestätigt: CTF-")
    expect(preview).to_contain_text("vielen Dank für „")
    assert not EmailText.objects.exists()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Saved. The next e-mail of this kind uses this text."
    )
    expect(page.get_by_text(re.compile("^Changed on .* by Sam Staff$"))).to_be_visible()
    axe_both_widths(page, "e-mail text (changed)")
    assert list(EmailText.objects.values_list("key", "language", "subject")) == [
        ("application_submitted", "de", SUBJECT)
    ]

    # A German applicant submits: the e-mail has staff's words, an English one the shipped.
    mail.outbox.clear()
    german = ApplicationFactory(
        owner=make_user(Role.APPLICANT, language="de", full_name="Dora Deutsch"),
        title="Offene Pegelstände",
    )
    english = ApplicationFactory(
        owner=make_user(Role.APPLICANT, language="en"), call=german.call, title="Open tides"
    )
    for application in (german, english):
        page.context.clear_cookies()
        log_in_browser(page, live_server, application.owner)
        page.goto(live_server.url + f"/applications/{application.pk}/preview/")
        page.get_by_role(
            "button", name=re.compile("^(Submit application|Antrag einreichen)$")
        ).click()
        expect(page).to_have_url(live_server.url + f"/applications/{application.pk}/")
    german.refresh_from_db()
    english.refresh_from_db()
    assert {german.state, english.state} == {ApplicationState.SUBMITTED}
    received = {
        message.to[0]: message
        for message in mail.outbox
        if message.to[0] in (german.owner.email, english.owner.email)
    }
    to_german = received[german.owner.email]
    assert to_german.subject == f"[Civic Tech Fund] Eingang bestätigt: {german.reference}"
    link = f"{settings.SITE_URL}/applications/{german.pk}/"
    assert to_german.body.startswith(
        "Guten Tag Dora Deutsch,\n\nvielen Dank für „Offene Pegelstände“. Wir melden uns bald."
        f"\n\nIhr Antrag: {link}\n"
    )
    assert received[english.owner.email].subject == (
        f"[Civic Tech Fund] Application {english.reference} received"
    )
