"""The PDF's layout, read back from the PDF (tests/reporting/layout.py): no text drawn over
other text or outside the text area, every table column within its own space, each row's
cells on one line, every label with its value on its line, no word, reference, amount or
date split across lines, no row alone on a page. In both languages, on the demo-like data
set and on the one at the limits the forms allow."""

import pytest
from django.utils import timezone, translation

from reporting import data as report_data
from reporting.filters import ReportFilter
from reporting.pdf import render_pdf, report_html
from reporting.project_texts import load_project_texts
from reporting.report import appendix_grant_ids, build_report
from tests.reporting.extremes import build_extremes
from tests.reporting.layout import layout_problems
from tests.reporting.world import build_world


def check(language):
    data = report_data.load()
    today = timezone.localdate()
    texts = load_project_texts(appendix_grant_ids(data, ReportFilter(), today))
    report = build_report(data, ReportFilter(), language=language, today=today,
                          made_at=timezone.now(), fund_name=data.fund_name, appendix=True,
                          texts=texts)  # fmt: skip
    html = report_html(report)
    with translation.override(language):
        labels = [label for label, _value, _kind in report.projects[0].facts]
    return report, layout_problems(render_pdf(html).content, html, labels=labels)


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_demo_like_report_has_no_layout_defect(db, travel, language):
    build_world()

    report, layout = check(language)

    assert not layout.problems, "\n".join(layout.problems)
    # The checks read something: every cell of the tables and most text blocks.
    assert layout.cells > 300 and layout.matched > 300
    assert len(report.projects) == 3


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_longest_names_and_largest_amounts_fit(db, travel, language):
    build_extremes()

    report, layout = check(language)

    assert not layout.problems, "\n".join(layout.problems)
    assert layout.cells > 300 and layout.matched > 300
    assert len(report.projects) == 4
