"""The inbox and the conversations in a real browser: staff clear three items of different
kinds from their inbox (a new message, a changed account, a transfer file), take work over
and filter by "mine"; an applicant and staff exchange messages with a file; staff send an
announcement after its preview with the count; jurors and applicants read their own inbox.
axe-core checks every page at 1280 px and 390 px."""

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from grants.contracts.services.batches import export_sepa_batch
from grants.models import Announcement, BankDetailsCheck, Message, Payment
from tests.e2e.conftest import log_in_browser
from tests.e2e.test_grant_journey import axe_both_widths, log_in_staff
from tests.factories import ApplicationFactory, CallFactory, make_grant, make_user
from tests.grants.contracts.helpers import accept, report
from tests.grants.inbox.world import _submitted, applicant_world, juror_world, message

pytestmark = pytest.mark.e2e

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def section(page, heading):
    return page.locator("section.inbox-kind", has=page.get_by_role("heading", name=heading))


def test_staff_clear_three_kinds_of_work_from_their_inbox(page, live_server):
    mara = make_user(Role.STAFF, full_name="Mara Klein")  # works through her inbox
    jonas = make_user(Role.STAFF, full_name="Jonas Becker")  # released the payment
    cem = make_user(Role.STAFF, full_name="Cem Aydin")  # made the transfer file
    call = CallFactory(title_en="Open data for towns")
    asking = _submitted(call, title="Bus stop map")
    message(asking, asking.owner, "Could we start in May instead of April?")
    changed = make_grant(ApplicationFactory(call=call, title="River levels"))
    BankDetailsCheck.objects.create(
        grant=changed,
        reason="change",
        account_holder="Ada Lovelace",
        iban_masked=changed.iban_masked,
        requested_by=changed.application.owner,
    )
    paid = make_grant(ApplicationFactory(call=call, title="Open timetable toolkit"))
    milestone = paid.milestones.first()
    report(milestone)
    accept(milestone, jonas)
    batch = export_sepa_batch(
        actor=cem,
        payment_ids=[Payment.objects.get(milestone=milestone, kind="released").pk],
        execution_date=timezone.localdate(),
    )

    log_in_staff(page, live_server, mara)
    page.goto(live_server.url + "/inbox/")
    expect(page.get_by_role("heading", level=1)).to_have_text("To do")
    # The message's application is also still to be screened: four items.
    expect(page.locator(".lead")).to_have_text("4 items wait for you.")
    expect(page.locator(".nav-count")).to_have_text("4 waiting")
    axe_both_widths(page, "staff inbox")

    # Take the screening over, and see it under "mine".
    screening = section(page, "Applications to screen")
    screening.get_by_role("button", name="Take over").click()
    expect(section(page, "Applications to screen")).to_contain_text("taken over by you")
    page.get_by_label("Only what I took over").check()
    page.get_by_role("button", name="Apply filters").click()
    # The application taken over: its screening and its new message.
    expect(page.locator("section.inbox-kind h3")).to_have_text(
        ["New messages from applicants 1", "Applications to screen 1"]
    )
    expect(page.locator(".lead")).to_have_text("2 items wait for you.")
    axe_both_widths(page, "staff inbox, mine")
    page.get_by_role("link", name="Show everything").click()

    # 1. The new message: reading it clears the line.
    section(page, "New messages from applicants").get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Messages")
    expect(page.locator(".thread")).to_contain_text("Could we start in May instead of April?")
    page.goto(live_server.url + "/inbox/")
    expect(section(page, "New messages from applicants")).to_have_count(0)

    # 2. The changed account: confirmed after the call back.
    section(page, "Changed bank accounts to confirm").get_by_role("link").first.click()
    page.get_by_label("How the account was confirmed").fill(
        "Called +49 30 1234567 from the application; the grantee read the IBAN back."
    )
    page.get_by_role("button", name="The grantee confirmed this account").click()
    expect(page.get_by_role("status")).to_contain_text("is confirmed")
    page.goto(live_server.url + "/inbox/")
    expect(section(page, "Changed bank accounts to confirm")).to_have_count(0)

    # 3. The transfer file: the bank executed it.
    section(page, "Transfer files to mark paid").get_by_role("link", name=batch.file_name).click()
    page.get_by_label("Bank reference").fill("BANK-2026-17")
    page.get_by_label("Payment date (bank statement)").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Mark every payment in this file as paid").click()
    expect(page.get_by_role("status")).to_contain_text("is recorded as paid")
    page.goto(live_server.url + "/inbox/")
    expect(section(page, "Transfer files to mark paid")).to_have_count(0)

    expect(page.locator(".lead")).to_have_text("1 item waits for you.")
    assert BankDetailsCheck.objects.get().state == "confirmed"
    milestone.refresh_from_db()
    assert milestone.state == "paid"


