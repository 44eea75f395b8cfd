"""The PDF report: it opens, has the expected pages, is tagged PDF/UA-1 with its title and
language, contains the figures the dashboard shows, and reads no file or network URL."""

import http.server
import io
import re
import threading

import pytest
from django.template.defaultfilters import date as date_filter
from django.utils import timezone, translation
from pypdf import PdfReader

from grants.models import Application, MilestoneReport
from reporting import data
from reporting.filters import ReportFilter
from reporting.models import ReportOrigin, ReportStatus
from reporting.pdf import StaticFilesFetcher, render_pdf, report_html
from reporting.report import build_report
from reporting.services.reports import archive_report, report_file
from reporting.tables import format_cell
from tests.reporting.helpers import pdf_text
from tests.reporting.world import HIDDEN_NAME, TODAY, UNFUNDED_TITLES, d


def make(world, *, language="en", appendix=True, selection=None):
    report = archive_report(
        actor=None,
        origin=ReportOrigin.COMMAND,
        selection=selection or ReportFilter(),
        language=language,
        appendix=appendix,
    )
    assert report.status == ReportStatus.DONE, report.error
    with report_file(report) as handle:
        return report, handle.read()


def test_the_pdf_opens_with_a_title_page_contents_sections_and_one_page_per_project(world):
    report, content = make(world)

    reader = PdfReader(io.BytesIO(content))
    assert report.pages == len(reader.pages)
    # Title, contents, executive summary, key figures (2-3), plan and the period before (1-2),
    # three topics, milestones (2), outcomes (2-3), method (1-2),
    # appendix index, three projects: 18 to 26 pages, whatever the fonts' metrics.
    assert 18 <= len(reader.pages) <= 26
    first = " ".join(reader.pages[0].extract_text().split())
    assert "Progress report for the ministry" in first
    assert "Made on" in first and "3 funded projects in this selection." in first
    contents = " ".join(reader.pages[1].extract_text().split())
    for heading in ("Executive summary", "Key figures", "Plan against actual and the period before",
                    "Open Data", "Civic Tech", "Data Security",
                    "Milestones and disbursement", "Outcomes", "Appendix: the funded projects"):  # fmt: skip
        # The table of contents gives each heading its page number (target-counter).
        assert re.search(re.escape(heading) + r" \.*\s*\d+", contents), heading
    last = " ".join(reader.pages[-1].extract_text().split())
    assert "Secure Whistleblower Box" in last
    assert f"Page {len(reader.pages)} of {len(reader.pages)}" in last


def test_the_pdf_is_tagged_and_carries_title_and_language(world):
    _report, content = make(world, language="de", appendix=False)

    reader = PdfReader(io.BytesIO(content))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "de"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata.title == "Fortschrittsbericht des Civic Tech Fund"
    assert b"pdfuaid:part" in root["/Metadata"].get_data()


def test_the_pdf_contains_the_figures_the_dashboard_shows(world, client):
    from tests.reporting.helpers import ministry_client

    ministry_client(client)
    page = client.get("/ministry/").content.decode()
    _report, content = make(world, appendix=False)
    text = pdf_text(content)

    with translation.override("en"):
        shown = {
            "received": format_cell(8, "count"),
            "rate": format_cell(0.4, "percent"),
            "committed": format_cell(135000, "euro"),
            "disbursed": format_cell(85000, "euro"),
            "gap": format_cell(50000, "euro"),
        }
    for value in shown.values():
        assert value in page
        assert value.replace("\xa0", " ") in text
    for label in ("Applications received", "Acceptance rate", "Committed", "Disbursed",
                  "Committed, not yet disbursed", "Code repositories under an open licence",
                  "Collaborations with government", "Delays and their reasons"):  # fmt: skip
        assert label in page
        assert label in text
    assert "A team member was ill." in text
    assert "Stadt Ulm" in text and "Land NRW" in text


def test_no_unfunded_proposal_and_no_unpublished_name_in_the_pdf(world):
    _report, content = make(world)
    text = pdf_text(content)

    for title in UNFUNDED_TITLES:
        assert title not in text
    assert HIDDEN_NAME not in text
    assert "Anna Beispiel" in text  # G1's grantee agreed to publication
    assert "DE89" not in text  # no bank details


class Recorder(http.server.BaseHTTPRequestHandler):
    requests: list = []

    def do_GET(self):  # noqa: N802 (the standard library's name)
        Recorder.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/svg+xml")
        self.end_headers()
        self.wfile.write(b'<svg xmlns="http://www.w3.org/2000/svg"><text>FETCHED</text></svg>')

    def log_message(self, *args):
        pass


