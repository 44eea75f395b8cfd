"""SEPA transfer files as recorded batches, so that no payment is ever paid twice.

Exporting makes a batch: who, when, the payments, their total, the file's SHA-256 and the
file itself (encrypted: it holds clear IBANs), so that it can be downloaded again byte for
byte. Its payments are *in transfer* and go into no other batch; a second export at the
same moment waits for the first (the grants' rows are locked in a fixed order) and then
finds them taken, and a partial unique index is the database's last guard. Staff record
the bank's execution per batch (date and reference: every payment in it becomes paid), or
cancel the batch with a reason, which frees its payments for a new file.

Four eyes (settings.PAYMENTS_FOUR_EYES, grants.rules): whoever released a payment neither
exports it nor marks it paid, and whoever confirmed the grantee's account does not export
its payments. A grant whose account waits for confirmation is on hold."""

import datetime as dt
import hashlib
import logging
import uuid

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from accounts.access import may
from core.errors import StaleObjectError, WorkflowError
from core.formats import euro
from grants import events
from grants.contracts import bank, sepa
from grants.contracts.services.finance import ledger_total, lock_grant, read_bank_details
from grants.models import BankDetailsCheck, Payment, SepaBatch, SepaBatchItem
from grants.rules import CONFIRMED_BY_YOU, HOLD, RELEASED_BY_YOU, export_blocker
from grants.states import BankCheckState, MilestoneState, PaymentKind
from workflow.audit import log_event
from workflow.transitions import fire_transition, stale_message

logger = logging.getLogger(__name__)

MAX_BANK_REFERENCE = 100
MAX_REASON = 2000
# Banks take a requested execution date up to about a year ahead.
EXECUTION_DAYS_AHEAD = 365


def _check_execution_date(execution_date: dt.date) -> None:
    today = timezone.localdate()
    if execution_date < today:
        raise WorkflowError(
            _("The execution date lies in the past."),
            field_errors={"execution_date": [_("Choose today or a later day.")]},
        )
    if execution_date > today + dt.timedelta(days=EXECUTION_DAYS_AHEAD):
        raise WorkflowError(
            _("The execution date lies too far ahead."),
            field_errors={"execution_date": [_("Choose a day within the next year.")]},
        )


def _latest_confirmers(grant_ids) -> dict[int, int]:
    """Grant id → who confirmed its account as it stands."""
    confirmers = {}
    for grant_id, person in (
        BankDetailsCheck.objects.filter(grant_id__in=grant_ids, state=BankCheckState.CONFIRMED)
        .order_by("confirmed_at", "pk")
        .values_list("grant_id", "confirmed_by_id")
    ):
        confirmers[grant_id] = person
    return confirmers


def _why_not_exportable(payments, actor) -> list[str]:
    """One sentence per payment that may not go into a new file by ``actor``, read after the
    grants are locked (grants.rules.export_blocker, as the rule grants.export_payment)."""
    ids = [payment.pk for payment in payments]
    grant_ids = {payment.grant_id for payment in payments}
    in_transfer = dict(
        SepaBatchItem.objects.filter(payment_id__in=ids, active=True).values_list(
            "payment_id", "batch__message_id"
        )
    )
    on_hold = set(
        BankDetailsCheck.objects.filter(
            grant_id__in=grant_ids, state=BankCheckState.PENDING
        ).values_list("grant_id", flat=True)
    )
    confirmers = _latest_confirmers(grant_ids)
    problems = []
    for payment in payments:
        what = _("%(reference)s, milestone %(number)s") % {
            "reference": payment.grant.funding_reference,
            "number": payment.milestone.position,
        }
        blocker = export_blocker(
            actor,
            on_hold=payment.grant_id in on_hold or not payment.grant.has_bank_details,
            released_by_id=payment.created_by_id,
            confirmed_by_id=confirmers.get(payment.grant_id),
        )
        if payment.milestone.state != MilestoneState.ACCEPTED:
            problems.append(_("%(what)s has been paid already") % {"what": what})
        elif payment.pk in in_transfer:
            problems.append(
                _("%(what)s is in the transfer file %(batch)s already")
                % {"what": what, "batch": in_transfer[payment.pk]}
            )
        elif blocker == HOLD:
            problems.append(
                _("%(what)s is on hold: the grantee's account waits for confirmation")
                % {"what": what}
            )
        elif blocker == RELEASED_BY_YOU:
            problems.append(
                _("%(what)s was released by you; someone else must export it (four eyes)")
                % {"what": what}
            )
        elif blocker == CONFIRMED_BY_YOU:
            problems.append(
                _("you confirmed the account of %(what)s; someone else must export it (four eyes)")
                % {"what": what}
            )
    return problems


