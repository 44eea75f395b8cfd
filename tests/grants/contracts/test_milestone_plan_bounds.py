"""An agreement's milestone plan (validate_milestone_plan), each rule on, inside and beyond
its edge: one to five milestones, amounts above zero that add up to the award exactly, due
dates from the first to the last day of the funding period; the period's last day, and
the next funding start."""

import datetime as dt
from decimal import Decimal

import pytest

from grants.contracts.services.agreements import (
    default_start,
    period_end,
    validate_milestone_plan,
)
from tests.factories import make_grant

pytestmark = pytest.mark.django_db

START = dt.date(2027, 1, 1)
END = dt.date(2027, 6, 30)  # six months
COUNT_ERROR = "An agreement has between one and 5 milestones."


def plan(*amounts, due_on=END):
    return [{"amount": Decimal(amount), "due_on": due_on} for amount in amounts]


@pytest.fixture
def grant():
    grant = make_grant(state="approved")
    grant.months, grant.amount = 6, Decimal("50000.00")
    return grant


def errors_of(grant, milestones):
    return validate_milestone_plan(grant=grant, starts_on=START, milestones=milestones).get(
        "milestones", []
    )


def test_the_funding_period_ends_the_day_before_its_months_are_over():
    assert period_end(START, 6) == END
    assert period_end(dt.date(2027, 1, 31), 1) == dt.date(2027, 2, 27)
    assert default_start(dt.date(2026, 12, 31)) == dt.date(2027, 1, 1)
    assert default_start(dt.date(2026, 12, 1)) == dt.date(2027, 1, 1)


@pytest.mark.parametrize(
    "amounts",
    [("50000",), ("10000",) * 5, ("20000", "30000")],
    ids=["one", "five", "two"],
)
def test_one_to_five_milestones_that_add_up_are_right(grant, amounts):
    assert validate_milestone_plan(grant=grant, starts_on=START, milestones=plan(*amounts)) == {}


def test_no_milestone_or_six_are_refused(grant):
    six = plan("10000", "10000", "10000", "10000", "5000", "5000")

    assert errors_of(grant, six) == [COUNT_ERROR]
    assert errors_of(grant, []) == [
        COUNT_ERROR,
        "The milestones add up to €0.00, but the award is €50,000.00: the amounts must sum "
        "to the award.",
    ]


@pytest.mark.parametrize(
    ("amounts", "total"),
    [(("49999.99",), "€49,999.99"), (("25000", "25000.01"), "€50,000.01")],
)
def test_amounts_must_add_up_to_the_award_to_the_cent(grant, amounts, total):
    assert errors_of(grant, plan(*amounts)) == [
        f"The milestones add up to {total}, but the award is €50,000.00: the amounts must "
        "sum to the award."
    ]


@pytest.mark.parametrize(("second", "error"), [("0.00", True), ("-0.01", True), ("0.01", False)])
def test_each_milestone_needs_an_amount_above_zero(grant, second, error):
    first = str(Decimal("50000") - Decimal(second))

    assert errors_of(grant, plan(first, second)) == (
        ["Milestone 2 needs an amount above zero."] if error else []
    )


@pytest.mark.parametrize(
    ("due_on", "error"),
    [
        (START - dt.timedelta(days=1), True),
        (START, False),
        (END, False),
        (END + dt.timedelta(days=1), True),
    ],
    ids=["day before", "first day", "last day", "day after"],
)
def test_milestones_are_due_within_the_funding_period(grant, due_on, error):
    assert errors_of(grant, plan("50000", due_on=due_on)) == (
        ["Milestone 1 must be due within the funding period (2027-01-01 – 2027-06-30)."]
        if error
        else []
    )
