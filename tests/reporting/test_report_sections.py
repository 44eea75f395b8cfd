"""The report's new sections against the hand-built data set (tests/reporting/world.py,
"today" 15 June 2026), every value worked out by hand: the executive summary, plan against
actual by call and budget year, the period compared with the one before, collaboration
cases, the definitions and the headline."""

from decimal import Decimal

import pytest
from django.utils import timezone

from grants.models import Call
from reporting import data as report_data
from reporting.filters import ReportFilter
from reporting.report import build_report
from reporting.report.context import Context
from reporting.tables import Change
from tests.factories import CallFactory, TopicFactory
from tests.reporting.world import TODAY, d


def build(selection=None, language="en"):
    data = report_data.load()
    return build_report(data, selection or ReportFilter(), language=language, today=TODAY,
                        made_at=timezone.now(), fund_name="CTF")  # fmt: skip


@pytest.fixture
def report(world):
    return build()


def test_plan_against_actual_by_call(world, report):
    table = report.tables["plan_by_call"]

    assert [column.key for column in table.columns] == [
        "call", "budget", "committed", "committed_share", "disbursed", "disbursed_share", "left",
    ]  # fmt: skip
    # 2025/1: €200,000 budget; G1 commits 40,000, terminated G2 the 45,000 released; all paid.
    # 2026/1: €150,000; G3 commits 50,000, of which 25,000 released, nothing paid yet.
    assert table.rows == [
        ["Funding round 2025/1", Decimal("200000.00"), Decimal("85000.00"), 0.425,
         Decimal("85000.00"), 1.0, Decimal("115000.00")],
        ["Funding round 2026/1", Decimal("150000.00"), Decimal("50000.00"), pytest.approx(1 / 3),
         Decimal("0.00"), 0.0, Decimal("100000.00")],
    ]  # fmt: skip


def test_plan_against_actual_by_budget_year(world, report):
    assert report.tables["plan_by_year"].rows == [
        ["2025", Decimal("200000.00"), Decimal("85000.00"), 0.425, Decimal("85000.00"), 1.0,
         Decimal("115000.00")],
        ["2026", Decimal("150000.00"), Decimal("50000.00"), pytest.approx(1 / 3),
         Decimal("0.00"), 0.0, Decimal("100000.00")],
    ]  # fmt: skip


def test_plan_stops_at_the_end_of_the_period_and_ignores_the_topic(world):
    table = build(ReportFilter(topic="open-data", date_to=d("2025-06-30"))).tables["plan_by_call"]

    # By 30 June 2025 both 2025 grants were signed; only G1's first 20,000 had been paid.
    # The topic does not narrow a budget: G2 (civic tech) counts.
    assert table.rows[0][:5] == [
        "Funding round 2025/1", Decimal("200000.00"), Decimal("85000.00"), 0.425,
        Decimal("20000.00"),
    ]  # fmt: skip
    assert table.rows[1][2] == Decimal("0.00")


def test_the_last_quarter_against_the_one_before(world, report):
    table = report.tables["comparison"]

    assert table.title == "1 January 2026 – 31 March 2026 against 1 October 2025 – 31 December 2025"
    rows = {row[0]: row[1:] for row in table.rows}
    assert rows["Applications received"] == [0, 3, Change(3, "count")]
    assert rows["Approved for funding"] == [0, 2, Change(2, "count")]
    assert rows["Funded (agreement signed)"] == [0, 1, Change(1, "count")]
    assert rows["Committed"] == [
        Decimal("0.00"),
        Decimal("50000.00"),
        Change(Decimal("50000.00"), "euro"),
    ]
    assert rows["Disbursed"] == [
        Decimal("20000.00"),
        Decimal("0.00"),
        Change(Decimal("-20000.00"), "euro"),
    ]
    # Land Berlin was first reported in October 2025 (Stadt Ulm already in June).
    assert rows["Collaborations with government"] == [1, 0, Change(-1, "count")]
    assert rows["Late"] == [0, 0, Change(0, "count")]
    assert table.row_kinds[3] == "euro"