@sensitive_variables("transfers", "details", "content")
def export_sepa_batch(*, actor, payment_ids, execution_date: dt.date) -> SepaBatch:
    """Record a batch of released payments and make its SEPA file (all or nothing)."""
    if not may(actor, "grants.use_finance"):
        raise WorkflowError(_("You may not do this now."))
    _check_execution_date(execution_date)
    ids = sorted(set(payment_ids))
    if not ids:
        raise WorkflowError(_("Select released payments that have not been paid yet."))
    released = Payment.objects.filter(pk__in=ids, kind=PaymentKind.RELEASED)
    with transaction.atomic():
        # Lock the grants in a fixed order: a second export of the same payments waits here
        # and then finds them in this batch.
        for grant_id in sorted(set(released.values_list("grant_id", flat=True))):
            lock_grant(grant_id)
        payments = list(
            released.select_related("grant__application__owner", "milestone").order_by(
                "grant__funding_reference", "milestone__position", "pk"
            )
        )
        if len(payments) != len(ids):
            raise WorkflowError(_("Select released payments that have not been paid yet."))
        problems = _why_not_exportable(payments, actor)
        if problems:
            raise WorkflowError(
                _("No transfer file was made: %(problems)s.") % {"problems": "; ".join(problems)}
            )
        now = timezone.now()
        batch = SepaBatch.objects.create(
            message_id=uuid.uuid4().hex[:35],  # replaced below, once the number is known
            created_by=actor,
            created_at=now,
            execution_date=execution_date,
            payment_count=len(payments),
            total=sum(payment.amount for payment in payments),
        )
        batch.message_id = sepa.message_id(batch.pk, now)
        batch.file_name = f"sepa-{batch.message_id}.xml"
        transfers, items = [], []
        for payment in payments:
            transfer = _transfer(batch, payment, actor)
            transfers.append(transfer)
            items.append(
                SepaBatchItem(
                    batch=batch,
                    payment=payment,
                    end_to_end_id=transfer.end_to_end_id,
                    amount=payment.amount,
                    account_holder=transfer.holder,
                    iban_masked=payment.grant.iban_masked,
                )
            )
        try:
            with transaction.atomic():
                SepaBatchItem.objects.bulk_create(items)
        except IntegrityError:
            raise WorkflowError(
                _("No transfer file was made: a payment went into another file meanwhile.")
            ) from None
        content = _file(batch, transfers)
        batch.sha256 = hashlib.sha256(content).hexdigest()
        batch.file_encrypted = bank.encrypt_bytes(content)
        batch.save()
        log_event(
            subject=batch,
            action=events.SEPA_BATCH_CREATED,
            actor=actor,
            to_state=batch.state,
            data={"payments": len(payments), "total": batch.total, "sha256": batch.sha256},
        )
        for payment in payments:
            application = payment.grant.application
            log_event(
                subject=application,
                action=events.SEPA_EXPORTED,
                actor=actor,
                from_state=application.state,
                to_state=application.state,
                data={
                    "milestone": payment.milestone.position,
                    "amount": payment.amount,
                    "batch": batch.message_id,
                },
            )
    return batch


