"""Funding decisions: approve (with an award of at most the requested amount), put on the
waiting list, reject. Each goes through the application's workflow; the call row is locked
first, so that two staff deciding at once can never award more than the call's budget (the
``award_fits_budget`` condition on ``approve`` reads the committed money under that lock).
The applicant is e-mailed the decision with the feedback jurors marked for them."""

import datetime as dt
from collections import Counter
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import TransitionRefused, WorkflowError
from core.formats import euro
from core.forms import LARGEST_ID
from grants.models import Application, Call
from grants.queries import applications_visible_to
from grants.services.limits import check_note
from grants.services.stages import invitation_last_day
from review.line import line_statuses, waitlisted_in_ranking_order
from review.queries import counting_reviews
from review.services.readiness import require_reviews_in
from review.services.records import follows_line, record_decisions
from review.states import NOTE_MAX_CHARS, Decision, LineStatus
from workflow.notifications import notify
from workflow.transitions import fire_transition

TRANSITIONS = {
    Decision.APPROVE: "approve",
    Decision.WAITLIST: "waitlist",
    Decision.REJECT: "reject",
    Decision.INVITE: "invite",
    Decision.NOT_INVITE: "not_invite",
}
TEMPLATES = {
    Decision.APPROVE: "application_approved",
    Decision.WAITLIST: "application_waitlisted",
    Decision.REJECT: "application_rejected",
    Decision.INVITE: "concept_invited",
    Decision.NOT_INVITE: "concept_not_invited",
}


def jury_feedback(application_ids) -> dict[int, list[str]]:
    """Application id → the feedback for the applicant from the reviews that count (never
    from a juror released from the application, for instance for a conflict of interest)."""
    feedback: dict[int, list[str]] = {pk: [] for pk in application_ids}
    rows = (
        counting_reviews()
        .filter(assignment__application_id__in=application_ids)
        .exclude(comment_for_applicant="")
        .order_by("pk")
        .values_list("assignment__application_id", "comment_for_applicant")
    )
    for application_id, text in rows:
        feedback[application_id].append(text)
    return feedback


def _lock_call(call_id) -> Call:
    """The budget lock: every decision in a call waits for the one before it."""
    return Call.objects.select_for_update().get(pk=call_id)


def _fire(application, call, *, decision, actor, expected_state, awarded_amount, note):
    if decision not in TRANSITIONS:
        raise WorkflowError(_("Unknown decision."))
    application.call = call  # the locked row: the budget is read under the lock
    if decision == Decision.APPROVE:
        application.awarded_amount = (
            application.requested_amount if awarded_amount is None else awarded_amount
        )
    else:
        application.awarded_amount = None
    try:
        fire_transition(
            subject=application,
            transition_name=TRANSITIONS[decision],
            actor=actor,
            expected_state=expected_state,
            note=note,
            data={"awarded_amount": application.awarded_amount}
            if decision == Decision.APPROVE
            else None,
        )
    except TransitionRefused as refusal:
        raise _explain(application, call, refusal) from None


def _valid_until(call, decision, requested):
    """The invitation's last day, for an invitation (None for any other decision)."""
    if decision != Decision.INVITE:
        return None
    return invitation_last_day(full_call=call.next_stage, requested=requested)


def _explain(application, call, refusal: TransitionRefused) -> WorkflowError:
    if "decided_with_money" in refusal.failed_conditions:
        return WorkflowError(
            _("%(reference)s is a concept: invite the team to the full proposal or do not.")
            % {"reference": application.reference}
        )
    if "decided_by_invitation" in refusal.failed_conditions:
        return WorkflowError(
            _("%(reference)s: only concepts are invited; decide on it with its award.")
            % {"reference": application.reference}
        )
    if "award_within_request" in refusal.failed_conditions:
        return WorkflowError(
            _(
                "%(reference)s: the award must be more than 0 € and at most the requested %(requested)s."
            )
            % {
                "reference": application.reference,
                "requested": euro(application.requested_amount),
            },
            field_errors={"awarded_amount": [_("At most the requested amount.")]},
        )
    if "award_fits_budget" in refusal.failed_conditions:
        left = call.money_left()
        return WorkflowError(
            _(
                "%(reference)s: the award of %(amount)s does not fit: only %(left)s of the call's budget are left."
            )
            % {
                "reference": application.reference,
                "amount": euro(application.awarded_amount),
                "left": euro(left),
            },
            field_errors={"awarded_amount": [_("More than the budget left.")]},
        )
    if refusal.reason == "state":
        return WorkflowError(
            _("%(reference)s cannot be decided in its current state (%(state)s).")
            % {"reference": application.reference, "state": application.get_state_display()}
        )
    return refusal


def _refuse_deviations_without_reason(decisions, statuses, reason: str, field="note") -> None:
    """A decision that departs from the funding line needs a reason (see follows_line)."""
    if reason.strip():
        return
    departing = [
        _("%(reference)s (%(decision)s, the line: %(status)s)")
        % {
            "reference": application.reference,
            "decision": Decision(decision).label,
            "status": LineStatus(statuses[application.pk]).label,
        }
        for application, decision in decisions
        if follows_line(decision, statuses.get(application.pk)) is False
    ]
    if departing:
        raise WorkflowError(
            _("These decisions depart from the funding line; give the reason: %(list)s.")
            % {"list": "; ".join(departing)},
            field_errors={field: [_("Required for a decision that departs from the line.")]},
        )


