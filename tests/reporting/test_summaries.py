"""The report's paragraphs (reporting.summaries) and its cells (reporting.tables) written
from figures built by hand, in English and German: exact sentences, plurals, empty values."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from reporting import summaries
from reporting.tables import (
    COUNT,
    DATE,
    EURO,
    PERCENT,
    REFERENCE,
    Change,
    Column,
    Table,
    format_cell,
    format_count,
    format_percent,
)

FIGURES = {
    "received": 12,
    "decided_received": 10,
    "decided_approved": 3,
    "acceptance_rate": 0.3,
    "funded": 2,
    "committed": 9_500_000,
    "disbursed": 4_750_050,
    "gap": 4_749_950,
    "milestones_due": 7,
    "on_time": 5,
    "late": 1,
    "repositories": 4,
    "datasets": 1,
    "public_bodies": 2,
    "collaborating_projects": 1,
}
TODAY = dt.date(2026, 6, 15)


@pytest.fixture
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def german():
    with translation.override("de"):
        yield


def test_the_summary_paragraph(english):
    text = summaries.report_summary(
        FIGURES, date_from=dt.date(2026, 1, 1), date_to=dt.date(2026, 3, 31), today=TODAY
    )

    assert text == (
        "From 1 January 2026 to 31 March 2026, 12 applications were received. In the calls "
        "decided, 3 of 10 applications were approved (acceptance rate 30%, decided calls only); "
        "2 grant agreements were signed. €95,000.00 were committed in grant agreements and "
        "€47,500.50 disbursed; €47,499.50 of the commitments are still to be paid. 7 "
        "milestones due by 15 June 2026: 5 reported on time, 1 late. The projects "
        "released 4 code repositories and opened 1 dataset under open licences; 2 public bodies "
        "partner with, adopt or reuse 1 of them."
    )


def test_the_summary_paragraph_in_german(german):
    text = summaries.report_summary(FIGURES, date_from=None, date_to=None, today=TODAY)

    assert text.startswith(
        "Seit Beginn des Fonds sind 12 Anträge eingegangen. In den entschiedenen Förderrunden "
        "wurden 3 von 10 Anträgen bewilligt (Förderquote 30\u00a0%, nur entschiedene "
        "Förderrunden); 2 Förderverträge wurden unterzeichnet."
    )
    assert (
        "7 bis zum 15. Juni 2026 fällige Meilensteine: 5 rechtzeitig berichtet, 1 verspätet."
        in text
    )


def test_singulars_and_no_decided_call(english):
    one = {**FIGURES, "received": 1, "decided_received": 1, "decided_approved": 1,
           "milestones_due": 1, "on_time": 1, "late": 0}  # fmt: skip
    none_decided = {**FIGURES, "decided_received": 0}

    assert summaries.received_sentence(one, "since the fund began") == (
        "Since the fund began, 1 application was received."
    )
    assert summaries.decided_sentence(one).startswith(
        "In the calls decided, 1 of 1 application was approved"
    )
    assert summaries.milestones_sentence(one, TODAY) == (
        "1 milestone due by 15 June 2026: 1 reported on time, 0 late."
    )
    assert summaries.decided_sentence(none_decided) == (
        "None of them is in a call that has been decided yet."
    )


def test_every_count_agrees_with_its_noun_and_verb(english):
    one = {**FIGURES, "funded": 1, "repositories": 1, "datasets": 1, "public_bodies": 1,
           "collaborating_projects": 1}  # fmt: skip
    none = {**FIGURES, "funded": 0, "repositories": 0, "datasets": 0, "public_bodies": 0,
            "collaborating_projects": 0}  # fmt: skip

    assert summaries.decided_sentence(one).endswith("; 1 grant agreement was signed.")
    assert summaries.decided_sentence(FIGURES).endswith("; 2 grant agreements were signed.")
    assert summaries.outcomes_sentence(one) == (
        "The projects released 1 code repository and opened 1 dataset under open licences; "
        "1 public body partners with, adopts or reuses 1 of them."
    )
    assert summaries.outcomes_sentence(none) == (
        "The projects released 0 code repositories and opened 0 datasets under open licences; "
        "0 public bodies partner with, adopt or reuse 0 of them."
    )


def test_every_count_agrees_with_its_noun_and_verb_in_german(german):
    one = {**FIGURES, "funded": 1, "repositories": 1, "datasets": 1, "public_bodies": 1,
           "collaborating_projects": 1}  # fmt: skip

    assert summaries.decided_sentence(one).endswith("; 1 Fördervertrag wurde unterzeichnet.")
    assert summaries.outcomes_sentence(one) == (
        "Die Projekte haben 1 Code-Repository und 1 Datensatz unter offenen Lizenzen "
        "veröffentlicht; 1 öffentliche Stelle arbeitet mit 1 von ihnen zusammen, setzt sie ein "
        "oder nutzt sie weiter."
    )
    assert summaries.outcomes_sentence(FIGURES) == (
        "Die Projekte haben 4 Code-Repositorys und 1 Datensatz unter offenen Lizenzen "
        "veröffentlicht; 2 öffentliche Stellen arbeiten mit 1 von ihnen zusammen, setzen sie "
        "ein oder nutzen sie weiter."
    )


@pytest.mark.parametrize(
    ("start", "end", "text"),
    [
        (dt.date(2026, 1, 1), dt.date(2026, 3, 31), "from 1 January 2026 to 31 March 2026"),
        (dt.date(2026, 1, 1), None, "since 1 January 2026"),
        (None, dt.date(2026, 3, 31), "until 31 March 2026"),
        (None, None, "since the fund began"),
    ],
)
def test_period_texts(english, start, end, text):
    assert summaries.period_text(start, end) == text


def test_ranges_and_first_letters(english):
    assert summaries.span_text(dt.date(2026, 1, 1), dt.date(2026, 3, 31)) == (
        "1 January 2026 – 31 March 2026"
    )
    assert summaries.first_upper("since the fund began") == "Since the fund began"
    assert summaries.first_upper("from eU funds") == "From eU funds"  # the rest as it is
    assert summaries.first_upper("") == ""


PROJECT = {
    "title": "Open Transit Toolkit",
    "reference": "01CTF26001",
    "award": 4_000_000,
    "starts_on": dt.date(2025, 4, 1),
    "ends_on": dt.date(2025, 9, 30),
    "milestones": 2,
    "milestones_accepted": 2,
    "disbursed": 4_000_000,
    "milestones_late": 1,
    "repositories": 1,
    "datasets": 1,
    "releases": 6,
    "users_reached": 250,
    "security_audits": 0,
    "vulnerabilities_fixed": 0,
    "follow_up": 2_500_000,
    "funder": "Land NRW",
}


def test_a_project_in_one_paragraph(english):
    text = summaries.project_summary(
        PROJECT, topic="Open Data", call="Funding round 2025/1",
        bodies=["Stadt Ulm (Uses the result in operation)"],
    )  # fmt: skip

    assert text == (
        "Open Transit Toolkit (01CTF26001, Open Data, Funding round 2025/1) was awarded "
        "€40,000.00 for the period 1 April 2025 to 30 September 2025. 2 of 2 milestones have "
        "been accepted and €40,000.00 disbursed. 1 milestone was late. Open code repositories: "
        "1; open datasets: 1; releases: 6; users reached: 250. Public bodies working with it: "
        "Stadt Ulm (Uses the result in operation). Follow-up funding: €25,000.00 from Land NRW."
    )


def test_a_project_paragraph_leaves_out_what_did_not_happen(english):
    quiet = {**PROJECT, "milestones": 1, "milestones_accepted": 0, "milestones_late": 0,
             "follow_up": 0, "security_audits": 2, "vulnerabilities_fixed": 0}  # fmt: skip

    text = summaries.project_summary(quiet, topic="Open Data", call="R", bodies=[])

    assert "0 of 1 milestone has been accepted" in text
    assert "late" not in text
    assert "Public bodies" not in text and "Follow-up" not in text
    assert text.endswith("Security work: 2 audits, 0 vulnerabilities fixed.")
    unnamed = summaries.project_summary({**PROJECT, "funder": ""}, topic="T", call="R", bodies=[])
    assert unnamed.endswith("Follow-up funding: €25,000.00 from a funder not named.")
    fixed_only = summaries.project_summary(
        {**quiet, "security_audits": 0, "vulnerabilities_fixed": 3}, topic="T", call="R", bodies=[]
    )
    assert fixed_only.endswith("Security work: 0 audits, 3 vulnerabilities fixed.")


def test_changes_are_written_with_their_sign_and_direction(english):
    # A word joiner (U+2060) keeps the sign with what follows it: never a line between.
    assert str(Change(3, COUNT)) == "+\u20603"
    assert str(Change(-1200, COUNT)) == "−\u20601,200"
    assert str(Change(0, COUNT)) == "±0"
    assert str(Change(Decimal("-20000.00"), EURO)) == "−\u2060€20,000.00"
    assert str(Change(Decimal("0.00"), EURO)) == "±0"
    assert [Change(n, COUNT).direction for n in (2, -2, 0)] == ["up", "down", "same"]
    assert [Change(n, COUNT).direction_label for n in (2, -2, 0)] == ["Up", "Down", "Unchanged"]
    assert Change(2, COUNT).arrow_uri.startswith("data:image/svg+xml;base64,")
    assert Change(2, COUNT).arrow_uri != Change(-2, COUNT).arrow_uri != Change(0, COUNT).arrow_uri
    assert format_cell(Change(5, COUNT), "change") == "+\u20605"


def test_changes_in_german(german):
    assert str(Change(Decimal("1234.50"), EURO)) == "+\u20601.234,50\u00a0€"
    assert Change(-1, COUNT).direction_label == "Gesunken"


def test_cells_in_english(english):
    assert format_cell(None, EURO) == "–"
    assert format_cell("", "text") == "–"
    assert format_cell(Decimal("47500"), EURO) == "€47,500.00"
    assert format_cell(12345, COUNT) == "12,345"
    assert format_cell(0.125, PERCENT) == "12.5%"
    assert format_cell(float("nan"), PERCENT) == "–"
    assert format_cell(dt.date(2026, 3, 1), DATE) == "1 March 2026"
    assert format_cell("2026-03-01", DATE) == "–"
    assert format_cell("01CTF26001", REFERENCE) == "01CTF26001"
    assert format_count(None) == "–"
    assert format_percent(None) == "–"
    assert format_percent(0.4) == "40%"


def test_a_shortened_table_says_how_many_rows_it_left_out():
    table = Table(
        key="t", title="T", columns=[Column("a", "A"), Column("n", "N", COUNT)],
        rows=[["x", 1], ["y", 2], ["z", 3]], row_ids=[7, 8, 9], row_kinds=[COUNT, EURO, COUNT],
    )  # fmt: skip

    short = table.first(2)

    assert (short.rows, short.row_ids, short.row_kinds, short.omitted) == (
        [["x", 1], ["y", 2]], [7, 8], [COUNT, EURO], 1,
    )  # fmt: skip
    assert table.first(3) is table and table.omitted == 0
    assert [cells[1][1] for _id, cells in table.cells()] == [COUNT, EURO, COUNT]
    assert [row_id for row_id, _cells in table.cells()] == [7, 8, 9]
    assert Column("n", "N", COUNT).numeric and not Column("a", "A").numeric
    assert Column("c", "C", "change").numeric
