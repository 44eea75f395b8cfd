"""A ministry viewer signs in with a TOTP code, reads the dashboard, downloads a PDF report
and a spreadsheet, and subscribes to the quarterly report; the public reads the
transparency page. axe-core checks every page at 1280 px and 390 px, in English and German."""

import io
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from accounts.roles import Role
from reporting.models import ArchivedReport, ReportSubscription
from tests.e2e.conftest import axe_check
from tests.e2e.test_grant_journey import axe_both_widths
from tests.e2e.test_staff_login import sign_in
from tests.factories import current_totp_code, make_user
from tests.reporting.helpers import pdf_text
from tests.reporting.world import UNFUNDED_TITLES, build_world

pytestmark = pytest.mark.e2e


def switch_language(page, language):
    page.get_by_label(re.compile("^(Language|Sprache)$")).select_option(language)
    page.get_by_role("button", name=re.compile("^(Switch|Wechseln)$")).click()


def test_ministry_viewer_reads_the_figures_and_downloads_a_report(page, live_server):
    world = build_world()
    ministry = make_user(Role.MINISTRY, full_name="Dr. Katrin Vogel")

    sign_in(page, live_server, ministry.email)
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/$"))
    page.get_by_label(re.compile(r"^(Code|Authenticator code)")).fill(current_totp_code())
    page.get_by_role("button", name="Sign in").click()

    # /dashboard/ leads ministry viewers to their reports.
    expect(page).to_have_url(re.compile(r"/ministry/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Reports for the ministry")
    figure = page.locator(".figure-value").first
    expect(figure).to_have_text("8")
    expect(page.get_by_role("img", name="Committed and disbursed by call")).to_be_visible()
    expect(page.get_by_role("table", name="Delays and their reasons")).to_contain_text(
        "A team member was ill."
    )
    for title in UNFUNDED_TITLES:
        expect(page.locator("main")).not_to_contain_text(title)
    # Each table's download line starts below the table's box, never under it.
    gaps = page.eval_on_selector_all(
        ".table-scroll + .downloads",
        "lines => lines.map(line => line.getBoundingClientRect().top"
        " - line.previousElementSibling.getBoundingClientRect().bottom)",
    )
    assert len(gaps) > 10 and min(gaps) >= 0, gaps
    axe_both_widths(page, "ministry dashboard")

    # Filters by call.
    page.locator("#id_call").select_option("2025-1")
    page.get_by_role("button", name="Show figures").click()
    expect(page).to_have_url(re.compile(r"\?call=2025-1"))
    expect(figure).to_have_text("5")

    # A spreadsheet of one table with the same filter.
    with page.expect_download() as download:
        page.get_by_role("link", name="XLSX – Money by call").click()
    workbook = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    assert list(workbook["Money by call"].iter_rows(values_only=True))[1][:2] == (
        "Funding round 2025/1",
        2,
    )

    # A PDF of the selection, made at once: the report's page links the download.
    # Made in the request: laying out the PDF may take longer than a page's usual wait.
    with page.expect_navigation(timeout=60_000):
        page.get_by_role("button", name="Make the PDF report").click(timeout=60_000)
    expect(page).to_have_url(re.compile(r"/ministry/reports/\d+/$"))
    expect(page.get_by_role("status")).to_contain_text("Ready")
    axe_both_widths(page, "report page")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the PDF").click()
    content = download.value.path().read_bytes()
    report = ArchivedReport.objects.get()
    assert download.value.suggested_filename == report.file_name
    reader = PdfReader(io.BytesIO(content))
    assert reader.trailer["/Root"]["/Lang"] == "en"
    text = pdf_text(content)
    assert "Funding round 2025/1" in text and "Open Transit Toolkit" in text
    assert "Secure Whistleblower Box" not in text  # another call

    # The archive, with the checksum and the quarterly subscription.
    page.get_by_role("link", name="All reports").click()
    expect(page.get_by_role("table")).to_contain_text(report.sha256)
    axe_both_widths(page, "report archive")
    page.get_by_role("button", name="Subscribe").click()
    expect(page.get_by_role("status")).to_contain_text(
        "You will receive the report of each quarter"
    )
    assert ReportSubscription.objects.get(user=ministry).active is True

    # A funded project's page.
    page.goto(live_server.url + f"/ministry/projects/{world.grants[0].pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Open Transit Toolkit")
    axe_both_widths(page, "project page")

    # The same in German.
    page.goto(live_server.url + "/ministry/")
    switch_language(page, "de")
    expect(page.get_by_role("heading", level=1)).to_have_text("Berichte für das Ministerium")
    axe_both_widths(page, "ministry dashboard (German)")
    assert landmarks_named_twice(page) == []
    page.goto(live_server.url + "/ministry/reports/")
    axe_both_widths(page, "report archive (German)")


def landmarks_named_twice(page) -> list[str]:
    """axe-core's moderate rule landmark-unique (the serious ones fail every page anyway):
    a table's scroll box is a named group, not a second region named like its section."""
    results = axe_check(page)
    return [
        " = ".join(
            [node["html"][:120]]
            + [
                related["html"][:120]
                for check in node["any"] + node["all"] + node["none"]
                for related in check.get("relatedNodes", [])
            ]
        )
        for violation in results.response["violations"]
        if violation["id"] == "landmark-unique"
        for node in violation["nodes"]
    ]


def test_the_public_reads_the_transparency_page(page, live_server):
    build_world()

    page.goto(live_server.url + "/transparency/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Where the money goes")
    expect(page.get_by_role("table", name="3 funded projects")).to_contain_text(
        "Open Transit Toolkit"
    )
    expect(page.get_by_role("img", name="Committed and paid by funding round")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Bernd Geheimname")
    axe_both_widths(page, "transparency")
    assert landmarks_named_twice(page) == []
    switch_language(page, "de")
    expect(page.get_by_role("heading", level=1)).to_have_text("Wohin das Geld geht")
    axe_both_widths(page, "transparency (German)")


def test_staff_set_a_target_and_the_dashboard_shows_it_against_the_result(page, live_server):
    from tests.e2e.test_grant_journey import log_in_staff

    world = build_world()
    log_in_staff(page, live_server, world.staff)

    page.goto(live_server.url + "/ministry/targets/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Targets per indicator")
    axe_both_widths(page, "targets")
    page.get_by_label("Code repositories under an open licence").fill("4")
    page.get_by_role("button", name="Save the targets").click()
    expect(page.get_by_role("status")).to_contain_text("The targets have been saved.")
    page.get_by_label("Datasets opened").fill("-3")
    page.get_by_role("button", name="Save the targets").click()
    expect(page.locator(".field-error")).to_contain_text("greater than or equal to 0")

    page.goto(live_server.url + "/ministry/")
    table = page.get_by_role("table", name="Targets and results (to the end of the period)")
    expect(table).to_contain_text("Code repositories under an open licence")
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(page.get_by_role("heading", name="Executive summary")).to_be_visible()
    # Each change against the period before has an arrow named up, down or unchanged.
    changes = page.locator("#table-comparison").get_by_role(
        "img", name=re.compile("^(Up|Down|Unchanged)$")
    )
    expect(changes).to_have_count(11)

    page.goto(live_server.url + "/ministry/targets/")
    switch_language(page, "de")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ziele je Kennzahl")
    axe_both_widths(page, "targets (German)")
