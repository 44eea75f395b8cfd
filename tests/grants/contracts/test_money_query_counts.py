"""The money pages make the same number of queries with 1 and with 3 rows: payments waiting,
accounts to confirm, transfer files, payments in a file, accounts named for a grant."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from grants.contracts.services.bank_details import change_bank_details
from grants.contracts.services.batches import export_sepa_batch
from grants.models import BankDetailsCheck, Payment, SepaBatch
from tests.accounts.helpers import sign_in
from tests.factories import make_grant, make_user
from tests.grants.contracts.helpers import accept, report

pytestmark = pytest.mark.django_db
IBANS = ("DE13430609671234567890", "DE02120300000000202051", "DE89370400440532013000")


def released_payment(staff) -> int:
    """A new grant whose first milestone ``staff`` accepted: the released payment's id."""
    first = make_grant().milestones.first()
    report(first)
    accept(first, staff)
    return Payment.objects.get(milestone=first).pk


def released(staff, rows):
    """``rows`` grants with one released payment each, one account waiting for confirmation
    each (a pending check), and ``rows`` transfer files of another ``rows`` grants."""
    finance = make_user(Role.STAFF)
    for _ in range(rows):
        grant = make_grant()
        first = grant.milestones.first()
        report(first)
        accept(first, staff)
        BankDetailsCheck.objects.create(
            grant=grant, reason="change", account_holder="Ada", iban_masked=grant.iban_masked
        )
        export_sepa_batch(
            actor=finance,
            payment_ids=[released_payment(staff)],
            execution_date=timezone.localdate(),
        )
    return finance


def count(client, url, method="get", data=None):
    getattr(client, method)(url, data)  # warms the content-type cache (readings are logged)
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, data)
    assert response.status_code == 200, response.status_code
    return len(queries)


def test_the_finance_page(client, staff):
    counts = []
    for rows in (1, 3):
        finance = released(staff, rows)
        sign_in(client, finance)
        counts.append(count(client, reverse("staff_finance")))
        assert SepaBatch.objects.count() == (1 if rows == 1 else 4)
    assert counts[0] == counts[1], counts


def test_the_review_page(client, staff):
    counts = []
    for rows in (1, 3):
        finance = make_user(Role.STAFF)
        ids = [released_payment(staff) for _ in range(rows)]
        sign_in(client, finance)
        data = {"payments": ids, "execution_date": timezone.localdate().isoformat()}
        counts.append(count(client, reverse("staff_sepa_review"), "post", data))
    assert counts[0] == counts[1], counts


def test_the_batch_page(client, staff):
    counts = []
    finance = make_user(Role.STAFF)
    sign_in(client, finance)
    for rows in (1, 3):
        ids = [released_payment(staff) for _ in range(rows)]
        batch = export_sepa_batch(
            actor=finance, payment_ids=ids, execution_date=timezone.localdate()
        )
        counts.append(count(client, reverse("staff_sepa_batch", args=[batch.pk])))
    assert counts[0] == counts[1], counts


def test_the_bank_details_page(client, staff):
    counts = []
    sign_in(client, staff)
    for rows in (1, 3):
        grant = make_grant()
        owner = grant.application.owner
        for iban in IBANS[:rows]:
            change_bank_details(grant=grant, actor=owner, account_holder="Ada", iban=iban, bic="")
        assert grant.bank_checks.count() == rows
        counts.append(count(client, reverse("staff_bank_details", args=[grant.pk])))
    assert counts[0] == counts[1], counts
