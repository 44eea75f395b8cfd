"""The reporting forms parse what people type: a selection of call, topic and period (bad
dates and impossible periods say why and select everything), the report request, the
subscription and the targets (whole numbers for counts, bounded amounts)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from reporting.data import CallInfo, TopicInfo
from reporting.filters import ReportFilter
from reporting.forms import (
    ReportFilterForm,
    ReportRequestForm,
    SubscriptionForm,
    TargetsForm,
    language_choices,
)

CALLS = [CallInfo(1, "2026-1", "Förderrunde 2026/1", "Funding round 2026/1", 2026, 1)]
TOPICS = [TopicInfo(1, "open-data", "Offene Daten", "Open Data")]


def selection_form(data, form_class=ReportFilterForm, language="en"):
    return form_class(data, calls=CALLS, topics=TOPICS, language=language)


def test_a_valid_selection():
    form = selection_form(
        {"call": "2026-1", "topic": "open-data", "date_from": "2026-01-01", "date_to": "2026-03-31"}
    )

    assert form.selection() == ReportFilter(
        call="2026-1", topic="open-data", date_from=dt.date(2026, 1, 1),
        date_to=dt.date(2026, 3, 31),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"date_from": "2026-04-01", "date_to": "2026-03-31"}, "date_to",
         "The end of the period lies before its start."),
        ({"date_from": "1999-12-31"}, "date_from", "greater than or equal to"),
        ({"date_to": "2100-01-01"}, "date_to", "less than or equal to"),
        ({"date_from": "2026-02-30"}, "date_from", "Enter a valid date."),
        ({"date_from": "²⁰²⁶-01-01"}, "date_from", "Enter a valid date."),
        ({"call": "no-such-call"}, "call", "Select a valid choice."),
        ({"topic": "<script>"}, "topic", "Select a valid choice."),
    ],
)  # fmt: skip
def test_a_bad_selection_says_why_and_selects_everything(data, field, message):
    form = selection_form(data)

    assert not form.is_valid()
    assert message in " ".join(form.errors[field])
    assert form.selection() == ReportFilter()


def test_the_choices_are_named_in_the_language_of_the_page():
    english = selection_form(None)
    german = selection_form(None, language="de")

    assert english.fields["call"].choices[1] == ("2026-1", "Funding round 2026/1")
    assert german.fields["topic"].choices[1] == ("open-data", "Offene Daten")
    assert english.selection() == ReportFilter()  # unbound: everything


def test_a_report_request_needs_a_language_and_may_leave_out_the_appendix():
    form = selection_form({"language": "de", "call": ""}, ReportRequestForm)
    wrong = selection_form({"language": "fr"}, ReportRequestForm)

    assert form.is_valid() and form.cleaned_data["appendix"] is False
    assert not wrong.is_valid() and "language" in wrong.errors
    assert [code for code, _name in language_choices()] == ["de", "en"]
    rendered = str(form["language"])
    assert 'lang="de"' in rendered and 'lang="en"' in rendered


@pytest.mark.parametrize(
    ("data", "valid"),
    [
        ({"action": "subscribe", "language": "en"}, True),
        ({"action": "unsubscribe"}, True),
        ({"action": "delete"}, False),
        ({"action": "subscribe", "language": "xx"}, False),
    ],
)
def test_the_subscription_form(data, valid):
    assert SubscriptionForm(data).is_valid() is valid


def targets_form(data):
    return TargetsForm(
        data,
        indicators=("repositories", "committed"),
        labels={"repositories": "Repositories", "committed": "Committed"},
        euro_indicators=("committed",),
    )


def test_targets_are_whole_numbers_for_counts_and_euros_for_money():
    form = targets_form({"repositories": "12", "committed": "1500.25"})

    assert form.is_valid()
    assert form.values() == {"repositories": Decimal(12), "committed": Decimal("1500.25")}
    empty = targets_form({"repositories": "", "committed": ""})
    assert empty.is_valid()
    assert empty.values() == {"repositories": None, "committed": None}


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"repositories": "1.5"}, "repositories"),
        ({"repositories": "²"}, "repositories"),
        ({"repositories": "-1"}, "repositories"),
        ({"committed": "1.005"}, "committed"),
        ({"committed": "9" * 16}, "committed"),
        ({"committed": "NaN"}, "committed"),
    ],
)
def test_bad_targets_are_refused(data, field):
    form = targets_form(data)

    assert not form.is_valid()
    assert list(form.errors) == [field]


def test_target_fields_in_german():
    with translation.override("de"):
        form = targets_form({"repositories": "x"})
        assert not form.is_valid()
        assert form.errors["repositories"] == ["Bitte eine ganze Zahl eingeben."]


@pytest.mark.parametrize(
    ("selection", "label"),
    [
        (ReportFilter(), ""),
        (ReportFilter(call="2025-1"), "-call-2025-1"),
        (ReportFilter(topic="open-data"), "-topic-open-data"),
        (
            ReportFilter(
                call="2025-1",
                topic="open-data",
                date_from=dt.date(2026, 1, 1),
                date_to=dt.date(2026, 6, 30),
            ),
            "-call-2025-1-topic-open-data-from-2026-01-01-to-2026-06-30",
        ),
        (ReportFilter(date_to=dt.date(2026, 6, 30)), "-to-2026-06-30"),
        # Nothing that could end the header's quoted file name or leave its folder.
        (ReportFilter(call='x"; y/../z'), "-call-x-yz"),
    ],
)
def test_the_selection_in_a_file_name(selection, label):
    assert selection.file_label() == label
