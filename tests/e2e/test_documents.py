"""The documents of a grant's file in a real browser (issue 18): a grantee makes and
accepts the agreement's PDF, hands in the final report with its numerical statement; staff
check the statement line by line and accept it, then make a drawdown request; the ministry
downloads it. axe-core checks every page at 1280 and 390 px."""

import datetime as dt
import hashlib
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from grants.contracts.services.agreements import offer_agreement, prepare_agreement
from grants.models import Drawdown, FinalReport, Grant, ProofOfUse
from grants.states import ApplicationState
from tests.e2e.conftest import log_in_browser
from tests.e2e.test_grant_journey import axe_both_widths, log_in_staff
from tests.factories import IBAN, make_user
from tests.grants.contracts.helpers import approved_application, with_terms

pytestmark = pytest.mark.e2e


def sha256_of(download) -> str:
    with open(download.path(), "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def test_agreement_pdf_proof_of_use_and_drawdown(page, live_server):
    staff = make_user(Role.STAFF, full_name="Sam Staff")
    ministry = make_user(Role.MINISTRY, full_name="Dr. Katrin Vogel")
    application = approved_application(title="Open timetable toolkit")
    grant = prepare_agreement(
        application=application, actor=staff, starts_on=timezone.localdate().replace(day=1)
    )
    with_terms(application.call.fund, staff)
    offer_agreement(grant=grant, actor=staff, expected_version=grant.version)
    owner = application.owner

    # The grantee names the account, gets the PDF and accepts exactly that file.
    log_in_browser(page, live_server, owner)
    page.goto(live_server.url + f"/grantee/grants/{grant.pk}/agreement/")
    axe_both_widths(page, "agreement, step 1")
    page.get_by_label("IBAN").fill(IBAN)
    page.get_by_label(re.compile("may publish my name")).check()
    page.get_by_label("Language of the agreement").select_option("en")
    page.get_by_role("button", name="Make the agreement PDF").click()
    expect(page.get_by_role("status")).to_contain_text("Your agreement is ready")
    axe_both_widths(page, "agreement, step 2")
    with page.expect_download() as downloaded:
        page.get_by_role("link", name=re.compile(r"Grant agreement .* \(PDF\)")).click()
    digest = sha256_of(downloaded.value)
    expect(page.locator("code.hash")).to_have_text(digest)
    page.get_by_label("I have read the grant agreement in this PDF and accept it.").check()
    page.get_by_role("button", name="Accept and sign").click()
    expect(page.get_by_role("status")).to_contain_text("is signed; your project is funded")
    grant = Grant.objects.get(pk=grant.pk)
    assert (grant.accepted_sha256, grant.accepted_by) == (digest, owner)

    # The period has ended: the final report with the numerical statement.
    grant.milestones.update(state="paid")
    type(application).objects.filter(pk=application.pk).update(
        state=ApplicationState.FINAL_REPORT_DUE
    )
    FinalReport.objects.create(grant=grant)
    page.goto(live_server.url + f"/grantee/grants/{grant.pk}/final-report/")
    axe_both_widths(page, "final report with statement")
    page.get_by_label("Summary").fill("The toolkit is finished and used by three cities.")
    for select in page.get_by_label("Achieved?").all():
        select.select_option("yes")
    page.locator("#id_persons-0-name").fill("Ada Lovelace")
    page.locator("#id_persons-0-role").fill("Development")
    page.locator("#id_persons-0-hours").fill("880")
    page.locator("#id_persons-0-amount").fill("44000")
    receipt_day = grant.starts_on + dt.timedelta(days=20)
    page.locator("#id_receipts-0-paid_on").fill(receipt_day.isoformat())
    page.locator("#id_receipts-0-payee").fill("Hetzner Online GmbH")
    page.locator("#id_receipts-0-purpose").fill("Test servers")
    page.locator("#id_receipts-0-amount").fill("480")
    page.get_by_role("button", name="Submit the final report").click()
    # Other costs were not planned: the reason is asked for, and nothing typed is lost.
    expect(page.get_by_role("status")).to_contain_text("not complete yet")
    expect(page.locator("#id_receipts-0-payee")).to_have_value("Hetzner Online GmbH")
    page.get_by_label("Reason for the difference: Other costs").fill("Servers were not planned.")
    page.get_by_role("button", name="Submit the final report").click()
    expect(page.get_by_role("status")).to_contain_text("Your final report has been submitted")

    # Staff check every line and accept: the proof of use is archived as a PDF.
    page.context.clear_cookies()
    log_in_staff(page, live_server, staff)
    page.goto(live_server.url + f"/staff/grants/{grant.pk}/final-report/")
    axe_both_widths(page, "staff check of the proof of use")
    for _line in range(2):
        form = page.locator("form", has=page.get_by_role("button", name="Record the check")).first
        form.get_by_label("Accept the line").check()
        form.get_by_role("button", name="Record the check").click()
        expect(page.get_by_role("status")).to_contain_text("The line has been accepted")
    page.get_by_label("Accept", exact=True).check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("status")).to_contain_text("the project is completed")
    proof = ProofOfUse.objects.get()
    assert len(proof.sha256) == 64 and proof.accepted_by == staff

    # Staff make the drawdown request for this year.
    page.goto(live_server.url + "/staff/finance/budget/")
    axe_both_widths(page, "budget years")
    page.get_by_label("Period from").fill(grant.starts_on.isoformat())
    page.get_by_label("Period to").fill((grant.starts_on + dt.timedelta(days=364)).isoformat())
    page.get_by_label("Language of the files").select_option("en")
    page.get_by_role("button", name="Make the drawdown request").click()
    expect(page.get_by_role("status")).to_contain_text("has been recorded")
    drawdown = Drawdown.objects.get()

    # The ministry sees the history and downloads the request.
    page.context.clear_cookies()
    log_in_staff(page, live_server, ministry)
    page.goto(live_server.url + "/ministry/drawdowns/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Budget years and drawdowns")
    axe_both_widths(page, "ministry drawdowns")
    with page.expect_download() as downloaded:
        page.get_by_role("link", name=f"PDF of {drawdown.reference}").click()
    assert sha256_of(downloaded.value) == drawdown.pdf_sha256
    with page.expect_download() as downloaded:
        page.get_by_role("link", name=f"XLSX of {drawdown.reference}").click()
    assert sha256_of(downloaded.value) == drawdown.xlsx_sha256
