"""Making reports from the dashboard: small ones at once, large ones in the background with
visible progress; every report archived with its parameters, time and SHA-256, and served
only through the permission-checked download."""

import hashlib
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from core.storage import private_storage
from reporting.models import ArchivedReport, ReportStatus
from reporting.services import reports as services
from tests.reporting.helpers import ministry_client, pdf_text


def post_report(client, **fields):
    data = {"call": "", "topic": "", "date_from": "", "date_to": "", "language": "en",
            "appendix": "on", **fields}  # fmt: skip
    return client.post("/ministry/reports/", data)


def test_a_small_report_is_made_at_once_and_archived(world, client):
    _client, user = ministry_client(client)

    response = post_report(client, call="2026-1", language="de")

    report = ArchivedReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/ministry/reports/{report.pk}/"
    assert (report.status, report.progress, report.language, report.origin) == (
        "done",
        100,
        "de",
        "request",
    )
    assert report.parameters == {"call": "2026-1", "topic": "", "date_from": None, "date_to": None}
    assert report.requested_by == user and report.appendix is True
    assert report.requested_at == report.finished_at == timezone.now()
    content = private_storage().open(report.stored_name).read()
    assert report.sha256 == hashlib.sha256(content).hexdigest()
    assert report.size == len(content) and report.pages == len(PdfReader(io.BytesIO(content)).pages)
    page = client.get(response["Location"]).content.decode()
    assert report.sha256 in page
    assert f'href="/ministry/reports/{report.pk}/download/"' in page
    download = client.get(f"/ministry/reports/{report.pk}/download/")
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == (
        f'attachment; filename="progress-report-call-2026-1-2026-06-15-{report.pk}-de.pdf"'
    )
    assert b"".join(download.streaming_content) == content


def test_a_report_over_several_calls_runs_in_the_background_with_progress(
    world, client, django_capture_on_commit_callbacks
):
    ministry_client(client)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = post_report(client)
    report = ArchivedReport.objects.get()

    assert (report.status, report.progress) == ("queued", 0)
    page = client.get(response["Location"]).content.decode()
    assert '<progress id="report-progress-bar" max="100" value="0">0 %</progress>' in page
    assert '<script src="/static/js/report-progress.js" defer></script>' in page
    assert client.get(f"/ministry/reports/{report.pk}/status/").json() == {
        "status": "queued", "status_label": "Waiting", "progress": 0, "download": None,
    }  # fmt: skip
    assert client.get(f"/ministry/reports/{report.pk}/download/").status_code == 404

    for callback in callbacks:  # the worker takes the task (immediate backend in tests)
        callback()

    assert client.get(f"/ministry/reports/{report.pk}/status/").json() == {
        "status": "done", "status_label": "Ready", "progress": 100,
        "download": f"/ministry/reports/{report.pk}/download/",
    }  # fmt: skip
    report.refresh_from_db()
    assert report.pages >= 14


def test_progress_is_written_while_the_report_is_made(world, monkeypatch):
    seen = []
    original = services._set_progress

    def watch(report, percent, **fields):
        original(report, percent, **fields)
        seen.append((ArchivedReport.objects.get(pk=report.pk).progress, fields.get("status")))

    monkeypatch.setattr(services, "_set_progress", watch)
    report = ArchivedReport.objects.create(origin="command", language="en", appendix=False)

    services.make_report(report=report)

    assert [percent for percent, _status in seen] == [5, 20, 35, 45, 85, 100]
    assert seen[0][1] == "running" and seen[-1][1] == "done"


