"""Where a grant's money goes: the account a grantee names with the agreement or changes
later, and its confirmation by staff.

Every account named puts the grant's unpaid payments on hold (a pending BankDetailsCheck)
until a member of staff has called the grantee back on a telephone number already on file
and confirmed the account; the confirmation records who, when and how. A change needs the
grantee's re-authentication (the view), the grantee is told by e-mail, and so is every
address their account had in the last weeks (accounts.queries.previous_email_addresses), so
that someone who took the account over cannot quietly divert the money. Finance staff are
told too. The clear IBAN is never logged: the log and the e-mails carry the masked one."""

from django.db import transaction
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from accounts.access import may
from accounts.queries import previous_email_addresses
from core.errors import WorkflowError
from grants import events
from grants.contracts import bank
from grants.models import BankDetailsCheck, Grant
from grants.queries import staff_seeing
from grants.states import BankCheckReason, BankCheckState
from workflow.audit import log_event
from workflow.notifications import notify
from workflow.transitions import fire_transition

NOTE_MAX = 2000


@sensitive_variables()
def bank_details_or_error(*, holder, iban, bic) -> bank.BankDetails:
    try:
        return bank.validate_bank_details(holder=holder, iban=iban, bic=bic)
    except bank.BankDetailsError as error:
        raise WorkflowError(
            _("Please check your bank details."), field_errors={error.field: [error.message]}
        ) from None


@sensitive_variables("details")
def hold_for_new_account(
    *, grant: Grant, actor, details: bank.BankDetails, reason: str
) -> BankDetailsCheck:
    """Store ``details`` on the grant (locked by the caller, inside its transaction) and hold
    its payments until staff confirm the account. An earlier account still waiting for
    confirmation is replaced: only the account payments would go to is ever confirmed."""
    for pending in grant.bank_checks.filter(state=BankCheckState.PENDING):
        pending.grant = grant
        fire_transition(subject=pending, transition_name="supersede", actor=actor)
    grant.store_bank_details(details)
    grant.save(update_fields=["account_holder", "iban_encrypted", "bic_encrypted", "iban_masked"])
    check = BankDetailsCheck.objects.create(
        grant=grant,
        reason=reason,
        account_holder=details.holder,
        iban_masked=grant.iban_masked,
        requested_by=actor,
    )
    log_event(
        subject=check,
        action=events.BANK_DETAILS_NAMED,
        actor=actor,
        to_state=check.state,
        data={"funding_reference": grant.funding_reference, "iban": check.iban_masked},
    )
    for person in staff_seeing(grant.application):
        notify(
            to=person,
            template="bank_account",
            context={"kind": "to_confirm", "grant": grant, "check": check},
        )
    return check


@sensitive_variables("account_holder", "iban", "bic", "details")
def change_bank_details(
    *, grant: Grant, actor, account_holder: str, iban: str, bic: str
) -> BankDetailsCheck:
    """The grantee names another account (the view has asked them to re-authenticate).
    Its payments wait until staff confirm it; the grantee's current and recent e-mail
    addresses and the finance staff are told."""
    details = bank_details_or_error(holder=account_holder, iban=iban, bic=bic)
    with transaction.atomic():
        current = (
            Grant.objects.select_for_update().select_related("application__owner").get(pk=grant.pk)
        )
        if not may(actor, "grants.edit_bank_details", current) or current.accepted_at is None:
            raise WorkflowError(_("You may not do this now."))
        previous = current.iban_masked
        check = hold_for_new_account(
            grant=current, actor=actor, details=details, reason=BankCheckReason.CHANGE
        )
        application = current.application
        log_event(
            subject=application,
            action=events.BANK_DETAILS_CHANGED,
            actor=actor,
            from_state=application.state,
            to_state=application.state,
            data={"before": previous, "after": check.iban_masked},
            visible_to_applicant=True,
        )
        owner = application.owner
        context = {"kind": "changed", "grant": current, "check": check}
        notify(to=owner, template="bank_account", context=context)
        for address in previous_email_addresses(owner):
            notify(
                to=address,
                language=owner.language,
                template="bank_account",
                context={**context, "previous_address": True},
            )
    return check


def confirm_bank_details(
    *, check: BankDetailsCheck, actor, note: str, expected_state: str
) -> BankDetailsCheck:
    """A member of staff called the grantee back on a number already on file, and the
    grantee confirmed the account: its payments may go into the next transfer file (made by
    someone else when four eyes are on, see grants.rules)."""
    note = (note or "").strip()
    if not note:
        raise WorkflowError(
            _("Say how the account was confirmed (whom you called, on which number, when)."),
            field_errors={"note": [_("This field is required.")]},
        )
    if len(note) > NOTE_MAX:
        raise WorkflowError(
            _("The note is too long."),
            field_errors={"note": [_("At most %(count)s characters.") % {"count": NOTE_MAX}]},
        )
    with transaction.atomic():
        grant = (
            Grant.objects.select_for_update()
            .select_related("application__owner")
            .get(pk=check.grant_id)
        )
        current = BankDetailsCheck.objects.get(pk=check.pk)
        current.grant = grant
        current.confirmed_by = actor
        current.note = note
        fire_transition(
            subject=current,
            transition_name="confirm",
            actor=actor,
            expected_state=expected_state,
            note=note,
            data={"funding_reference": grant.funding_reference, "iban": current.iban_masked},
            refused_message=_("This account cannot be confirmed (any more)."),
        )
        notify(
            to=grant.application.owner,
            template="bank_account",
            context={"kind": "confirmed", "grant": grant, "check": current},
        )
    return current
