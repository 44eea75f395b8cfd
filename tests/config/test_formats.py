"""One date, time and number format per language (config/formats), the same on pages, in
e-mails and in the admin site; amounts through the euro filter, in one unbreakable piece."""

import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import formats, translation

from core.formats import euro, percent

MOMENT = dt.datetime(2026, 1, 12, 15, 2)  # 12 January, an afternoon: no month-first reading
DAY = dt.date(2026, 12, 1)

EXPECTED = {
    "en": {
        "DATE_FORMAT": "12 January 2026",
        "SHORT_DATE_FORMAT": "12 January 2026",
        "DATETIME_FORMAT": "12 January 2026, 15:02",
        "SHORT_DATETIME_FORMAT": "12 January 2026, 15:02",
        "TIME_FORMAT": "15:02",
    },
    "de": {
        "DATE_FORMAT": "12. Januar 2026",
        "SHORT_DATE_FORMAT": "12. Januar 2026",
        "DATETIME_FORMAT": "12. Januar 2026, 15:02 Uhr",
        "SHORT_DATETIME_FORMAT": "12. Januar 2026, 15:02 Uhr",
        "TIME_FORMAT": "15:02 Uhr",
    },
}


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("name", list(EXPECTED["en"]))
def test_each_format_name_gives_the_one_format_of_the_language(language, name):
    with translation.override(language):
        template = Template(f'{{{{ moment|date:"{name}" }}}}')
        assert template.render(Context({"moment": MOMENT})) == EXPECTED[language][name]


@pytest.mark.parametrize(
    ("language", "plain"), [("en", "1 December 2026"), ("de", "1. Dezember 2026")]
)
def test_a_date_without_format_name_uses_the_same_format(language, plain):
    with translation.override(language):
        assert Template("{{ day }}").render(Context({"day": DAY})) == plain
        assert formats.localize(DAY) == plain


@pytest.mark.parametrize("language", ["en", "de"])
def test_forms_accept_iso_dates_first(language):
    with translation.override(language):
        assert formats.get_format("DATE_INPUT_FORMATS")[0] == "%Y-%m-%d"


@pytest.mark.parametrize(
    ("language", "amount", "decimals", "shown"),
    [
        ("de", Decimal("44887.50"), 2, "44.887,50\u00a0€"),
        ("en", Decimal("44887.50"), 2, "€44,887.50"),
        ("de", Decimal("158000"), 0, "158.000\u00a0€"),
        ("en", Decimal("158000"), 0, "€158,000"),
        ("de", Decimal("-3"), 2, "\u22123,00\u00a0€"),
        ("en", Decimal("-3"), 2, "\u2212€3.00"),
        ("en", None, 2, "–"),
    ],
)
def test_euro_is_localised_and_does_not_break(language, amount, decimals, shown):
    with translation.override(language):
        assert euro(amount, decimals) == shown
        rendered = Template("{% load grants_tags %}{{ amount|euro:decimals }}").render(
            Context({"amount": amount, "decimals": decimals})
        )
        assert rendered == shown
    assert " " not in shown  # no ordinary space a line could break at


@pytest.mark.parametrize(
    ("language", "value", "shown"),
    [
        ("de", Decimal("5.00"), "5\u00a0%"),
        ("en", Decimal("5.00"), "5%"),
        ("de", Decimal("12.50"), "12,5\u00a0%"),
        ("en", Decimal("95"), "95%"),
    ],
)
def test_percent_is_localised_without_trailing_zeros(language, value, shown):
    with translation.override(language):
        assert percent(value) == shown


@pytest.mark.parametrize(
    ("language", "value", "decimals", "shown"),
    [
        ("en", Decimal("1234.5"), 0, "€1,235"),
        ("de", Decimal("1234.5"), 0, "1.235\u00a0€"),
        ("en", Decimal("0.999"), 2, "€1.00"),
        ("en", Decimal("1234.565"), 2, "€1,234.57"),
        ("de", Decimal("-1234.565"), 2, "\u22121.234,57\u00a0€"),
        ("en", Decimal("-0.004"), 2, "€0.00"),
    ],
)
def test_euros_are_rounded_half_up_never_cut(language, value, decimals, shown):
    with translation.override(language):
        assert euro(value, decimals) == shown


@pytest.mark.parametrize(
    ("value", "shown"), [("12.345", "12.35%"), ("0.005", "0.01%"), ("99.995", "100%")]
)
def test_percentages_are_rounded_to_two_decimals(value, shown):
    with translation.override("en"):
        assert percent(Decimal(value)) == shown