def test_a_failed_report_says_so(world, client, monkeypatch):
    ministry_client(client)

    def broken(html, progress=None):
        raise RuntimeError("fonts missing")

    monkeypatch.setattr(services, "render_pdf", broken)
    response = post_report(client, call="2026-1")
    report = ArchivedReport.objects.get()

    assert report.status == ReportStatus.FAILED
    assert report.error == "RuntimeError: fonts missing"
    page = client.get(response["Location"]).content.decode()
    assert "The report could not be made." in page
    assert client.get(f"/ministry/reports/{report.pk}/download/").status_code == 404


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"date_from": "2026-06-01", "date_to": "2026-01-01"},
            "The end of the period lies before its start.",
        ),
        ({"call": "no-such-call"}, "Select a valid choice."),
        ({"language": "fr"}, "Select a valid choice."),
        ({"date_from": "1999-12-31"}, "Ensure this value is greater than or equal to"),
    ],
)
def test_a_bad_request_makes_no_report_and_says_why(world, client, fields, message):
    ministry_client(client)

    response = post_report(client, **fields)

    assert response["Location"] == "/ministry/reports/"
    assert ArchivedReport.objects.count() == 0
    page = client.get("/ministry/reports/").content.decode()
    assert "The report was not made: please correct the selection." in page
    assert message in page


def test_the_archive_lists_every_report_with_its_checksum(world, client):
    ministry_client(client)
    for call in ("2025-1", "2026-1"):
        post_report(client, call=call, appendix="")

    page = client.get("/ministry/reports/").content.decode()

    reports = ArchivedReport.objects.order_by("-pk")
    assert "2 reports, the newest first" in page
    assert page.index(reports[0].sha256) < page.index(reports[1].sha256)
    assert "Call: 2025-1 · All topics · since the fund began" in page
    assert "Call: 2026-1 · All topics · since the fund began" in page


def test_the_service_refuses_people_without_the_right(world):
    from accounts.roles import Role
    from core.errors import WorkflowError
    from reporting.filters import ReportFilter
    from tests.factories import make_user

    with pytest.raises(WorkflowError, match="You may not request reports."):
        services.request_report(
            actor=make_user(Role.APPLICANT), selection=ReportFilter(), language="en", appendix=False
        )
    assert ArchivedReport.objects.count() == 0


def test_the_pdf_of_the_archive_is_what_was_made(world, client):
    ministry_client(client)
    post_report(client, call="2025-1", appendix="")
    report = ArchivedReport.objects.get()

    text = pdf_text(
        b"".join(client.get(f"/ministry/reports/{report.pk}/download/").streaming_content)
    )

    assert "Funding round 2025/1" in text and "Open Transit Toolkit" in text


def test_many_project_pages_run_in_the_background_even_for_one_call(world, monkeypatch):
    from reporting.filters import ReportFilter
    from tests.reporting.world import d

    monkeypatch.setattr(services, "SYNC_MAX_PROJECTS", 1)
    one_call = ReportFilter(call="2025-1")

    assert services.runs_in_background(one_call, appendix=True) is True  # two projects
    assert services.runs_in_background(one_call, appendix=False) is False
    # In 2026 only one of them runs (G2 ended in January).
    assert (
        services.runs_in_background(
            ReportFilter(call="2025-1", date_from=d("2026-02-01")), appendix=True
        )
        is False
    )
    assert services.runs_in_background(ReportFilter(), appendix=False) is True  # two calls


@pytest.mark.parametrize(
    ("date_from", "date_to", "references"),
    [
        # G2 (2025-04-01 to 2026-01-31): the day before its end, on it and after it.
        ("2026-01-30", None, {"g2", "g3"}),
        ("2026-01-31", None, {"g2", "g3"}),
        ("2026-02-01", None, {"g3"}),
        # G3 (2026-03-01 to 2026-08-31): the day before its start, on it and after it.
        (None, "2026-02-28", {"g1", "g2"}),
        (None, "2026-03-01", {"g1", "g2", "g3"}),
        ("2026-03-02", "2026-03-02", {"g3"}),
        (None, None, {"g1", "g2", "g3"}),
    ],
)
def test_the_database_and_the_report_agree_on_the_projects_running_in_a_period(
    world, date_from, date_to, references
):
    from reporting import data, figures
    from reporting.filters import ReportFilter
    from tests.reporting.world import d

    selection = ReportFilter(
        date_from=d(date_from) if date_from else None, date_to=d(date_to) if date_to else None
    )
    events = figures.prepare(data.load().frames, today=timezone.localdate())
    in_report = set(figures.projects(events, window=selection.window)["grant_id"])
    grants = dict(zip(("g1", "g2", "g3"), world.grants, strict=True))

    assert in_report == {grants[name].pk for name in references}
    assert services.appendix_project_count(selection) == len(references)
