"""The ministry's PDF report: the HTML WeasyPrint lays out. The PDF machinery (tagged
PDF/UA-1, the URL fetcher that reads only ``data:`` URLs and our static files) is shared
with the grant documents and lives in core.pdf."""

from django.template.loader import render_to_string
from django.utils import translation

from core.pdf import (  # noqa: F401 (the report's names for the shared machinery)
    BASE_URL,
    PDF_OPTIONS,
    RefusedURL,
    RenderedPdf,
    StaticFilesFetcher,
    render_pdf,
)


def report_html(report) -> str:
    """The report as the HTML that WeasyPrint lays out, in the report's language."""
    with translation.override(report.language):
        return render_to_string("reporting/pdf/report.html", {"report": report})