@pytest.fixture
def web_server():
    Recorder.requests = []
    server = http.server.HTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def secret_file(tmp_path):
    path = tmp_path / "secret.svg"
    path.write_text('<svg xmlns="http://www.w3.org/2000/svg"><text>SECRET-FILE</text></svg>')
    return path


def test_grantee_text_with_images_and_links_stays_text(world, web_server, secret_file):
    hostile = (
        f'<img src="file:///etc/passwd"><img src="file://{secret_file}">'
        f'<img src="{web_server}/tracker.svg"><link rel="stylesheet" href="{web_server}/x.css">'
        f"<style>@import url({web_server}/y.css);</style>"
    )
    grant = world.grants[0]
    # The title within its 200 characters (PostgreSQL enforces them); the rest everywhere.
    Application.objects.filter(pk=grant.application_id).update(
        title='Open Transit Toolkit <img src="file:///etc/passwd">', summary=hostile
    )
    MilestoneReport.objects.filter(milestone__grant=grant).update(problems=hostile)

    _report, content = make(world)
    text = pdf_text(content)

    assert Recorder.requests == []
    assert "SECRET-FILE" not in text and "root:" not in text and "FETCHED" not in text
    assert '<img src="file:///etc/passwd">' in text  # shown as the text it is


def test_the_fetcher_reads_no_file_and_no_network_even_from_markup(
    web_server, secret_file, settings
):
    html = (
        "<!DOCTYPE html><html lang='en'><head><title>t</title>"
        f"<link rel='stylesheet' href='{web_server}/style.css'></head><body>"
        f"<img src='file://{secret_file}' alt='a'><img src='{web_server}/x.svg' alt='b'>"
        "<img src='/static/img/fund-mark.svg' alt='c'>"
        "<img src='/static/../config/settings/base.py' alt='d'>"
        "<img src='data:image/svg+xml;utf8,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22%3E"
        "%3Ctext y=%2210%22%3EFROM-DATA%3C/text%3E%3C/svg%3E' alt='e'>"
        "<p>Body</p></body></html>"
    )

    rendered = render_pdf(html)
    text = pdf_text(rendered.content)

    assert Recorder.requests == []
    assert "SECRET-FILE" not in text and "FETCHED" not in text
    assert "FROM-DATA" in text
    assert rendered.refused == [
        f"{web_server}/style.css",
        f"file://{secret_file}",
        f"{web_server}/x.svg",
        "https://report.invalid/config/settings/base.py",
    ]


def test_the_fetcher_serves_only_static_files():
    fetcher = StaticFilesFetcher()

    logo = fetcher.fetch("https://report.invalid/static/img/fund-mark.svg")
    assert logo.read().startswith(b"<svg")
    for url in (
        "file:///etc/passwd",
        "http://127.0.0.1:9/x",
        "https://report.invalid/static/../../etc/passwd",
        "https://report.invalid/static/img/missing.svg",
        "ftp://example.org/x",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 5


def test_a_period_and_a_topic_narrow_the_report(world):
    selection = ReportFilter(topic="open-data", date_from=d("2025-02-11"), date_to=d("2025-12-31"))
    loaded = data.load()

    report = build_report(loaded, selection, language="en", today=TODAY,
                          made_at=timezone.now(), fund_name="Civic Tech Fund")  # fmt: skip
    html = report_html(report)

    assert [topic.slug for topic in report.topics] == ["open-data"]
    with translation.override("en"):
        start, end = (
            date_filter(day, "DATE_FORMAT") for day in (selection.date_from, selection.date_to)
        )
    assert report.scope == [
        ("Call", "All calls"),
        ("Topic", "Open Data"),
        ("Period", f"From {start} to {end}"),
    ]
    assert report.key_figures.columns[1].label == "In the period"
    # A1 was submitted on 10 February, before the period; A3 in it.
    assert report.key_figures.rows[0] == [
        "Applications received", 1, 2, "Applications submitted in the period (drafts never count).",
    ]  # fmt: skip
    assert "Civic Petition Tracker" not in html  # another topic


def test_the_title_page_shows_the_funds_own_logo_only_when_one_is_set(world, settings):
    from reporting.report import build_report as build

    def title_page(report):
        html = report_html(report)
        return html[html.index('<section class="title-page"') : html.index("</section>")]

    loaded = data.load()
    common = {"language": "en", "today": TODAY, "made_at": timezone.now(), "fund_name": "CTF"}
    settings.FUND_LOGO = ""
    without = build(loaded, ReportFilter(), **common)
    settings.FUND_LOGO = "img/fund-mark.svg"
    with_logo = build(loaded, ReportFilter(), **common)

    assert "<img" not in title_page(without)
    assert '<img class="mark" src="/static/img/fund-mark.svg" alt="CTF">' in title_page(with_logo)
    assert render_pdf(report_html(with_logo)).refused == []  # read from the static files
