"""Staff-side writes on calls (funding rounds)."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.access import may
from core.errors import TransitionRefused, WorkflowError
from grants import events
from grants.models import Call
from grants.queries import eligible_for_review
from grants.services.questions import add_default_questions
from grants.services.tracks import add_default_tracks
from workflow.actions import transitions_of
from workflow.audit import log_event
from workflow.transitions import fire_transition

# Staff move a call through all of its transitions, in workflow order.
CALL_TRANSITIONS = tuple(transitions_of(Call))

# What other apps do when a call takes a step, in the same transaction (the review app
# seals the call's selection record when it is marked as decided). Registered in their
# AppConfig.ready, so that grants imports nothing from them.
_STEP_HOOKS: dict[str, list] = {}


def register_call_step(transition_name: str, hook) -> None:
    """``hook(call=…, actor=…)`` runs after the call's ``transition_name`` step."""
    hooks = _STEP_HOOKS.setdefault(transition_name, [])
    if hook not in hooks:
        hooks.append(hook)


def _as_json(value):
    """A rule's value for the log's data, exactly (times to the microsecond, in UTC)."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Call):  # the linked full-proposal call
        return value.slug
    return value


def save_call(*, call: Call, actor, changes: dict, reason: str = "") -> Call:
    """Create or change a call (a new one asks the default questions, grants.questions, in
    the usual tracks, grants.tracks).
    Once an application has been submitted its rules are frozen; an admin may still change
    them, with a reason that is logged."""
    if not may(actor, "grants.manage_calls"):
        raise WorkflowError(_("You may not do this now."))
    with transaction.atomic():
        changed_rules = []
        gate_before = call.grantees_need_second_factor
        if call.pk is not None:
            stored = Call.objects.select_for_update().get(pk=call.pk)
            gate_before = stored.grantees_need_second_factor
            changed_rules = [
                name
                for name in Call.RULE_FIELDS
                if name in changes and changes[name] != getattr(stored, name)
            ]
            if changed_rules and stored.rules_locked:
                if not may(actor, "grants.change_locked_call_rules"):
                    raise WorkflowError(
                        _(
                            "Applications have already been submitted to this call, so its rules "
                            "(dates, budget, caps and rates) can no longer be changed. Ask an administrator."
                        )
                    )
                if not reason.strip():
                    raise WorkflowError(
                        _("Give a reason for changing the rules of a call that has submissions."),
                        field_errors={"reason": [_("This field is required.")]},
                    )
        before = {name: getattr(call, name) for name in changed_rules}
        for name, value in changes.items():
            setattr(call, name, value)
        call.full_clean(exclude=["state"])  # state is protected: only transitions set it
        created = call.pk is None
        call.save()
        if created:
            add_default_questions(call)
            add_default_tracks(call)
            log_event(subject=call, action=events.CALL_CREATED, actor=actor, to_state=call.state)
        elif changed_rules:
            details = "; ".join(
                f"{name}: {before[name]} → {getattr(call, name)}" for name in changed_rules
            )
            log_event(
                subject=call,
                action=events.CALL_RULES_CHANGED,
                actor=actor,
                from_state=call.state,
                to_state=call.state,
                note=f"{reason.strip()}\n{details}".strip(),
                data={
                    "reason": reason.strip(),
                    "changes": {
                        name: {"from": _as_json(before[name]), "to": _as_json(getattr(call, name))}
                        for name in changed_rules
                    },
                },
            )
        if not created and call.grantees_need_second_factor != gate_before:
            log_event(
                subject=call,
                action=events.CALL_GRANTEE_SECOND_FACTOR_CHANGED,
                actor=actor,
                from_state=call.state,
                to_state=call.state,
                data={"required": call.grantees_need_second_factor},
            )
    return call


def transition_call(*, call: Call, actor, transition_name: str, expected_state: str) -> Call:
    """One step of the call. Starting the review also starts it for every eligible
    application of the call (the actor sees), in the same transaction: all or nothing.
    ``reviews_started`` on the returned call says how many."""
    if transition_name not in CALL_TRANSITIONS:
        raise WorkflowError(_("Unknown action."))
    with transaction.atomic():
        current = Call.objects.get(pk=call.pk)
        try:
            fire_transition(
                subject=current,
                transition_name=transition_name,
                actor=actor,
                expected_state=expected_state,
            )
        except TransitionRefused as refusal:
            if "has_complete_rules" in refusal.failed_conditions:
                raise WorkflowError(
                    _("The call cannot open yet. Missing: %(fields)s.")
                    % {"fields": ", ".join(current.missing_rules())}
                ) from None
            if "has_valid_rules" in refusal.failed_conditions:
                raise WorkflowError(
                    _("The call cannot open: these settings are out of bounds: %(fields)s.")
                    % {"fields": ", ".join(current.invalid_rules())}
                ) from None
            raise
        current.reviews_started = 0
        if transition_name == "start_review":
            current.reviews_started = _start_eligible_reviews(current, actor)
        for hook in _STEP_HOOKS.get(transition_name, ()):
            hook(call=current, actor=actor)
    return current


def _start_eligible_reviews(call: Call, actor) -> int:
    eligible = eligible_for_review(call, actor).order_by("reference", "pk")
    started = 0
    for application in eligible:
        application.call = call
        fire_transition(subject=application, transition_name="start_review", actor=actor)
        started += 1
    return started