def test_a_chosen_period_is_compared_with_as_many_days_before(world):
    table = build(ReportFilter(date_from=d("2025-06-01"), date_to=d("2025-06-30"))).tables[
        "comparison"
    ]

    assert table.title == "1 June 2025 – 30 June 2025 against 2 May 2025 – 31 May 2025"
    rows = {row[0]: row[1:] for row in table.rows}
    # G1's first milestone was due on 31 May (on time), G2's first on 30 June (late).
    assert rows["Milestones due"] == [1, 1, Change(0, "count")]
    assert rows["Late"] == [0, 1, Change(1, "count")]
    assert rows["Disbursed"] == [
        Decimal("0.00"),
        Decimal("20000.00"),
        Change(Decimal("20000.00"), "euro"),
    ]


def test_the_executive_summary_in_words(world, report):
    g1, g2, g3 = (grant.funding_reference for grant in world.grants)

    paragraphs = {paragraph.heading: paragraph.text for paragraph in report.executive}

    assert list(paragraphs) == [
        "What was funded", "What it delivered", "What is late and why",
        "What changed since the period before", "Plan against actual",
    ]  # fmt: skip
    assert paragraphs["What was funded"] == (
        "Since the fund began, 8 applications were received. In the calls decided, 2 of 5 "
        "applications were approved (acceptance rate 40%, decided calls only); 3 grant "
        "agreements were signed. €135,000.00 were committed in grant agreements and €85,000.00 "
        "disbursed; €50,000.00 of the commitments are still to be paid."
    )
    assert paragraphs["What it delivered"] == (
        "The projects released 2 code repositories and 5 releases, opened 2 datasets under open "
        "licences and reached 300 users. 3 public bodies work with the projects, for example: "
        "Land Berlin – Partners with the project: Open Transit Toolkit; Stadt Ulm – Uses the "
        "result in operation: Open Transit Toolkit; BSI – Partners with the project: Secure "
        "Whistleblower Box."
    )
    assert paragraphs["What is late and why"] == (
        "5 milestones due by 15 June 2026: 2 reported on time, 3 late. Reasons given: "
        f"Secure Whistleblower Box ({g3}): A team member was ill.; Open Transit Toolkit ({g1}): "
        "The partner city delivered data late."
    )
    assert g2 not in paragraphs["What is late and why"]  # late, but no reason given
    assert paragraphs["What changed since the period before"] == (
        "1 January 2026 – 31 March 2026 against 1 October 2025 – 31 December 2025: Applications "
        "received 3 (before: 0, +\u20603); Approved for funding 2 (before: 0, +\u20602); "
        "Committed €50,000.00 (before: €0.00, +\u2060€50,000.00); Disbursed €0.00 (before: "
        "€20,000.00, −\u2060€20,000.00); Late 0 (before: 0, ±0); Code repositories under an "
        "open licence 0 (before: 0, ±0)."
    )
    assert paragraphs["Plan against actual"] == (
        "Of the budgets of €350,000.00, €135,000.00 (38.6%) are committed and €85,000.00 paid, "
        "up to the end of the period."
    )


def test_the_executive_summary_of_a_call_in_review_and_without_bodies(world):
    report = build(ReportFilter(call="2026-1", topic="data-security"))

    paragraphs = {paragraph.heading: paragraph.text for paragraph in report.executive}

    assert paragraphs["What was funded"].startswith(
        "Since the fund began, 1 application was received. None of them is in a call that has "
        "been decided yet."
    )
    assert "BSI – Partners with the project" in paragraphs["What it delivered"]
    only_open_data = build(ReportFilter(call="2026-1", topic="open-data"))
    delivered = {p.heading: p.text for p in only_open_data.executive}["What it delivered"]
    assert delivered.endswith("No public body reported working with a project in this period.")


def test_the_executive_summary_in_german(world):
    report = build(language="de")

    paragraphs = {paragraph.heading: paragraph.text for paragraph in report.executive}

    assert paragraphs["Was gefördert wurde"].startswith(
        "Seit Beginn des Fonds sind 8 Anträge eingegangen. In den entschiedenen Förderrunden "
        "wurden 2 von 5 Anträgen bewilligt (Förderquote 40\u00a0%, nur entschiedene "
        "Förderrunden); 3 Förderverträge wurden unterzeichnet."
    )
    assert paragraphs["Plan und Ist"] == (
        "Von den Budgets über 350.000,00\u00a0€ sind bis zum Ende des Zeitraums 135.000,00\u00a0€ "
        "(38,6\u00a0%) gebunden und 85.000,00\u00a0€ ausgezahlt."
    )


