"""Changing where the money goes: every account a grantee names holds the grant's payments
until a member of staff has called the grantee back and confirmed it (who, when, how); the
grantee, their recent e-mail addresses and the finance staff are told."""

import datetime as dt

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core import mail
from django.utils import timezone

from accounts.roles import Role
from core.errors import StaleObjectError, TransitionRefused, WorkflowError
from grants.contracts.bank import mask_iban
from grants.contracts.services.bank_details import change_bank_details, confirm_bank_details
from grants.contracts.services.batches import export_sepa_batch
from grants.models import BankDetailsCheck, SepaBatch
from tests.factories import IBAN, make_user
from tests.grants.contracts.helpers import accept, confirm_account, report, signed_grant
from workflow.audit import log_event
from workflow.models import TransitionLog

pytestmark = pytest.mark.django_db
NEW_IBAN = "DE13430609671234567890"


@pytest.fixture
def finance():
    return make_user(Role.STAFF, full_name="Mara Klein")


def checks(grant):
    return list(
        BankDetailsCheck.objects.filter(grant=grant)
        .order_by("pk")
        .values_list("reason", "iban_masked", "state", "confirmed_by_id")
    )


def export_all(actor):
    from grants.models import Payment

    return export_sepa_batch(
        actor=actor,
        payment_ids=list(Payment.objects.filter(kind="released").values_list("pk", flat=True)),
        execution_date=timezone.localdate(),
    )


def change(grant, iban=NEW_IBAN, actor=None):
    return change_bank_details(
        grant=grant,
        actor=actor or grant.application.owner,
        account_holder="Ada Lovelace",
        iban=iban,
        bic="",
    )


def test_the_account_given_with_the_agreement_waits_for_confirmation(staff, finance):
    grant = signed_grant(staff)
    first = grant.milestones.first()
    report(first)
    accept(first, staff)
    assert checks(grant) == [("agreement", mask_iban(IBAN), "pending", None)]

    with pytest.raises(WorkflowError, match="on hold: the grantee's account waits"):
        export_all(finance)
    assert not SepaBatch.objects.exists()

    confirm_account(grant, staff, note="Called +49 30 1234567 (from the application).")
    assert checks(grant) == [("agreement", mask_iban(IBAN), "confirmed", staff.pk)]
    check = BankDetailsCheck.objects.get()
    assert check.note == "Called +49 30 1234567 (from the application)."
    assert check.confirmed_at is not None
    assert export_all(finance).payment_count == 1


def test_a_changed_account_holds_unpaid_payments_until_confirmed(staff, finance):
    grant = signed_grant(staff)
    confirm_account(grant, staff)
    first = grant.milestones.first()
    report(first)
    accept(first, staff)

    change(grant)

    assert checks(grant)[-1] == ("change", mask_iban(NEW_IBAN), "pending", None)
    with pytest.raises(WorkflowError, match="on hold"):
        export_all(finance)
    # The one who confirms it does not export its payments (four eyes) …
    confirm_account(grant, finance)
    with pytest.raises(WorkflowError, match="you confirmed the account"):
        export_all(finance)
    # … someone else does.
    other = make_user(Role.STAFF)
    assert export_all(other).items.get().iban_masked == mask_iban(NEW_IBAN)


def test_a_second_change_before_confirmation_replaces_the_first(staff):
    grant = signed_grant(staff)
    change(grant)
    change(grant, iban="DE02120300000000202051")
    assert [state for _reason, _iban, state, _by in checks(grant)] == [
        "superseded",
        "superseded",
        "pending",
    ]
    assert TransitionLog.objects.filter(action="grants.bankdetailscheck.superseded").count() == 2


