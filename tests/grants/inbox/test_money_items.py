"""The money lines of the staff inbox agree with the rules for one object, with four eyes on
and off: a released payment is listed to whoever may put it into a transfer file
(grants.export_payment), a changed account waits for confirmation (its payments listed to
nobody), a transfer file is listed to whoever may mark it paid (grants.mark_batch_paid);
doing the work takes the line away, and a conflicted staff member sees none of it."""

import pytest
from django.utils import timezone

from accounts.access import may
from accounts.roles import Role
from grants.contracts.services.batches import cancel_sepa_batch, export_sepa_batch
from grants.models import BankDetailsCheck, Grant, Payment
from review.states import ConflictStatus
from tests.accounts.helpers import sign_in
from tests.factories import make_grant, make_user
from tests.grants.contracts.helpers import accept, confirm_account, report
from tests.grants.inbox.helpers import get_inbox, inbox_lines
from tests.review.helpers import conflict

pytestmark = pytest.mark.django_db

NAMES = ("Ana", "Ben", "Cem")


@pytest.fixture
def people():
    return {name: make_user(Role.STAFF, full_name=name) for name in NAMES}


def released(grant, staff) -> Payment:
    """The grant's first milestone report accepted by ``staff``: its payment is released."""
    milestone = grant.milestones.first()
    report(milestone)
    accept(milestone, staff)
    return Payment.objects.get(milestone=milestone, kind="released")


def changed_account(grant) -> BankDetailsCheck:
    return BankDetailsCheck.objects.create(
        grant=grant,
        reason="change",
        account_holder="Ada Lovelace",
        iban_masked=grant.iban_masked,
        requested_by=grant.application.owner,
    )


def lines_of(client, person, key) -> list:
    sign_in(client, person)
    return inbox_lines(get_inbox(client)).get(key, [])


@pytest.mark.parametrize(
    ("four_eyes", "listed"),
    [(True, [False, True, True]), (False, [True, True, True])],
)
def test_a_released_payment_is_listed_to_whoever_may_export_it(
    client, settings, people, four_eyes, listed
):
    settings.PAYMENTS_FOUR_EYES = four_eyes
    payment = released(make_grant(), people["Ana"])

    shown = [bool(lines_of(client, people[name], "payments_to_transfer")) for name in NAMES]
    allowed = [may(people[name], "grants.export_payment", payment) for name in NAMES]

    assert shown == listed
    assert allowed == listed
    line = lines_of(client, people["Ben"], "payments_to_transfer")
    assert line == [
        (
            f"{payment.grant.funding_reference} {payment.grant.application.title} – "
            f"{payment.milestone}",
            "/staff/finance/#transfer-heading",
            "since today",
        )
    ]


def test_a_changed_account_holds_its_payments_until_someone_confirms_it(client, people):
    grant = make_grant()
    payment = released(grant, people["Ana"])
    check = changed_account(grant)

    for name in NAMES:
        assert lines_of(client, people[name], "payments_to_transfer") == []
    assert lines_of(client, people["Ben"], "accounts_to_confirm") == [
        (
            f"{grant.funding_reference} {grant.application.title}",
            f"/staff/finance/grants/{grant.pk}/bank-details/",
            "since today",
        )
    ]
    html = get_inbox(client).content.decode()
    assert f"{grant.application.owner.get_full_name()} · Changed by the grantee" in html

    confirm_account(grant, people["Ben"])

    check.refresh_from_db()
    assert check.state == "confirmed"
    assert lines_of(client, people["Ben"], "accounts_to_confirm") == []
    # Ana released it, Ben confirmed the account: with four eyes, Cem puts it into the file.
    shown = [bool(lines_of(client, people[name], "payments_to_transfer")) for name in NAMES]
    assert shown == [False, False, True]
    assert [may(people[name], "grants.export_payment", payment) for name in NAMES] == shown


def test_a_grant_without_bank_details_waits_in_no_list(client, people):
    grant = make_grant()
    released(grant, people["Ana"])
    Grant.objects.filter(pk=grant.pk).update(iban_encrypted="")

    assert lines_of(client, people["Ben"], "payments_to_transfer") == []


@pytest.mark.parametrize(
    ("four_eyes", "listed"),
    [(True, [False, True, True]), (False, [True, True, True])],
)
def test_a_transfer_file_is_listed_to_whoever_may_mark_it_paid(
    client, settings, people, four_eyes, listed
):
    settings.PAYMENTS_FOUR_EYES = four_eyes
    payment = released(make_grant(), people["Ana"])
    batch = export_sepa_batch(
        actor=people["Ben"], payment_ids=[payment.pk], execution_date=timezone.localdate()
    )

    shown = [bool(lines_of(client, people[name], "batches_to_mark_paid")) for name in NAMES]

    assert shown == listed
    assert [may(people[name], "grants.mark_batch_paid", batch) for name in NAMES] == listed
    # Exported: no longer a payment to put into a file.
    assert lines_of(client, people["Cem"], "payments_to_transfer") == []
    assert lines_of(client, people["Cem"], "batches_to_mark_paid") == [
        (batch.file_name, f"/staff/finance/batches/{batch.pk}/", "since today")
    ]
    html = get_inbox(client).content.decode()
    assert "1 payment, " in html


def test_a_cancelled_file_gives_its_payments_back_to_the_list(client, people):
    payment = released(make_grant(), people["Ana"])
    batch = export_sepa_batch(
        actor=people["Ben"], payment_ids=[payment.pk], execution_date=timezone.localdate()
    )

    cancel_sepa_batch(
        batch=batch, actor=people["Ben"], reason="The bank refused it.", expected_state="exported"
    )

    assert lines_of(client, people["Cem"], "batches_to_mark_paid") == []
    assert len(lines_of(client, people["Cem"], "payments_to_transfer")) == 1


def test_a_conflicted_staff_member_sees_no_money_line_of_that_grant(client, people):
    reader = make_user(Role.STAFF, Role.JUROR, full_name="Jo Both")
    grant = make_grant()
    payment = released(grant, people["Ana"])
    export_sepa_batch(
        actor=people["Ben"], payment_ids=[payment.pk], execution_date=timezone.localdate()
    )
    held = make_grant()
    changed_account(held)
    released(make_grant(), people["Ana"])  # a third grant, free to export
    conflict(reader, grant.application, status=ConflictStatus.SUGGESTED)
    conflict(reader, held.application)

    sign_in(client, reader)
    lines = inbox_lines(get_inbox(client))

    assert "batches_to_mark_paid" not in lines
    assert "accounts_to_confirm" not in lines
    assert len(lines["payments_to_transfer"]) == 1
    assert len(lines_of(client, people["Cem"], "accounts_to_confirm")) == 1
