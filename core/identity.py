"""The fund's identity, from one source: the settings ``DJANGO_FUND_NAME`` and
``DJANGO_FUND_REFERENCE_PREFIX``. Pages, e-mails, reports, open data, the calendar, the
admin site and file names read it here, never a literal; it costs no query. The ``Fund``
row the seed or an admin creates carries the same name and prefix (references already
issued keep the prefix they were issued with)."""

import re

from django.conf import settings


def fund_name() -> str:
    return settings.FUND_NAME


def reference_prefix() -> str:
    return settings.FUND_REFERENCE_PREFIX


def file_stem() -> str:
    """The start of downloaded file names, e.g. "ctf" in ctf-report-2026-12-04.xlsx."""
    return re.sub(r"[^a-z0-9]+", "-", reference_prefix().lower()).strip("-") or "fund"