def test_the_grantee_their_recent_addresses_and_finance_are_told(
    staff, finance, django_capture_on_commit_callbacks
):
    grant = signed_grant(staff)
    owner = grant.application.owner
    owner.language = "de"
    owner.save()
    old_address = owner.email
    # The grantee changed their address last week (allauth logs it, accounts.signals).
    log_event(
        subject=owner,
        action="accounts.user.email_changed",
        actor=owner,
        data={"from": old_address, "to": "new@example.org"},
    )
    owner.email = "new@example.org"
    owner.save()
    EmailAddress.objects.filter(user=owner).update(email="new@example.org")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        change(grant)

    sent = {tuple(message.to): message for message in mail.outbox}
    assert set(sent) == {("new@example.org",), (old_address,), (staff.email,), (finance.email,)}
    # In the grantee's language, at both addresses; the masked IBAN only.
    for address in ("new@example.org", old_address):
        assert sent[(address,)].subject == "[Civic Tech Fund] Bankverbindung zu 01CTF26001 geändert"
        assert mask_iban(NEW_IBAN) in sent[(address,)].body
        assert NEW_IBAN not in sent[(address,)].body
    assert "bis vor Kurzem zu dem Konto gehörte" in sent[(old_address,)].body
    assert "bis vor Kurzem zu dem Konto gehörte" not in sent[("new@example.org",)].body
    assert sent[(finance.email,)].subject == (
        "[Civic Tech Fund] Confirm the account of 01CTF26001 before paying"
    )


@pytest.mark.parametrize(("days_ago", "told"), [(89, True), (91, False)])
def test_an_address_replaced_more_than_90_days_ago_is_not_told(
    staff, django_capture_on_commit_callbacks, days_ago, told
):
    grant = signed_grant(staff)
    owner = grant.application.owner
    with time_machine.travel(timezone.now() - dt.timedelta(days=days_ago), tick=False):
        log_event(
            subject=owner,
            action="accounts.user.email_changed",
            actor=owner,
            data={"from": "earlier@example.org", "to": owner.email},
        )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        change(grant)
    assert (["earlier@example.org"] in [message.to for message in mail.outbox]) is told


def test_confirming_needs_a_note_and_a_pending_account(staff):
    grant = signed_grant(staff)
    check = BankDetailsCheck.objects.get(grant=grant)
    for note in ("", "   ", "x" * 2001):
        with pytest.raises(WorkflowError) as refusal:
            confirm_bank_details(check=check, actor=staff, note=note, expected_state="pending")
        assert "note" in refusal.value.field_errors
    assert checks(grant)[0][2] == "pending"

    longest = "Called back." + "x" * 1988  # 2,000 characters, the most a note may have
    confirm_bank_details(check=check, actor=staff, note=longest, expected_state="pending")
    before = checks(grant)
    with pytest.raises(StaleObjectError):
        confirm_bank_details(check=check, actor=staff, note="Again.", expected_state="pending")
    with pytest.raises(TransitionRefused):
        confirm_bank_details(check=check, actor=staff, note="Again.", expected_state=None)
    assert checks(grant) == before
    assert BankDetailsCheck.objects.get().note == longest


@pytest.mark.parametrize("role", ["owner", Role.APPLICANT, Role.MINISTRY, Role.JUROR])
def test_only_staff_confirm_an_account(staff, role):
    grant = signed_grant(staff)
    person = grant.application.owner if role == "owner" else make_user(role)
    check = BankDetailsCheck.objects.get(grant=grant)
    with pytest.raises(TransitionRefused) as refusal:
        confirm_bank_details(check=check, actor=person, note="It is me.", expected_state="pending")
    assert refusal.value.reason == "permission"
    assert checks(grant) == [("agreement", mask_iban(IBAN), "pending", None)]
    assert not TransitionLog.objects.filter(action="grants.bankdetailscheck.confirmed").exists()


def test_nobody_but_the_grantee_names_an_account(staff):
    grant = signed_grant(staff)
    for person in (staff, make_user(Role.APPLICANT)):
        with pytest.raises(WorkflowError):
            change(grant, actor=person)
    assert checks(grant) == [("agreement", mask_iban(IBAN), "pending", None)]
