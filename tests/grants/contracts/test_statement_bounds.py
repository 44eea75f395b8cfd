"""The numerical statement's bounds, each on, inside and beyond its edge, in the service
itself (grants.contracts.services.proof.write_statement): names and roles of 200
characters, a payee of 200 and a purpose of 500, hours above 0 up to 100,000, amounts up
to €9,999,999.99 (a person's may be nothing, a receipt's not), receipts dated within the
funding period, 200 lines of each kind, reasons of 10,000 characters. A refused statement
keeps the one saved before; staff's comments and the grantee's answers have 10,000."""

import datetime as dt
from decimal import Decimal

import pytest

from core.errors import WorkflowError
from grants.contracts.services.proof import (
    answer_statement_query,
    check_statement_line,
    write_statement,
)
from grants.models import FinalReport, ProofOfUse, StatementLine
from tests.factories import make_grant
from tests.grants.contracts.test_proof_of_use import due, lines_of, submitted

pytestmark = pytest.mark.django_db
__all__ = ["due", "submitted"]  # fixtures

D = Decimal
PERSON_ERROR = (
    "Person 1 needs a name, hours between 0 and 100000 and costs between 0 and €9,999,999.99."
)
RECEIPT_ERROR = "Receipt 1 needs a payee, a purpose and an amount between 0.01 and €9,999,999.99."


def person(**fields):
    return {"name": "Ada Lovelace", "role": "Developer", "hours": "840", "amount": "42000"} | fields


@pytest.fixture
def report():
    grant = make_grant(state="final_report_due")
    return FinalReport.objects.create(grant=grant)


def receipt(report, **fields):
    day = report.grant.starts_on + dt.timedelta(days=3)
    return {"paid_on": day, "payee": "Hetzner", "purpose": "Servers", "amount": "480"} | fields


def write(report, *, persons=None, receipts=(), own="0", reasons=None):
    return write_statement(
        report=report,
        persons=[person()] if persons is None else persons,
        receipts=list(receipts),
        own_contribution=own,
        reasons=reasons or {},
    )


def refusal(report, **kwargs):
    write(report)  # a saved statement the refusal must leave as it was
    before = list(StatementLine.objects.order_by("pk").values_list("pk", "amount", "hours"))
    with pytest.raises(WorkflowError) as refused:
        write(report, **kwargs)
    assert refused.value.message == (
        "The final report was not saved: please correct the marked fields."
    )
    assert list(StatementLine.objects.order_by("pk").values_list("pk", "amount", "hours")) == (
        before
    )
    return refused.value.field_errors


@pytest.mark.parametrize(
    "fields",
    [
        {"name": "n" * 201},
        {"name": "  "},
        {"role": "r" * 201},
        {"hours": "0"},
        {"hours": "100000.01"},
        {"hours": "many"},
        {"amount": "-0.01"},
        {"amount": "10000000.00"},
        {"amount": "NaN"},
        {"hours": "NaN"},
        {"hours": "Infinity"},
    ],
    ids=str,
)
def test_a_person_beyond_the_bounds_is_refused(report, fields):
    assert refusal(report, persons=[person(**fields)]) == {"persons": [PERSON_ERROR]}


@pytest.mark.parametrize(
    ("fields", "kept"),
    [
        ({"name": "n" * 200, "role": "r" * 200}, ("n" * 200, "r" * 200, D("840"), D("42000"))),
        ({"role": ""}, ("Ada Lovelace", "", D("840"), D("42000"))),
        ({"hours": "0.01", "amount": "0"}, ("Ada Lovelace", "Developer", D("0.01"), D("0"))),
        (
            {"hours": "100000", "amount": "9999999.99"},
            ("Ada Lovelace", "Developer", D("100000"), D("9999999.99")),
        ),
    ],
    ids=["longest", "no role", "least", "most"],
)
def test_a_person_on_the_bounds_is_kept(report, fields, kept):
    write(report, persons=[person(**fields)])

    assert StatementLine.objects.values_list("name", "role", "hours", "amount").get() == kept


@pytest.mark.parametrize(
    "fields",
    [
        {"payee": "p" * 201},
        {"purpose": "p" * 501},
        {"payee": ""},
        {"amount": "0"},
        {"amount": "10000000.00"},
    ],
    ids=str,
)
def test_a_receipt_beyond_the_bounds_is_refused(report, fields):
    assert refusal(report, receipts=[receipt(report, **fields)]) == {"receipts": [RECEIPT_ERROR]}


