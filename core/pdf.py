"""PDF documents by WeasyPrint: tagged PDF/UA-1, and a URL fetcher that reads nothing but
``data:`` URLs and the project's own static files. Shared by the ministry's reports and the
documents of a grant's file (agreement, proof of use, drawdown request).

WeasyPrint's default fetcher reads local files (``file:``) and network URLs. Grantees'
texts are escaped by the templates, so they never become elements; the fetcher is the
second line: whatever URL an element might name, only ``data:`` and our static files are
read, and every other URL is refused (and noted in ``refused``) without being opened."""

import mimetypes
import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from core.identity import fund_name

# Relative URLs in PDF templates ({% static %} gives /static/…) resolve against this
# address; the .invalid top-level domain never resolves, so nothing can reach a network.
BASE_URL = "https://report.invalid/"
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1"}


class RefusedURL(ValueError):
    """WeasyPrint logs a ValueError from the fetcher and leaves the resource out."""


class StaticFilesFetcher(URLFetcher):
    """Serves ``data:`` URLs and the project's static files; refuses everything else."""

    def __init__(self):
        super().__init__(allowed_protocols={"data"}, allow_redirects=False, timeout=1)
        self.static_prefix = BASE_URL.rstrip("/") + settings.STATIC_URL
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)  # decoded by urllib's DataHandler
        if url.startswith(self.static_prefix):
            body = self.static_file(url[len(self.static_prefix) :].split("?")[0].split("#")[0])
            if body is not None:
                content_type = mimetypes.guess_type(url)[0] or "application/octet-stream"
                return URLFetcherResponse(url, body, {"Content-Type": content_type})
        self.refused.append(url)
        raise RefusedURL(f"Reports read only data: URLs and the project's static files: {url}")

    @staticmethod
    def static_file(path: str) -> bytes | None:
        path = posixpath.normpath(path)
        if path.startswith(("/", "..")) or "\\" in path or "\x00" in path:
            return None
        try:
            found = finders.find(path)
            if found is None and staticfiles_storage.exists(path):
                found = staticfiles_storage.path(path)
        except (SuspiciousFileOperation, NotImplementedError, ValueError):
            return None
        if found is None:
            return None
        with open(found, "rb") as handle:
            return handle.read()


@dataclass
class RenderedPdf:
    content: bytes
    pages: int
    refused: list[str]


def render_pdf(html: str, *, progress: Callable[[str], None] | None = None) -> RenderedPdf:
    """Lay out ``html`` and write it as tagged PDF/UA-1 (title and language come from the
    document's <title> and <html lang>). ``progress`` hears "laid out" between the two
    steps, which is where the time goes."""
    fetcher = StaticFilesFetcher()
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).render(**PDF_OPTIONS)
    if progress is not None:
        progress("laid out")
    target = BytesIO()
    document.write_pdf(target, **PDF_OPTIONS)
    return RenderedPdf(
        content=target.getvalue(), pages=len(document.pages), refused=fetcher.refused
    )


def render_template_pdf(template: str, context: dict, *, language: str) -> RenderedPdf:
    """A document template rendered in ``language`` and laid out as tagged PDF/UA-1."""
    context = {**context, "language": language, "fund_name": fund_name()}
    with translation.override(language):
        return render_pdf(render_to_string(template, context))