def decide_application(
    *,
    application: Application,
    actor,
    decision: str,
    expected_state: str,
    awarded_amount: Decimal | None = None,
    note: str = "",
    feedback: str = "",
    invitation_valid_until: dt.date | None = None,
) -> Application:
    """One decision, with the note as its reason (required when it departs from the line).
    ``feedback``: what staff write to the team (the decision on a concept); the team reads
    it on its application's page and in the e-mail. ``invitation_valid_until``: with an invitation,
    the last day to start the full proposal (default: the full-proposal call's closing
    day; grants.services.stages.invitation_last_day)."""
    if len(note) > NOTE_MAX_CHARS:
        raise WorkflowError(
            _("The note is too long (at most %(limit)s characters).") % {"limit": NOTE_MAX_CHARS}
        )
    check_note(feedback, limit=NOTE_MAX_CHARS, field="feedback")
    with transaction.atomic():
        call = _lock_call(application.call_id)
        require_reviews_in(call)
        current = Application.objects.select_related("owner").get(pk=application.pk)
        _line, _outcome, statuses = line_statuses(call)
        if decision in TRANSITIONS:
            _refuse_deviations_without_reason([(current, decision)], statuses, note)
        current.decision_feedback = feedback.strip()
        current.invitation_valid_until = _valid_until(call, decision, invitation_valid_until)
        _fire(
            current,
            call,
            decision=decision,
            actor=actor,
            expected_state=expected_state,
            awarded_amount=awarded_amount,
            note=note.strip(),
        )
        record_decisions(
            call=call,
            actor=actor,
            decided=[{"application": current, "decision": decision, "reason": note.strip()}],
        )
        notify(
            to=current.owner,
            template=TEMPLATES[decision],
            context={"application": current, "feedback": jury_feedback([current.pk])[current.pk]},
        )
    return current


def decide_applications(
    *,
    call: Call,
    decisions: list[tuple[int, str]],
    actor,
    reason: str = "",
    feedback: dict[int, str] | None = None,
    invitation_valid_until: dt.date | None = None,
) -> Counter:
    """Many decisions in one transaction, in the order given: all or none. Approvals award
    the requested amount. ``reason`` is recorded with each (required if one departs from
    the line). For concepts: ``feedback`` (application id → text) is what staff write to
    each team, ``invitation_valid_until`` the last day of every invitation (see
    decide_application). Returns a Counter of decisions."""
    reason = reason.strip()
    if len(reason) > NOTE_MAX_CHARS:
        raise WorkflowError(
            _("The reason is too long (at most %(limit)s characters).") % {"limit": NOTE_MAX_CHARS}
        )
    feedback = {int(pk): text.strip() for pk, text in (feedback or {}).items()}
    for text in feedback.values():
        check_note(text, limit=NOTE_MAX_CHARS, field="feedback")
    decisions = list(dict.fromkeys((int(pk), decision) for pk, decision in decisions))
    ids = [pk for pk, _decision in decisions]
    if not ids:
        raise WorkflowError(_("Select at least one application."))
    if len(set(ids)) != len(ids):
        raise WorkflowError(_("Each application can get one decision only."))
    if not all(0 < pk <= LARGEST_ID for pk in ids):  # beyond the database: not in this call
        raise WorkflowError(_("Some selected applications do not belong to this call."))
    done: Counter = Counter()
    with transaction.atomic():
        locked = _lock_call(call.pk)
        require_reviews_in(locked)
        applications = {
            application.pk: application
            for application in applications_visible_to(actor, only="staff")
            .filter(call=locked, pk__in=ids)
            .select_related("owner")
        }
        if len(applications) != len(ids):
            raise WorkflowError(_("Some selected applications do not belong to this call."))
        _line, _outcome, statuses = line_statuses(locked)
        _refuse_deviations_without_reason(
            [(applications[pk], decision) for pk, decision in decisions if decision in TRANSITIONS],
            statuses,
            reason,
            field="reason",
        )
        valid_until = (
            _valid_until(locked, Decision.INVITE, invitation_valid_until)
            if any(decision == Decision.INVITE for _pk, decision in decisions)
            else None
        )
        jurors_feedback = jury_feedback(ids)
        refusals = []
        for pk, decision in decisions:
            application = applications[pk]
            application.decision_feedback = feedback.get(pk, application.decision_feedback)
            application.invitation_valid_until = (
                valid_until if decision == Decision.INVITE else None
            )
            try:
                _fire(
                    application,
                    locked,
                    decision=decision,
                    actor=actor,
                    expected_state=None,
                    awarded_amount=None,
                    note=reason,
                )
            except WorkflowError as error:
                refusals.append(error.message)
                continue
            done[decision] += 1
            notify(
                to=application.owner,
                template=TEMPLATES[decision],
                context={"application": application, "feedback": jurors_feedback[pk]},
            )
        if refusals:
            transaction.set_rollback(True)
            raise WorkflowError(
                _("Nothing was decided, because: %(reasons)s")
                % {"reasons": " ".join(map(str, refusals))}
            )
        record_decisions(
            call=locked,
            actor=actor,
            decided=[
                {"application": applications[pk], "decision": decision}
                for pk, decision in decisions
            ],
            reason=reason,
        )
    return done


def approve_from_waitlist(*, jury, actor, confirmed: list[int]) -> Counter:
    """Approve the waiting-list applications that fit into the money left, in ranking
    order, provided they are those the user saw and ``confirmed`` (the list or the money
    may have changed meanwhile)."""
    fitting = [row["id"] for row in waitlisted_in_ranking_order(jury, actor) if row["fits"]]
    if sorted(confirmed) != sorted(fitting):
        raise WorkflowError(
            _(
                "The waiting list or the money left changed meanwhile. Check the new plan and confirm again."
            )
        )
    if not fitting:
        raise WorkflowError(_("No application on the waiting list fits into the money left."))
    return decide_applications(
        call=jury.call,
        decisions=[(pk, Decision.APPROVE) for pk in fitting],
        actor=actor,
        reason=_("Moved up from the waiting list in ranking order: money was freed."),
    )