def test_a_receipt_on_the_bounds_is_kept(report):
    write(
        report,
        receipts=[receipt(report, payee="p" * 200, purpose="q" * 500, amount="0.01")],
    )

    assert StatementLine.objects.filter(kind="receipt").values_list(
        "payee", "purpose", "amount"
    ).get() == ("p" * 200, "q" * 500, D("0.01"))


def test_receipts_are_dated_within_the_funding_period(report):
    grant = report.grant
    day = dt.timedelta(days=1)
    period = f"({grant.starts_on} – {grant.ends_on})"

    for paid_on in (grant.starts_on - day, grant.ends_on + day, None):
        assert refusal(report, receipts=[receipt(report, paid_on=paid_on)]) == {
            "receipts": [f"Receipt 1 must be dated within the funding period {period}."]
        }
    write(
        report,
        receipts=[receipt(report, paid_on=grant.starts_on), receipt(report, paid_on=grant.ends_on)],
    )

    assert list(
        StatementLine.objects.filter(kind="receipt")
        .order_by("position")
        .values_list("position", "paid_on")
    ) == [(1, grant.starts_on), (2, grant.ends_on)]


def test_200_lines_of_each_kind_are_kept_and_201_refused(report):
    for persons, receipts in ((201, 1), (1, 201)):
        assert (
            refusal(
                report,
                persons=[person()] * persons,
                receipts=[receipt(report)] * receipts,
            )["persons"][0]
            == "At most 200 lines."
        )

    write(report, persons=[person()] * 200, receipts=[receipt(report)] * 200)

    lines = StatementLine.objects.order_by("kind", "position")
    assert list(lines.filter(kind="person").values_list("position", flat=True)) == list(
        range(1, 201)
    )
    assert list(lines.filter(kind="receipt").values_list("position", flat=True)) == list(
        range(1, 201)
    )


@pytest.mark.parametrize(
    ("own", "kept"), [("0", D("0")), (None, D("0")), ("9999999.99", D("9999999.99"))]
)
def test_an_own_contribution_on_the_bounds_is_kept(report, own, kept):
    write(report, own=own)

    assert ProofOfUse.objects.get().own_contribution == kept


@pytest.mark.parametrize("own", ["-0.01", "10000000", "a lot", "NaN", "-Infinity"])
def test_an_own_contribution_beyond_the_bounds_is_refused(report, own):
    assert refusal(report, own=own) == {
        "own_contribution": ["Enter an amount between 0 and €9,999,999.99."]
    }


def test_a_reason_of_10000_characters_is_kept_and_10001_refused(report):
    assert refusal(report, reasons={"overhead": "x" * 10_001}) == {
        "reason_overhead": ["At most 10000 characters."]
    }

    write(report, reasons={"overhead": "x" * 10_000, "other": "  "})

    assert ProofOfUse.objects.get().variance_reasons == {"overhead": "x" * 10_000}


def test_a_comment_of_10000_characters_is_kept_and_10001_refused(submitted, staff):
    person_line, _receipt_line = lines_of(submitted)

    with pytest.raises(WorkflowError) as refused:
        check_statement_line(
            line=person_line, actor=staff, accept=False, comment="c" * 10_001, expected_state="open"
        )
    assert refused.value.field_errors == {"comment": ["At most 10000 characters."]}
    person_line.refresh_from_db()
    assert (person_line.state, person_line.query) == ("open", "")

    check_statement_line(
        line=person_line, actor=staff, accept=False, comment="c" * 10_000, expected_state="open"
    )
    person_line.refresh_from_db()
    assert (person_line.state, person_line.query) == ("queried", "c" * 10_000)


def test_an_answer_has_1_to_10000_characters(submitted, staff):
    person_line, _receipt_line = lines_of(submitted)
    check_statement_line(
        line=person_line, actor=staff, accept=False, comment="Which months?", expected_state="open"
    )
    owner = submitted.application.owner

    for answer in ("  ", "a" * 10_001):
        with pytest.raises(WorkflowError) as refused:
            answer_statement_query(
                line=person_line, actor=owner, answer=answer, expected_state="queried"
            )
        assert refused.value.field_errors == {"answer": ["Between 1 and 10000 characters."]}
    person_line.refresh_from_db()
    assert (person_line.state, person_line.answer) == ("queried", "")

    answer_statement_query(
        line=person_line, actor=owner, answer="a" * 10_000, expected_state="queried"
    )
    person_line.refresh_from_db()
    assert person_line.answer == "a" * 10_000