@sensitive_variables("details")
def _transfer(batch, payment, actor) -> sepa.Transfer:
    grant = payment.grant
    details = read_bank_details(grant=grant, actor=actor, data={"batch": batch.message_id})
    holder = sepa.sepa_text(details.holder, sepa.HOLDER_MAX)
    if not holder:
        raise WorkflowError(
            _(
                "No transfer file was made: the account holder of %(reference)s cannot be written "
                "in Latin letters. Ask the grantee to give the name as the bank has it."
            )
            % {"reference": grant.funding_reference}
        )
    # The remittance text in the grantee's language: it is what their statement shows.
    with translation.override(grant.application.owner.language):
        remittance = _("%(reference)s milestone %(number)s: %(title)s") % {
            "reference": grant.funding_reference,
            "number": payment.milestone.position,
            "title": payment.milestone.title,
        }
    return sepa.Transfer(
        holder=holder,
        iban=details.iban,
        bic=details.bic,
        amount=payment.amount,
        end_to_end_id=sepa.end_to_end_id(
            grant.funding_reference, payment.milestone.position, batch.pk
        ),
        remittance=sepa.sepa_text(remittance, sepa.REMITTANCE_MAX),
    )


@sensitive_variables("transfers")
def _file(batch, transfers) -> bytes:
    debtor = {
        "name": settings.SEPA_DEBTOR_NAME,
        "IBAN": settings.SEPA_DEBTOR_IBAN,
        "BIC": settings.SEPA_DEBTOR_BIC,
    }
    try:
        return sepa.transfer_file(
            msg_id=batch.message_id,
            execution_date=batch.execution_date,
            debtor=debtor,
            transfers=transfers,
        )
    except Exception as error:  # sepaxml and xmlschema quote the data, IBANs included
        logger.error("SEPA file of batch %s failed: %s", batch.pk, type(error).__name__)
        raise WorkflowError(
            _("The transfer file could not be made; nothing was recorded. Please tell the admins.")
        ) from None


@sensitive_variables("content")
def batch_file(*, batch: SepaBatch, actor) -> bytes:
    """The batch's file exactly as it was made (its SHA-256 is checked). Downloading it
    reads the clear IBANs in it, so it is logged for the batch and for each grant."""
    if not may(actor, "grants.download_batch", batch):
        raise WorkflowError(_("You may not do this now."))
    if not batch.file_encrypted:  # the bank details' retention ended (privacy app)
        raise WorkflowError(
            _(
                "This transfer file was deleted after its retention period; its record "
                "(payments, total, checksum) remains."
            )
        )
    content = bank.decrypt_bytes(batch.file_encrypted)
    if hashlib.sha256(content).hexdigest() != batch.sha256:
        raise WorkflowError(_("The stored file does not match its checksum. Tell the admins."))
    with transaction.atomic():
        log_event(
            subject=batch,
            action=events.SEPA_BATCH_DOWNLOADED,
            actor=actor,
            data={"sha256": batch.sha256},
        )
        for item in batch.items.select_related("payment__grant"):
            log_event(
                subject=item.payment.grant,
                action=events.BANK_DETAILS_READ,
                actor=actor,
                data={
                    "funding_reference": item.payment.grant.funding_reference,
                    "batch": batch.message_id,
                },
            )
    return content


def _locked_batch(batch, expected_state) -> SepaBatch:
    current = SepaBatch.objects.select_for_update().get(pk=batch.pk)
    if expected_state and current.state != expected_state:
        raise StaleObjectError(stale_message())
    return current


def cancel_sepa_batch(*, batch: SepaBatch, actor, reason: str, expected_state: str) -> SepaBatch:
    """The file was not (and will not be) executed by the bank: its payments are free for a
    new file, with new end-to-end ids. The reason is kept in the log."""
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError(
            _("Give the reason for cancelling the transfer file."),
            field_errors={"reason": [_("This field is required.")]},
        )
    if len(reason) > MAX_REASON:
        raise WorkflowError(
            _("The reason is too long."),
            field_errors={"reason": [_("At most %(count)s characters.") % {"count": MAX_REASON}]},
        )
    with transaction.atomic():
        current = _locked_batch(batch, expected_state)
        current.cancel_reason = reason
        current.closed_by = actor
        fire_transition(
            subject=current,
            transition_name="cancel",
            actor=actor,
            note=reason,
            refused_message=_("This transfer file cannot be cancelled (any more)."),
        )
        items = list(
            current.items.select_related("payment__grant__application", "payment__milestone")
        )
        SepaBatchItem.objects.filter(batch=current).update(active=False)
        for item in items:
            application = item.payment.grant.application
            log_event(
                subject=application,
                action=events.SEPA_RELEASED,
                actor=actor,
                from_state=application.state,
                to_state=application.state,
                note=reason,
                data={"milestone": item.payment.milestone.position, "batch": current.message_id},
            )
    return current


