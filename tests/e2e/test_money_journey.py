"""Where the money goes, in a real browser: a grantee changes the bank account (giving the
password again), finance sees the grant on hold, a second member of staff confirms the
account after calling back, the payment goes into a transfer file, and the next file does
not contain it. axe-core checks every new page at 1280 px and 390 px."""

import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from grants.contracts.services.milestones import review_milestone_report
from grants.models import BankDetailsCheck, Payment, SepaBatch
from tests.e2e.conftest import log_in_browser
from tests.e2e.test_grant_journey import axe_both_widths, log_in_staff
from tests.factories import PASSWORD, make_grant, make_user
from tests.grants.contracts.helpers import accept, report

pytestmark = pytest.mark.e2e
NEW_IBAN = "DE13 4306 0967 1234 5678 90"


def test_a_changed_account_is_held_confirmed_and_paid_once(page, live_server):
    jonas = make_user(Role.STAFF, full_name="Jonas Becker")  # releases, confirms
    mara = make_user(Role.STAFF, full_name="Mara Klein")  # makes the transfer files
    grant = make_grant(title="Open timetable toolkit")
    first, second, _third = grant.milestones.all()
    report(first)
    accept(first, jonas)
    owner = grant.application.owner

    # The grantee changes the account and is asked for the password first.
    log_in_browser(page, live_server, owner)
    page.goto(live_server.url + f"/grantee/grants/{grant.pk}/")
    page.get_by_role("link", name="Change the account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm access")
    axe_both_widths(page, "re-authentication")
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bank details")
    axe_both_widths(page, "grantee bank details")
    page.get_by_label("Account holder").fill("Ada Lovelace")
    page.get_by_label("IBAN").fill(NEW_IBAN)
    page.get_by_role("button", name="Save the new account").click()
    expect(page.get_by_role("status")).to_contain_text("Payments to it wait until our finance")
    expect(page.get_by_text("waits for our call to confirm it")).to_be_visible()
    assert BankDetailsCheck.objects.get().state == "pending"

    # Finance sees the hold: the payment cannot be selected.
    page.context.clear_cookies()
    log_in_staff(page, live_server, mara)
    page.goto(live_server.url + "/staff/finance/")
    accounts = page.locator("section", has=page.get_by_role("heading", name="Accounts to confirm"))
    expect(accounts).to_contain_text(grant.funding_reference)
    expect(accounts).to_contain_text("DE13 •••• •••• •••• ••78 90")
    payment = Payment.objects.get(milestone=first)
    expect(page.locator(f"#sepa-{payment.pk}")).to_have_count(0)
    expect(page.get_by_role("table", name=re.compile("Released payments"))).to_contain_text(
        "on hold"
    )
    axe_both_widths(page, "finance with a hold")

    # A second member of staff calls the grantee back and confirms the account.
    page.context.clear_cookies()
    log_in_staff(page, live_server, jonas)
    page.goto(live_server.url + f"/staff/finance/grants/{grant.pk}/bank-details/")
    expect(page.get_by_text("DE13430609671234567890")).to_be_visible()
    axe_both_widths(page, "bank details with the confirmation form")
    page.get_by_label("How the account was confirmed").fill(
        "Called +49 30 1234567 from the application; the grantee read the IBAN back."
    )
    page.get_by_role("button", name="The grantee confirmed this account").click()
    expect(page.get_by_role("status")).to_contain_text("is confirmed")
    # Jonas released it and confirmed the account: it is not his to export (four eyes).
    expect(page.locator(f"#sepa-{payment.pk}")).to_have_count(0)
    expect(page.get_by_text("released by you")).to_be_visible()

    # Mara selects it, sees the total, and makes the transfer file.
    page.context.clear_cookies()
    log_in_staff(page, live_server, mara)
    page.goto(live_server.url + "/staff/finance/")
    page.locator(f"#sepa-{payment.pk}").check()
    expect(page.locator("[data-sepa-total]")).to_have_text("Selected payments: 1, total €15,000.00")
    page.get_by_role("button", name="Review the selection and its total").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review the transfer file")
    expect(page.locator("main")).to_contain_text("1 payment, total €15,000.00")
    axe_both_widths(page, "transfer file review")
    page.get_by_role("button", name="Make the transfer file").click()
    expect(page.get_by_role("status")).to_contain_text("is recorded")
    first_batch = SepaBatch.objects.get()
    expect(page.get_by_role("heading", level=1)).to_contain_text(first_batch.message_id)
    axe_both_widths(page, "transfer file")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=f"Download {first_batch.file_name}").click()
    content = Path(download_info.value.path()).read_bytes()
    assert b"<IBAN>DE13430609671234567890</IBAN>" in content
    assert f"{grant.funding_reference}-M1-B{first_batch.pk}".encode() in content

    # The next milestone is released; the next file holds it, not the first one again.
    report(second)
    review_milestone_report(
        milestone=second, actor=jonas, accept=True, comment="", expected_state="report_submitted"
    )
    page.goto(live_server.url + "/staff/finance/")
    expect(page.locator(f"#sepa-{payment.pk}")).to_have_count(0)
    later = Payment.objects.get(milestone=second, kind="released")
    page.locator(f"#sepa-{later.pk}").check()
    page.get_by_role("button", name="Review the selection and its total").click()
    page.get_by_role("button", name="Make the transfer file").click()
    expect(page.get_by_role("status")).to_contain_text("is recorded")
    second_batch = SepaBatch.objects.exclude(pk=first_batch.pk).get()
    assert list(second_batch.items.values_list("payment_id", flat=True)) == [later.pk]
    with page.expect_download() as download_info:
        page.get_by_role("link", name=f"Download {second_batch.file_name}").click()
    content = Path(download_info.value.path()).read_bytes()
    assert f"{grant.funding_reference}-M1-".encode() not in content
    assert f"{grant.funding_reference}-M2-B{second_batch.pk}".encode() in content

    # The bank executed the first file: Mara records it on its page.
    page.goto(live_server.url + f"/staff/finance/batches/{first_batch.pk}/")
    page.get_by_label("Bank reference").fill("BANK-2026-17")
    page.get_by_label("Payment date (bank statement)").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Mark every payment in this file as paid").click()
    expect(page.get_by_role("status")).to_contain_text("is recorded as paid")
    first.refresh_from_db()
    assert first.state == "paid"
    page.goto(live_server.url + "/staff/finance/")
    axe_both_widths(page, "finance with transfer files")