def test_collaboration_told_as_cases(world, report):
    g1, _g2, g3 = world.grants

    cases = [(c.body, c.level, c.kind, c.reference, c.title, c.code_url, c.first_reported)
             for c in report.cases]  # fmt: skip

    assert cases == [
        ("Land Berlin", "Federal state", "Partners with the project", g1.funding_reference,
         "Open Transit Toolkit", "https://codeberg.org/example/toolkit", d("2025-10-15")),
        ("Stadt Ulm", "Municipality or district", "Uses the result in operation",
         g1.funding_reference, "Open Transit Toolkit", "https://codeberg.org/example/toolkit",
         d("2025-06-05")),
        # G3's grantee did not consent to publication: no link.
        ("BSI", "Federal government", "Partners with the project", g3.funding_reference,
         "Secure Whistleblower Box", "", d("2026-05-02")),
    ]  # fmt: skip
    assert [case.grant_id for case in report.cases] == [g1.pk, g1.pk, g3.pk]


def test_the_headline_shows_approved_and_signed_apart_with_their_definitions(world, report):
    headline = {item.key: (item.label, item.value, item.definition) for item in report.headline}

    assert list(headline)[:4] == ["received", "approved", "funded", "acceptance_rate"]
    assert headline["approved"][:2] == ("Approved for funding", 4)
    assert headline["funded"][:2] == ("Funded (agreement signed)", 3)
    assert headline["acceptance_rate"] == (
        "Acceptance rate (decided calls)", 0.4,
        "Approved divided by received, in decided calls only: a call still open or in review "
        "has approved nobody yet and would lower the rate.",
    )  # fmt: skip


def test_every_figure_is_defined_once_and_shown_with_it(world, report):
    from reporting.figures import FIGURES
    from reporting.report.labels import DEFINITIONS

    definitions = report.tables["definitions"].rows
    key_rows = report.key_figures.rows

    assert len(definitions) == len(FIGURES) == len(key_rows)
    assert [row[1] for row in definitions] == [str(DEFINITIONS[name]) for name in FIGURES]
    assert [row[-1] for row in key_rows] == [row[1] for row in definitions]
    assert report.key_figures.columns[-1].label == "How it is counted"
    topic = report.topics[0].figures
    assert topic.columns[-1].label == "How it is counted"
    assert all(row[-1] == str(DEFINITIONS[name]) for row, name in
               zip(topic.rows, ("received", "approved", "funded"), strict=False))  # fmt: skip


def test_the_dashboard_and_the_pdf_html_show_the_new_sections(world, client):
    from reporting.pdf import report_html
    from tests.reporting.helpers import ministry_client

    ministry_client(client)
    page = client.get("/ministry/").content.decode()
    html = report_html(build())

    for text in (
        '<h2 id="executive">Executive summary</h2>',
        "<h3>What is late and why</h3>",
        'id="table-plan_by_call"',
        'id="table-plan_by_year"',
        'id="table-comparison"',
        'id="table-targets"',
        "Collaboration with government: the cases",
        '<img class="arrow" src="data:image/svg+xml;base64,',
        'alt="Up" width="9" height="9"> +\u20603</td>',
        'alt="Down" width="9" height="9"> −\u2060€20,000.00</td>',
        "Approved divided by received, in decided calls only",
    ):
        assert text in page, text
        assert text in html, text
    assert page.count('alt="Unchanged"') == html.count('alt="Unchanged"') == 4


def test_project_pages_only_when_the_appendix_is_asked_for(world, report):
    assert report.projects == []  # the dashboard's report, built without an appendix

    with_appendix = build_report(report_data.load(), ReportFilter(), language="en",
                                 today=TODAY, made_at=timezone.now(), fund_name="CTF",
                                 appendix=True, texts={})  # fmt: skip

    assert [page.grant_id for page in with_appendix.projects] == [g.pk for g in world.grants]
    assert [page.reference for page in with_appendix.projects] == [
        g.funding_reference for g in world.grants
    ]