def _check_paid_input(batch, paid_on, bank_reference) -> str:
    bank_reference = " ".join((bank_reference or "").split())
    errors = {}
    if not bank_reference:
        errors["bank_reference"] = [_("Enter the bank's reference of the transfer.")]
    elif len(bank_reference) > MAX_BANK_REFERENCE:
        errors["bank_reference"] = [
            _("At most %(count)s characters.") % {"count": MAX_BANK_REFERENCE}
        ]
    if paid_on > timezone.localdate():
        errors["paid_on"] = [_("The payment date cannot lie in the future.")]
    elif paid_on < timezone.localdate(batch.created_at):
        errors["paid_on"] = [_("The bank cannot have paid before the file was made.")]
    if errors:
        raise WorkflowError(_("Nothing was marked as paid."), field_errors=errors)
    return bank_reference


def mark_sepa_batch_paid(
    *, batch: SepaBatch, actor, paid_on: dt.date, bank_reference: str, expected_state: str
) -> SepaBatch:
    """The bank executed the file: every payment in it is recorded as paid (one paid entry
    each, the milestone becomes paid), all or nothing."""
    bank_reference = _check_paid_input(batch, paid_on, bank_reference)
    with transaction.atomic():
        current = _locked_batch(batch, expected_state)
        items = list(
            current.items.select_related("payment__created_by", "payment__milestone").order_by(
                "payment__grant_id", "pk"
            )
        )
        if settings.PAYMENTS_FOUR_EYES and any(i.payment.created_by_id == actor.pk for i in items):
            raise WorkflowError(
                _(
                    "You released payments in this file; someone else must mark it paid (four eyes). Nothing was marked as paid."
                )
            )
        for grant_id in sorted({item.payment.grant_id for item in items}):
            grant = lock_grant(grant_id)
            for item in items:
                if item.payment.grant_id == grant_id:
                    item.payment.milestone.grant = grant
        current.paid_on = paid_on
        current.bank_reference = bank_reference
        current.closed_by = actor
        fire_transition(
            subject=current,
            transition_name="mark_paid",
            actor=actor,
            data={"paid_on": paid_on, "bank_reference": bank_reference},
            refused_message=_("This transfer file cannot be marked as paid (any more)."),
        )
        for item in items:
            _record_paid(
                milestone=item.payment.milestone,
                actor=actor,
                paid_on=paid_on,
                bank_reference=bank_reference,
            )
    return current


def _record_paid(*, milestone, actor, paid_on, bank_reference) -> Payment:
    grant = milestone.grant
    if milestone.state != MilestoneState.ACCEPTED:
        raise WorkflowError(
            _(
                "%(reference)s, milestone %(number)s: not released or already paid. Nothing was marked as paid."
            )
            % {"reference": grant.funding_reference, "number": milestone.position}
        )
    if ledger_total(grant, PaymentKind.PAID) + milestone.amount > grant.amount:
        raise WorkflowError(
            _(
                "%(reference)s: paying %(amount)s would exceed the award. Nothing was marked as paid."
            )
            % {"reference": grant.funding_reference, "amount": euro(milestone.amount)}
        )
    payment = Payment.objects.create(
        grant=grant,
        milestone=milestone,
        kind=PaymentKind.PAID,
        amount=milestone.amount,
        created_by=actor,
        paid_on=paid_on,
        bank_reference=bank_reference,
    )
    fire_transition(
        subject=milestone,
        transition_name="mark_paid",
        actor=actor,
        expected_state=MilestoneState.ACCEPTED,
        data={"paid_on": paid_on, "bank_reference": bank_reference, "amount": milestone.amount},
    )
    return payment