def test_an_applicant_and_staff_exchange_messages_with_a_file(
    page, live_server, tmp_path, mailoutbox
):
    mara = make_user(Role.STAFF, full_name="Mara Klein")
    application = _submitted(CallFactory(), title="Bus stop map")
    owner = application.owner
    plan = tmp_path / "plan.pdf"
    plan.write_bytes(PDF)

    log_in_browser(page, live_server, owner)
    page.goto(live_server.url + f"/applications/{application.pk}/")
    page.get_by_role("link", name="Messages with the programme staff").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Messages")
    axe_both_widths(page, "applicant's empty thread")
    page.get_by_label("Your message").fill("Our work plan for the first months is attached.")
    page.get_by_label("Files").set_input_files(str(plan))
    page.get_by_role("button", name="Send the message").click()
    expect(page.locator(".thread")).to_contain_text("Our work plan for the first months")
    expect(page.locator(".message-files")).to_contain_text("plan.pdf")
    sent = Message.objects.get()
    assert [a.original_name for a in sent.attachments.all()] == ["plan.pdf"]

    page.context.clear_cookies()
    log_in_staff(page, live_server, mara)
    page.goto(live_server.url + "/inbox/")
    section(page, "New messages from applicants").get_by_role("link").first.click()
    expect(page.locator(".badge-new")).to_have_count(1)
    file_url = page.get_by_role("link", name="plan.pdf").get_attribute("href")
    assert page.request.get(live_server.url + file_url).body() == PDF
    axe_both_widths(page, "staff thread")
    page.get_by_label("Your message").fill("Thank you: the plan reads well.")
    page.get_by_role("button", name="Send the message").click()
    expect(page.locator(".thread .thread-message")).to_have_count(2)
    assert [mail.to for mail in mailoutbox] == [[owner.email]]

    page.context.clear_cookies()
    log_in_browser(page, live_server, owner)
    page.goto(live_server.url + "/inbox/")
    expect(page.locator("#team_unread_messages")).to_contain_text("Bus stop map")
    axe_both_widths(page, "applicant inbox")
    page.locator("#team_unread_messages").get_by_role("link").first.click()
    expect(page.locator(".is-new")).to_contain_text("Thank you: the plan reads well.")


def test_staff_announce_to_the_applicants_of_a_call_after_the_preview(
    page, live_server, mailoutbox
):
    mara = make_user(Role.STAFF, full_name="Mara Klein")
    call = CallFactory(title_en="Open data for towns")
    applicants = [_submitted(call).owner for _ in range(3)]
    ApplicationFactory(call=call)  # a draft: not an applicant yet

    log_in_staff(page, live_server, mara)
    page.goto(live_server.url + "/staff/announcements/new/")
    axe_both_widths(page, "announcement form")
    page.get_by_label("Everyone who applied to one call").check()
    page.locator("select[name=call]").select_option(label="Open data for towns")
    page.get_by_label("Subject (German)").fill("Sprechstunde am Donnerstag")
    page.get_by_label("Text (German)").fill("Wir beantworten Ihre Fragen am Donnerstag.")
    page.get_by_label("Subject (English)").fill("Office hour on Thursday")
    page.get_by_label("Text (English)").fill("We answer your questions on Thursday.")
    page.get_by_role("button", name="Preview and count the recipients").click()
    expect(page.get_by_text("It will be sent to 3 people.")).to_be_visible()
    axe_both_widths(page, "announcement preview")
    assert not Announcement.objects.exists()
    page.get_by_role("button", name="Send to 3 people").click()
    expect(page.get_by_role("status")).to_be_visible()
    assert sorted(mail.to[0] for mail in mailoutbox) == sorted(user.email for user in applicants)

    page.context.clear_cookies()
    log_in_browser(page, live_server, applicants[0])
    page.goto(live_server.url + "/inbox/")
    expect(page.get_by_role("heading", name="Announcements to you")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Office hour on Thursday")


def test_a_juror_and_a_grantee_read_their_inbox(page, live_server):
    world = juror_world()
    log_in_staff(page, live_server, world.juror)
    page.goto(live_server.url + "/inbox/")
    expect(page.locator(".lead")).to_have_text("2 items wait for you.")
    axe_both_widths(page, "juror inbox")

    page.context.clear_cookies()
    owner = make_user(Role.APPLICANT, full_name="Ada Lovelace")
    applicant_world(owner, make_user(Role.STAFF))
    log_in_browser(page, live_server, owner)
    page.goto(live_server.url + "/inbox/")
    expect(page.locator("section.inbox-kind")).to_have_count(6)
    axe_both_widths(page, "applicant and grantee inbox")
    # German too.
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "de", "url": live_server.url}]
    )
    page.goto(live_server.url + "/inbox/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Zu erledigen")
    axe_both_widths(page, "applicant and grantee inbox in German")
