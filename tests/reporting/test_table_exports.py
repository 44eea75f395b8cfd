"""An export of one table computes only what that table needs (reporting.report.build_table),
and gives exactly the table the whole report holds under the same key: for every table,
with and without a filter, in both languages; a key of no table gives nothing."""

import datetime as dt

import pytest
from django.utils import timezone

from reporting import data as report_data
from reporting.filters import ReportFilter
from reporting.report import build_report, build_table

MADE_AT = dt.datetime(2026, 6, 30, 9, 0, tzinfo=dt.UTC)
SELECTIONS = [
    ReportFilter(),
    ReportFilter(call="2025-1", date_from=dt.date(2026, 1, 1)),
    ReportFilter(topic="open-data", date_to=dt.date(2025, 12, 31)),
]


def _both(selection, language, key=None):
    data = report_data.load()
    arguments = {
        "language": language,
        "today": timezone.localdate(),
        "made_at": MADE_AT,
        "fund_name": data.fund_name,
    }
    report = build_report(data, selection, **arguments)
    keys = list(report.tables) if key is None else [key]
    return report, {key: build_table(data, selection, key, **arguments) for key in keys}


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("selection", SELECTIONS, ids=["all", "call-since", "topic-until"])
def test_each_table_alone_is_the_reports_table(world, selection, language):
    report, alone = _both(selection, language)

    assert {key: one.table for key, one in alone.items()} == report.tables
    assert {(tuple(one.scope), one.fund_name, one.made_at) for one in alone.values()} == {
        (tuple(report.scope), report.fund_name, MADE_AT)
    }


def test_the_tables_by_track_are_among_them(world):
    report, alone = _both(ReportFilter(), "en")

    by_track = [key for key in alone if key.startswith("by_track_")]
    assert by_track == ["by_track_2025-1", "by_track_2026-1"]
    assert [alone[key].table for key in by_track] == report.track_tables


@pytest.mark.parametrize("key", ["all", "by_track_2030-1", "report", "", "key_figures "])
def test_a_key_of_no_table_gives_nothing(world, key):
    _report, alone = _both(ReportFilter(), "en", key)

    assert alone == {key: None}
