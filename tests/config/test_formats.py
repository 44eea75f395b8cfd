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


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("de", ["7,33", "0,00", "0,90", "3,0", "1000,0", "–", "–", "-3,50", "47.500,00\u00a0€",
                "−1.234.567,89\u00a0€", "0,01\u00a0€"]),
        ("en", ["7.33", "0.00", "0.90", "3.0", "1000.0", "–", "–", "-3.50", "€47,500.00",
                "−€1,234,567.89", "€0.01"]),
    ],
)  # fmt: skip
def test_numbers_read_once_write_what_the_filters_write(language, expected):
    from core.formats import Numbers
    from review.templatetags.review_tags import number

    with translation.override(language):
        numbers = Numbers()
        shown = [
            numbers.fixed(7.3333, 2),
            numbers.fixed(-0.001, 2),  # never "−0,00"
            numbers.fixed(0.8999, 2),  # rounded, not cut
            numbers.fixed(2.95, 1),
            numbers.fixed(999.96, 1),
            numbers.fixed(None, 2),
            numbers.fixed(float("nan"), 2),
            numbers.fixed(-3.5, 2),
            numbers.euro(Decimal("47500")),
            numbers.euro(Decimal("-1234567.885")),
            numbers.euro("0.005"),
        ]
        assert shown[:8] == [
            number(7.3333),
            number(-0.001),
            number(0.8999),
            number(2.95, 1),
            number(999.96, 1),
            number(None),
            number(float("nan")),
            number(-3.5),
        ]
        assert shown[8:] == [euro(Decimal("47500")), euro(Decimal("-1234567.885")), euro("0.005")]

    assert shown == expected
