"""The grant agreement: staff prepare it for an approved application (milestones from the
proposal, editable until it is signed), send it, and the grantee accepts it with their bank
details (held until staff confirm them, grants.contracts.services.bank_details), or declines
the award."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from accounts.access import may
from accounts.services import record_consent
from core.errors import StaleObjectError, WorkflowError
from core.formats import euro
from grants import events
from grants.consents import PUBLICATION
from grants.contracts.queries import latest_terms
from grants.contracts.services.bank_details import hold_for_new_account
from grants.models import AgreementDocument, Application, Fund, Grant, Milestone
from grants.money import CENT, add_months, euros, split_amount
from grants.queries import staff_seeing
from grants.states import MILESTONES_MAX, ApplicationState, BankCheckReason
from workflow.audit import log_event
from workflow.notifications import notify
from workflow.transitions import fire_transition, stale_message

DAY = dt.timedelta(days=1)


def period_end(starts_on: dt.date, months: int) -> dt.date:
    """The last day of a funding period of ``months`` starting on ``starts_on``."""
    return add_months(starts_on, months) - DAY


def default_start(today: dt.date) -> dt.date:
    """Funding starts on the first day of the next month."""
    return add_months(today.replace(day=1), 1)


def _next_funding_reference(fund: Fund, year: int) -> str:
    """E.g. 01CTF26042: the programme, the fund, the year and a number within the year.
    The fund row is locked, so two staff preparing at once get different numbers."""
    Fund.objects.select_for_update().filter(pk=fund.pk).first()
    prefix = f"01{fund.reference_prefix}{year % 100:02d}"
    taken = Grant.objects.filter(funding_reference__startswith=prefix).count()
    return f"{prefix}{taken + 1:03d}"


def prepare_agreement(*, application: Application, actor, starts_on: dt.date | None = None):
    """A grant for an approved application: the award, a funding period of the track's
    length, and milestones taken from the proposal, with amounts in proportion to their
    planned hours (summing to the award) and due at the end of their planned month."""
    with transaction.atomic():
        current = (
            Application.objects.select_for_update()
            .select_related("call__fund")
            .prefetch_related("planned_milestones")
            .get(pk=application.pk)
        )
        if not may(actor, "grants.prepare_agreement", current):
            raise WorkflowError(_("You may not do this now."))
        if current.state != ApplicationState.APPROVED:
            raise WorkflowError(_("An agreement can be prepared only for an approved application."))
        if Grant.objects.filter(application=current).exists():
            raise WorkflowError(_("The agreement for this application has been prepared already."))
        if not current.awarded_amount:
            raise WorkflowError(_("The decision has not set an awarded amount."))
        if current.track is None:
            raise WorkflowError(
                _("The application has no track, so its funding period is unknown.")
            )
        planned = list(current.planned_milestones.all())[:MILESTONES_MAX]
        if current.awarded_amount < CENT * len(planned):
            raise WorkflowError(
                _(
                    "The award of %(amount)s is too small for %(count)s milestones: each must pay at least one cent."
                )
                % {"amount": euro(current.awarded_amount), "count": len(planned)}
            )
        months = current.track.months
        starts_on = starts_on or default_start(timezone.localdate())
        ends_on = period_end(starts_on, months)
        grant = Grant.objects.create(
            application=current,
            funding_reference=_next_funding_reference(current.call.fund, current.call.year),
            amount=current.awarded_amount,
            months=months,
            starts_on=starts_on,
            ends_on=ends_on,
            prepared_by=actor,
        )
        amounts = split_amount(current.awarded_amount, [m.hours or 0 for m in planned])
        Milestone.objects.bulk_create(
            Milestone(
                grant=grant,
                position=index,
                title=item.title or _("Milestone %(number)s") % {"number": index},
                deliverable=item.deliverable or item.title or "–",
                due_on=min(period_end(starts_on, min(item.month or months, months)), ends_on),
                amount=amount,
            )
            for index, (item, amount) in enumerate(zip(planned, amounts, strict=True), start=1)
        )
        log_event(
            subject=current,
            action=events.AGREEMENT_PREPARED,
            actor=actor,
            from_state=current.state,
            to_state=current.state,
            data={"funding_reference": grant.funding_reference, "amount": grant.amount},
        )
    return grant


def _locked_grant(grant) -> Grant:
    return (
        Grant.objects.select_for_update()
        .select_related("application__owner", "application__call__fund")
        .get(pk=grant.pk)
    )


def validate_milestone_plan(*, grant: Grant, starts_on: dt.date, milestones: list[dict]) -> dict:
    """Field errors of an agreement's milestones (empty if it is right): one to five
    milestones, amounts that sum exactly to the award, due dates within the period."""
    errors: dict[str, list] = {}
    ends_on = period_end(starts_on, grant.months)
    if not 1 <= len(milestones) <= MILESTONES_MAX:
        errors.setdefault("milestones", []).append(
            _("An agreement has between one and %(max)s milestones.") % {"max": MILESTONES_MAX}
        )
    total = sum((euros(item["amount"]) for item in milestones), Decimal("0.00"))
    if total != grant.amount:
        errors.setdefault("milestones", []).append(
            _(
                "The milestones add up to %(total)s, but the award is %(award)s: the amounts must sum to the award."
            )
            % {"total": euro(total), "award": euro(grant.amount)}
        )
    for index, item in enumerate(milestones, start=1):
        if euros(item["amount"]) <= 0:
            errors.setdefault("milestones", []).append(
                _("Milestone %(number)s needs an amount above zero.") % {"number": index}
            )
        if not starts_on <= item["due_on"] <= ends_on:
            errors.setdefault("milestones", []).append(
                _(
                    "Milestone %(number)s must be due within the funding period (%(start)s – %(end)s)."
                )
                % {"number": index, "start": starts_on, "end": ends_on}
            )
    return errors


def update_agreement(
    *, grant: Grant, actor, expected_version: int, starts_on: dt.date, milestones: list[dict]
) -> Grant:
    """Staff change the funding period's start and the milestones (title, deliverable, due
    date, amount) until the grantee has signed. Each change makes earlier versions stale, so
    the grantee never accepts terms they did not see."""
    with transaction.atomic():
        current = _locked_grant(grant)
        if not may(actor, "grants.prepare_agreement", current):
            raise WorkflowError(_("You may not do this now."))
        if current.application.state != ApplicationState.APPROVED:
            raise WorkflowError(
                _("The agreement has been signed or declined; it cannot be changed.")
            )
        if current.version != expected_version:
            raise StaleObjectError(stale_message())
        errors = validate_milestone_plan(grant=current, starts_on=starts_on, milestones=milestones)
        if errors:
            raise WorkflowError(_("The agreement was not saved."), field_errors=errors)
        existing = {m.position: m for m in current.milestones.all()}
        before = [
            {"title": m.title, "due_on": m.due_on, "amount": m.amount} for m in existing.values()
        ]
        for position, item in enumerate(milestones, start=1):
            milestone = existing.pop(position, None) or Milestone(grant=current, position=position)
            milestone.title = item["title"]
            milestone.deliverable = item["deliverable"]
            milestone.due_on = item["due_on"]
            milestone.amount = euros(item["amount"])
            milestone.save()
        # Milestones beyond the new count: never reported (the grant is not signed).
        Milestone.objects.filter(pk__in=[m.pk for m in existing.values()]).delete()
        current.starts_on = starts_on
        current.ends_on = period_end(starts_on, current.months)
        current.version += 1
        current.save()
        log_event(
            subject=current.application,
            action=events.AGREEMENT_CHANGED,
            actor=actor,
            from_state=current.application.state,
            to_state=current.application.state,
            data={"before": before, "starts_on": starts_on},
        )
    return current


def offer_agreement(*, grant: Grant, actor, expected_version: int) -> Grant:
    """Send the agreement to the grantee, who may then read, accept or decline it."""
    with transaction.atomic():
        current = _locked_grant(grant)
        if not may(actor, "grants.prepare_agreement", current):
            raise WorkflowError(_("You may not do this now."))
        if current.application.state != ApplicationState.APPROVED:
            raise WorkflowError(_("The agreement has been signed or declined already."))
        if current.version != expected_version:
            raise StaleObjectError(stale_message())
        # The agreement uses the fund's conditions as they are when it is sent.
        terms = latest_terms(current.application.call.fund)
        if terms is None:
            raise WorkflowError(
                _(
                    "The fund has no agreement conditions yet. Write them under “Agreement conditions” first."
                )
            )
        first_time = current.offered_at is None
        current.offered_at = timezone.now()
        current.terms = terms
        current.save(update_fields=["offered_at", "terms"])
        log_event(
            subject=current.application,
            action=events.AGREEMENT_OFFERED,
            actor=actor,
            from_state=current.application.state,
            to_state=current.application.state,
            visible_to_applicant=True,
        )
        notify(
            to=current.application.owner,
            template="grant_notice",
            context={
                "kind": "agreement_offered" if first_time else "agreement_changed",
                "grant": current,
            },
        )
    return current


@sensitive_variables("details")
def accept_agreement(
    *, application: Application, actor, document: AgreementDocument, sha256: str
) -> Grant:
    """The grantee accepts the exact PDF they were shown (``document``, whose SHA-256 they
    confirm): this version of the agreement, with the account and consent it names; the
    application becomes funded. The time, the user and the file's SHA-256 are recorded. The
    account waits for staff to confirm it (grants.contracts.services.bank_details)."""
    with transaction.atomic():
        current = (
            Application.objects.select_for_update().select_related("owner").get(pk=application.pk)
        )
        grant = _locked_grant(current.grant)
        document = AgreementDocument.objects.get(pk=document.pk)
        if document.grant_id != grant.pk or document.created_by_id != getattr(actor, "pk", None):
            raise WorkflowError(_("This agreement cannot be accepted (any more)."))
        if grant.version != document.grant_version:
            raise StaleObjectError(
                _(
                    "The programme staff changed the agreement after you opened it. Please read the current terms below and accept them again."
                )
            )
        if sha256 != document.sha256:
            raise StaleObjectError(
                _(
                    "This is not the document you were shown. Please open the current PDF and accept it again."
                )
            )
        details = document.decrypted_bank_details()
        grant.publication_consent = document.publication_consent
        grant.accepted_at = timezone.now()
        grant.accepted_by = actor
        grant.accepted_document = document
        grant.accepted_sha256 = document.sha256
        current.grant = grant
        fire_transition(
            subject=current,
            transition_name="sign_agreement",
            actor=actor,
            expected_state=ApplicationState.APPROVED,
            data={
                "funding_reference": grant.funding_reference,
                "version": grant.version,
                "sha256": document.sha256,
            },
            refused_message=_("This agreement cannot be accepted (any more)."),
        )
        grant.save()
        if grant.publication_consent:
            record_consent(
                user=actor, purpose=PUBLICATION.purpose, subject=grant, at=grant.accepted_at
            )
        # The first account too waits for staff to call the grantee back: it was given on the
        # same password-only sign-in as any later change.
        hold_for_new_account(
            grant=grant, actor=actor, details=details, reason=BankCheckReason.AGREEMENT
        )
        notify(
            to=current.owner,
            template="grant_notice",
            context={"kind": "agreement_signed", "grant": grant},
        )
    return grant


def decline_award(*, application: Application, actor, note: str = "") -> Application:
    """The grantee declines: the application is withdrawn and its money returns to the
    call, where staff can move the waiting list up (they are told by e-mail)."""
    with transaction.atomic():
        current = (
            Application.objects.select_for_update().select_related("call").get(pk=application.pk)
        )
        grant = _locked_grant(current.grant)
        current.grant = grant
        fire_transition(
            subject=current,
            transition_name="decline_award",
            actor=actor,
            expected_state=ApplicationState.APPROVED,
            note=note,
            refused_message=_("This award cannot be declined (any more)."),
        )
        grant.declined_at = timezone.now()
        grant.save(update_fields=["declined_at"])
        for person in staff_seeing(current):
            notify(
                to=person,
                template="grant_notice",
                context={"kind": "award_declined", "grant": grant, "note": note},
            )
    return current