def test_calls_are_ordered_oldest_first_and_an_unknown_key_first_of_all(world):
    data = report_data.load()
    ctx = Context(data, ReportFilter(), today=TODAY, language="en")
    by_slug = {call.slug: pk for pk, call in data.calls.items()}
    newer, older, unknown = by_slug["2026-1"], by_slug["2025-1"], max(data.calls) + 1

    assert ctx.ordered_calls([newer, unknown, older]) == [unknown, older, newer]
    assert ctx.ordered_calls([older, newer]) == [older, newer]
    assert ctx.ordered_calls([]) == []


def test_the_money_chart_has_a_call_with_commitments_but_no_payment_yet(world, report):
    assert report.charts["money_by_call"].description == (
        "Committed and disbursed by call. "
        "Funding round 2025/1: Committed €85,000.00, Disbursed €85,000.00; "
        "Funding round 2026/1: Committed €50,000.00, Disbursed €0.00."
    )


def test_unknown_calls_and_topics_are_named_with_a_dash_and_topics_keep_the_funds_order(world):
    TopicFactory(slug="accessibility")  # a topic of its own: after the fund's three
    data = report_data.load()
    ctx = Context(data, ReportFilter(), today=TODAY, language="en")
    topic = {t.slug: pk for pk, t in data.topics.items()}
    unknown_topic = max(data.topics) + 1

    assert ctx.call_name(max(data.calls) + 1) == "–"
    assert ctx.topic_name(float("nan")) == "–"
    assert ctx.topic_name(unknown_topic) == "–"
    assert ctx.topic_name(topic["civic-tech"]) == "Civic Tech"
    assert ctx.ordered_topics(
        [topic["accessibility"], unknown_topic, topic["data-security"], float("nan"),
         topic["open-data"], topic["civic-tech"]]
    ) == [topic["open-data"], topic["civic-tech"], topic["data-security"], unknown_topic,
          topic["accessibility"]]  # fmt: skip


def test_plan_by_call_lists_the_oldest_call_first_whatever_its_number(world):
    older = CallFactory(fund=world.fund, slug="2024-1", year=2024, round_number=1,
                        title_en="Funding round 2024/1")  # fmt: skip
    Call.objects.filter(pk=older.pk).update(budget=Decimal("50000"))

    rows = build().tables["plan_by_call"].rows

    assert [row[0] for row in rows] == [
        "Funding round 2024/1", "Funding round 2025/1", "Funding round 2026/1",
    ]  # fmt: skip
    assert rows[0][1:] == [Decimal("50000.00"), Decimal("0.00"), 0.0, Decimal("0.00"), None,
                           Decimal("50000.00")]  # fmt: skip
    assert build(ReportFilter(call="no-such-call")).tables["plan_by_call"].rows == []


def test_the_reports_title_names_the_fund(world, report):
    assert report.title == "Progress report of the CTF"
    assert report.project_count == 3


def test_collaborations_by_level_table_and_chart(report):
    table = report.tables["collaborations_by_level"]

    # One each: G1 with a federal state and a municipality, G3 with the federal government.
    assert table.rows == [["Federal government", 1], ["Municipality or district", 1],
                          ["Federal state", 1]]  # fmt: skip
    assert report.charts["collaborations_by_level"].description == (
        "Collaborations by level of government. Federal government: Collaborations 1; "
        "Municipality or district: Collaborations 1; Federal state: Collaborations 1."
    )


def test_each_topic_has_its_share_of_the_applications_in_its_own_row(report):
    table = report.tables["by_topic"]

    assert [column.key for column in table.columns] == [
        "topic", "received", "share", "approved", "funded", "acceptance_rate",
    ]  # fmt: skip
    # 8 applications: 3 open data, 3 civic tech, 2 data security.
    assert [row[:3] for row in table.rows] == [
        ["Open Data", 3, 0.375], ["Civic Tech", 3, 0.375], ["Data Security", 2, 0.25],
    ]  # fmt: skip


def test_a_topic_without_applications_has_a_section_with_nothing_in_it(world):
    fund = Call.objects.get(pk=world.grants[0].application.call_id).fund
    TopicFactory(fund=fund, slug="zz-quiet", name_en="Quiet topic", name_de="Stilles Thema")

    report = build()

    (quiet,) = [section for section in report.topics if section.slug == "zz-quiet"]
    assert [row[1] for row in quiet.figures.rows] == [0, 0, 0, None] + [0] * 11
    # Not another topic's money: the chart of a topic without rows is empty.
    assert quiet.chart.description == "Quiet topic: committed and disbursed by call. No data."
