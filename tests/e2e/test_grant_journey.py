"""A grantee reports on a milestone and staff accept it, in a real browser; axe-core checks
every funded-project page at 1280 px and at 390 px (a phone)."""

import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from grants.models import FinalReport, Payment
from grants.states import ApplicationState
from tests.accounts.helpers import sign_in_with_mfa
from tests.e2e.conftest import axe_both_widths, log_in_browser
from tests.factories import ApplicationFactory, make_grant
from tests.grants.contracts.helpers import REPORT

pytestmark = pytest.mark.e2e
LONG_RELEASE = (
    "https://codeberg.org/example/toolkit/releases/download/v1.0.0-release-candidate-2/"
    "open-timetable-toolkit-complete-distribution-with-documentation.tar.gz"
)
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def log_in_staff(page, live_server, user):
    client = sign_in_with_mfa(Client(), user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


@pytest.fixture
def grants(staff_user):
    funded = make_grant(title="Open timetable toolkit")
    owner = funded.application.owner
    offered = make_grant(
        ApplicationFactory(owner=owner, title="Accessible polling stations"), state="approved"
    )
    final = make_grant(ApplicationFactory(title="Budget explorer"), state="final_report_due")
    final.milestones.update(state="paid")
    FinalReport.objects.create(
        grant=final,
        state="submitted",
        summary="Finished and in use in three municipalities.",
        milestone_results=[
            {"milestone": m.pk, "achieved": True, "explanation": ""} for m in final.milestones.all()
        ],
        public_links=["https://codeberg.org/example/budget"],
    )
    return funded, offered, final


@pytest.fixture
def staff_user():
    from accounts.roles import Role
    from tests.factories import make_user

    return make_user(Role.STAFF, full_name="Sam Staff")


def test_grantee_reports_a_milestone_and_staff_accept_it(
    page, live_server, grants, staff_user, tmp_path
):
    funded, offered, final = grants
    owner = funded.application.owner
    log_in_browser(page, live_server, owner)

    page.goto(live_server.url + "/grantee/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My grants")
    axe_both_widths(page, "grantee dashboard")
    page.get_by_role("link", name="Read and sign the agreement").click()
    expect(page.get_by_role("heading", level=2, name="Accept the agreement")).to_be_visible()
    axe_both_widths(page, "agreement to sign")

    page.goto(live_server.url + f"/grantee/grants/{funded.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Open timetable toolkit")
    axe_both_widths(page, "grantee grant")
    for path, label in (
        (f"/grantee/grants/{funded.pk}/change/", "change request"),
        (f"/grantee/grants/{funded.pk}/agreement/", "signed agreement"),
    ):
        page.goto(live_server.url + path)
        axe_both_widths(page, label)

    # The report on milestone 1.
    page.goto(live_server.url + f"/grantee/grants/{funded.pk}/")
    page.get_by_role("link", name="1. Milestone 1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Milestone report: 1. Milestone 1")
    axe_both_widths(page, "milestone report form")
    report_address = page.url
    page.get_by_label("What was delivered").fill(REPORT["delivered"])
    page.locator("#id_links-0-kind").select_option("repository")
    page.locator("#id_links-0-url").fill("https://codeberg.org/example/toolkit")
    page.locator("#id_links-0-licence").select_option("MIT")
    page.locator("#id_links-1-kind").select_option("release")
    page.locator("#id_links-1-url").fill(LONG_RELEASE)
    page.locator("#id_links-1-licence").select_option("MIT")
    page.get_by_label("Users reached").fill("300")
    page.get_by_label("Contributors").fill("4")
    page.locator("#id_collaborations-0-body").fill("Stadt Ulm")
    page.locator("#id_collaborations-0-level").select_option("municipal")
    page.locator("#id_collaborations-0-kind").select_option("adopts")
    evidence = tmp_path / "evidence.pdf"
    evidence.write_bytes(PDF)
    page.get_by_label(re.compile("^Add files")).set_input_files(str(evidence))
    page.get_by_role("button", name="Submit the report").click()
    expect(page.get_by_role("status")).to_contain_text("Your report has been submitted")
    expect(page.get_by_role("table", name=re.compile("Milestones of"))).to_contain_text(
        "Report submitted"
    )
    # The submitted version shows its links; a long release address wraps on a phone.
    page.goto(report_address)
    expect(page.get_by_role("link", name=LONG_RELEASE)).to_be_visible()
    axe_both_widths(page, "submitted milestone report")

    # Staff, signed in with a second factor, check and accept it.
    page.context.clear_cookies()
    log_in_staff(page, live_server, staff_user)
    page.goto(live_server.url + "/staff/grants/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Funded projects")
    axe_both_widths(page, "portfolio")
    page.get_by_role("link", name=f"{funded.funding_reference}: 1. Milestone 1").click()
    expect(page.get_by_role("link", name="evidence.pdf")).to_be_visible()
    axe_both_widths(page, "staff milestone review")
    page.get_by_label("Accept").check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("status")).to_contain_text("accepted and its payment released")
    axe_both_widths(page, "staff grant detail")
    assert list(Payment.objects.values_list("kind", "milestone__position")) == [("released", 1)]

    for path, label in (
        ("/staff/finance/", "finance"),
        (f"/staff/finance/grants/{funded.pk}/bank-details/", "bank details (finance)"),
        (f"/staff/grants/{funded.pk}/agreement/", "staff agreement"),
        (f"/staff/grants/{offered.pk}/agreement/", "staff agreement to edit"),
        (f"/staff/grants/{funded.pk}/terminate/", "terminate"),
        (f"/staff/grants/{final.pk}/final-report/", "final report review"),
        ("/staff/grants/overdue/", "overdue list"),
    ):
        page.goto(live_server.url + path)
        axe_both_widths(page, label)

    # The grantee's final report page (another owner).
    page.context.clear_cookies()
    log_in_browser(page, live_server, final.application.owner)
    page.goto(live_server.url + f"/grantee/grants/{final.pk}/final-report/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Final report")
    axe_both_widths(page, "grantee final report")
    funded.application.refresh_from_db()
    assert funded.application.state == ApplicationState.FUNDED
