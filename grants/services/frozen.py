"""A call's form (its questions, its tracks) may change until the first submission; then it
is frozen like the call's other rules: only an admin changes it, with a reason."""

from django.utils.translation import gettext as _

from accounts.access import may
from core.errors import WorkflowError
from grants.models import Call
from grants.services.limits import check_note
from grants.states import NOTE_MAX_CHARS
from workflow.audit import log_event


def lock_call_for_change(
    call: Call, actor, reason: str, *, frozen_message: str, reason_message: str
) -> tuple[Call, bool]:
    """The call, locked for a change of its form; whether it is frozen (a submission
    exists), after checking that the actor may change it then and gave a reason."""
    if not may(actor, "grants.manage_calls"):
        raise WorkflowError(_("You may not do this now."))
    check_note(reason, limit=NOTE_MAX_CHARS, field="reason")
    current = Call.objects.select_for_update().get(pk=call.pk)
    frozen = current.rules_locked
    if frozen:
        if not may(actor, "grants.change_locked_call_rules"):
            raise WorkflowError(frozen_message)
        if not reason.strip():
            raise WorkflowError(
                reason_message, field_errors={"reason": [_("This field is required.")]}
            )
    return current, frozen


def log_form_change(
    call: Call, actor, *, action: str, part: str, key: str, change: str, reason: str, fields=None
) -> None:
    """Log a change of one ``part`` ("question", "track") of the call's form, named by its
    ``key``: what changed, and the reason given (needed once the form is frozen)."""
    details = f"{change} {key}"
    if fields:
        details += ": " + ", ".join(sorted(fields))
    log_event(
        subject=call,
        action=action,
        actor=actor,
        from_state=call.state,
        to_state=call.state,
        note=f"{reason.strip()}\n{details}".strip(),
        data={"reason": reason.strip(), "change": change, part: key, "fields": fields or {}},
    )
