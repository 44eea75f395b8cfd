"""Erasure changes no total: on the demo data, every retention rule applied (years later,
when everything but the running grants is due) leaves the ministry's figures and report, the
360Giving export and the transparency page with the same numbers, while the texts, names
and files are gone."""

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from grants.models import Application, Attachment, Grant
from privacy.services.retention import apply_retention
from privacy.services.shredders.base import MARK
from reporting.data import load
from reporting.figures import figures, prepare
from reporting.filters import ReportFilter
from reporting.opendata import stream_360giving
from reporting.report import build_report
from reporting.transparency import transparency
from tests.privacy.helpers import noon

pytestmark = pytest.mark.django_db

TODAY = dt.date(2030, 1, 1)
NUMBERS = (int, float, Decimal, dt.date)


def numbers_of(table) -> list:
    """The numeric cells of each row, sorted (texts may become the marker, and lists are
    sorted by them)."""
    return sorted(
        [repr(cell) for cell in row if isinstance(cell, NUMBERS) and not isinstance(cell, bool)]
        for row in table.rows
    )


def totals() -> dict:
    data = load()
    report = build_report(
        data,
        ReportFilter(),
        language="en",
        today=TODAY,
        made_at=timezone.now(),
        fund_name="Civic Tech Fund",
        appendix=True,
    )
    package = json.loads("".join(stream_360giving("https://fund.example")))
    public = transparency()
    return {
        "figures": figures(prepare(data.frames, today=TODAY)).to_dict(),
        "report": {
            "key figures": numbers_of(report.key_figures),
            **{key: numbers_of(table) for key, table in report.tables.items()},
            "projects": report.project_count,
        },
        "360giving": {
            "grants": len(package["grants"]),
            "awarded": sum(Decimal(str(g["amountAwarded"])) for g in package["grants"]),
            "applied for": sum(Decimal(str(g["amountAppliedFor"])) for g in package["grants"]),
            "disbursed": sum(Decimal(str(g["amountDisbursed"])) for g in package["grants"]),
            "transactions": sorted(
                str(t["value"])
                for g in package["grants"]
                for t in g.get("disbursementTransaction", [])
            ),
        },
        "transparency": {
            "count": public.count,
            "committed": public.committed,
            "paid": public.paid,
            **{key: numbers_of(table) for key, table in public.tables.items()},
        },
    }


def test_the_totals_stay_when_every_rule_has_been_applied_to_the_demo():
    call_command("seed_demo", size="small", stdout=io.StringIO())
    before = totals()
    assert before["360giving"]["grants"] == before["transparency"]["count"] > 0
    assert before["360giving"]["disbursed"] > 0
    later = timezone.localdate() + dt.timedelta(days=12 * 366)

    first = apply_retention(now=noon(later))  # warns the unused accounts
    second = apply_retention(now=noon(later + dt.timedelta(days=31)))  # anonymises them

    done = {step.rule: step.count for step in first} | {
        f"{step.rule} later": step.count for step in second
    }
    assert done["drafts"] > 0
    assert done["unfunded"] > 0
    assert done["funded"] > 0
    assert done["bank"] > 0
    assert done["accounts later"] > 0
    assert totals() == before
    assert (
        not Application.objects.exclude(submitted_at__isnull=True)
        .filter(state="rejected")
        .exclude(summary=MARK)
    )
    assert (
        Attachment.objects.filter(purged_at__isnull=True, application__state="rejected").count()
        == 0
    )
    assert (
        Grant.objects.filter(application__state="completed").exclude(iban_encrypted="").count() == 0
    )
