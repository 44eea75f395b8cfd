"""manage.py ministry_report with the options of the issue."""

import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from pypdf import PdfReader

from reporting.models import ArchivedReport
from tests.reporting.helpers import pdf_text


def run(*args):
    out = io.StringIO()
    call_command("ministry_report", *args, stdout=out)
    return out.getvalue()


def test_the_whole_report_in_german(world, tmp_path):
    target = tmp_path / "report.pdf"

    out = run("--output", str(target))

    report = ArchivedReport.objects.get()
    assert out == (
        f"{target}: {report.pages} pages, 3 projects, sha256 {report.sha256} "
        f"(archived as report {report.pk})\n"
    )
    reader = PdfReader(target)
    assert reader.trailer["/Root"]["/Lang"] == "de"
    assert (report.origin, report.language, report.appendix, report.requested_by) == (
        "command", "de", True, None,
    )  # fmt: skip


def test_call_topic_period_and_language(world, tmp_path):
    target = tmp_path / "r.pdf"

    run("--output", str(target), "--call", "2025-1", "--topic", "open-data",
        "--from", "2025-01-01", "--to", "2025-12-31", "--lang", "en", "--no-appendix")  # fmt: skip

    report = ArchivedReport.objects.get()
    assert report.parameters == {
        "call": "2025-1", "topic": "open-data", "date_from": "2025-01-01", "date_to": "2025-12-31",
    }  # fmt: skip
    text = pdf_text(target.read_bytes())
    title_page = " ".join(PdfReader(target).pages[0].extract_text().split())
    for label in ("Call", "Funding round 2025/1", "Topic", "Open Data", "Period", "From"):
        assert label in title_page
    assert "Appendix: the funded projects" not in text
    assert "Civic Petition Tracker" not in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--call", "nope"], "There is no call with this short name."),
        (["--topic", "nope"], "There is no topic with this short name."),
        (["--from", "2026-02-30"], "Not a date"),
        (
            ["--from", "2026-06-01", "--to", "2026-01-01"],
            "The end of the period lies before its start.",
        ),
        (["--from", "1066-10-14"], "Enter a date between 2000 and 2099."),
    ],
)
def test_bad_options_are_refused(world, tmp_path, args, message):
    with pytest.raises(CommandError, match=re.escape(message)):
        run("--output", str(tmp_path / "r.pdf"), *args)
    assert ArchivedReport.objects.count() == 0
    assert not (tmp_path / "r.pdf").exists()
