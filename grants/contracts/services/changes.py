"""Change requests: the grantee asks to move a milestone's due date or the end of the
funding period, or to shift amounts between open milestones, with a reason; staff approve
(the change is applied) or refuse it. The requests and decisions stay in the history."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import may
from core.errors import WorkflowError
from core.formats import euro
from grants import events
from grants.contracts.services.finance import lock_grant
from grants.models import ChangeRequest, Grant, Milestone
from grants.money import add_months, euros
from grants.states import ChangeRequestKind, ChangeRequestState, MilestoneStateGroup
from workflow.audit import log_event
from workflow.notifications import notify
from workflow.transitions import fire_transition

TEXT_LIMIT = 5_000
# The funding period may be extended by at most this many months in all.
MAX_EXTENSION_MONTHS = 6
K = ChangeRequestKind


def _error(field, message):
    return WorkflowError(message, field_errors={field: [message]})


def _open_milestones(grant: Grant) -> list[Milestone]:
    return list(grant.milestones.filter(state__in=MilestoneStateGroup.AWAITING_REPORT))


def _check(grant: Grant, *, kind, milestone, new_date, new_amounts) -> dict:
    """What the change would set, or a WorkflowError; checked again when staff approve it
    (a milestone may have been reported meanwhile)."""
    today = timezone.localdate()
    if kind == K.MILESTONE_DATE:
        if milestone is None or milestone.grant_id != grant.pk:
            raise _error("milestone", _("Choose a milestone of this grant."))
        if milestone.state not in MilestoneStateGroup.AWAITING_REPORT:
            raise _error(
                "milestone", _("Only a milestone that has not been reported can be moved.")
            )
        if new_date is None or not today <= new_date <= grant.ends_on:
            raise _error(
                "new_date",
                _("Choose a day between today and the end of the funding period (%(end)s).")
                % {"end": grant.ends_on},
            )
        return {"old_date": milestone.due_on, "new_date": new_date}
    if kind == K.END_DATE:
        latest = add_months(grant.starts_on, grant.months + MAX_EXTENSION_MONTHS) - dt.timedelta(
            days=1
        )
        last_due = max((m.due_on for m in _open_milestones(grant)), default=grant.starts_on)
        if new_date is None or not max(today, last_due) <= new_date <= latest:
            raise _error(
                "new_date",
                _(
                    "Choose a day from %(first)s to %(last)s: not before the open milestones are due, and at most %(months)s months later than planned."
                )
                % {"first": max(today, last_due), "last": latest, "months": MAX_EXTENSION_MONTHS},
            )
        return {"old_date": grant.ends_on, "new_date": new_date}
    if kind == K.AMOUNTS:
        open_milestones = {str(m.pk): m for m in _open_milestones(grant)}
        if set(new_amounts) != set(open_milestones) or len(open_milestones) < 2:
            raise _error(
                "new_amounts",
                _(
                    "Amounts can be shifted only between milestones that have not been reported, at least two."
                ),
            )
        try:
            amounts = {pk: euros(value) for pk, value in new_amounts.items()}
        except (ArithmeticError, TypeError, ValueError):
            raise _error("new_amounts", _("Enter amounts in euros, e.g. 12500.00.")) from None
        if any(value <= 0 for value in amounts.values()):
            raise _error("new_amounts", _("Every milestone keeps an amount above zero."))
        before = sum((m.amount for m in open_milestones.values()), Decimal("0.00"))
        after = sum(amounts.values(), Decimal("0.00"))
        if before != after:
            raise _error(
                "new_amounts",
                _(
                    "The new amounts add up to %(after)s; they must add up to %(before)s, so that the award stays the same."
                )
                % {"after": euro(after), "before": euro(before)},
            )
        return {
            "old_amounts": {pk: str(m.amount) for pk, m in open_milestones.items()},
            "new_amounts": {pk: str(value) for pk, value in amounts.items()},
        }
    raise _error("kind", _("Choose what to change."))


def request_change(
    *, grant: Grant, actor, kind: str, reason: str, milestone=None, new_date=None, new_amounts=None
) -> ChangeRequest:
    reason = (reason or "").strip()
    if not reason:
        raise _error("reason", _("Explain why the change is needed."))
    if len(reason) > TEXT_LIMIT:
        raise _error("reason", _("At most %(count)s characters.") % {"count": TEXT_LIMIT})
    with transaction.atomic():
        current = lock_grant(grant.pk)
        if not may(actor, "grants.request_change", current):
            raise WorkflowError(_("Changes can be requested only while the project is funded."))
        if ChangeRequest.objects.filter(grant=current, state=ChangeRequestState.PENDING).exists():
            raise WorkflowError(
                _("A change request of this grant is still waiting for a decision.")
            )
        values = _check(
            current,
            kind=kind,
            milestone=milestone,
            new_date=new_date,
            new_amounts=new_amounts or {},
        )
        change = ChangeRequest.objects.create(
            grant=current,
            kind=kind,
            milestone=milestone if kind == K.MILESTONE_DATE else None,
            reason=reason,
            requested_by=actor,
            **values,
        )
        log_event(
            subject=change,
            action=events.CHANGE_REQUESTED,
            actor=actor,
            to_state=ChangeRequestState.PENDING,
            note=reason,
            visible_to_applicant=True,
        )
    return change


def decide_change_request(
    *, change_request: ChangeRequest, actor, approve: bool, note: str, expected_state: str
) -> ChangeRequest:
    note = (note or "").strip()
    if not approve and not note:
        raise _error("note", _("Explain the refusal to the grantee."))
    if len(note) > TEXT_LIMIT:
        raise _error("note", _("At most %(count)s characters.") % {"count": TEXT_LIMIT})
    with transaction.atomic():
        grant = lock_grant(change_request.grant_id)
        change = ChangeRequest.objects.select_related("milestone").get(pk=change_request.pk)
        change.grant = grant
        if approve:
            # Still possible? (The milestone may have been reported since the request.)
            _check(
                grant,
                kind=change.kind,
                milestone=change.milestone,
                new_date=change.new_date,
                new_amounts=change.new_amounts,
            )
        fire_transition(
            subject=change,
            transition_name="approve" if approve else "refuse",
            actor=actor,
            expected_state=expected_state,
            note=note,
        )
        change.decided_by = actor
        change.decision_note = note
        change.save(update_fields=["decided_by", "decision_note"])
        if approve:
            _apply(grant, change)
        notify(
            to=grant.application.owner,
            template="grant_notice",
            context={
                "kind": "change_approved" if approve else "change_refused",
                "grant": grant,
                "note": note,
            },
        )
    return change


def _apply(grant: Grant, change: ChangeRequest) -> None:
    if change.kind == K.MILESTONE_DATE:
        Milestone.objects.filter(pk=change.milestone_id).update(due_on=change.new_date)
    elif change.kind == K.END_DATE:
        grant.ends_on = change.new_date
        grant.save(update_fields=["ends_on"])
    else:
        for pk, amount in change.new_amounts.items():
            Milestone.objects.filter(pk=int(pk), grant=grant).update(amount=Decimal(amount))
