"""The one place where django-fsm transitions are fired: permission, conditions, optimistic
locking and the audit entry are handled the same way for every object."""

from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, can_proceed, has_transition_perm

from grants.services.audit import log_event
from grants.services.errors import StaleObjectError, WorkflowError


def stale_message():
    return _(
        "Someone else changed this meanwhile, so your action was not carried out. "
        "The page now shows the current state; please check it and try again."
    )


def fire_transition(
    *,
    subject,
    transition_name,
    actor,
    action,
    expected_state=None,
    note="",
    visible_to_applicant=False,
    refused_message=None,
):
    """Fire ``subject.<transition_name>()`` for ``actor`` and log it. Call inside
    ``transaction.atomic()``. ``expected_state`` is the state the user saw: if the object
    has moved on since, the action is refused as stale instead of silently re-targeted."""
    if expected_state is not None and subject.state != expected_state:
        raise StaleObjectError(stale_message())
    method = getattr(subject, transition_name)
    if not has_transition_perm(method, actor):
        raise WorkflowError(refused_message or _("You may not do this now."))
    if not can_proceed(method):
        raise WorkflowError(refused_message or _("This step is not possible in the current state."))
    from_state = subject.state
    method()
    try:
        subject.save()
    except ConcurrentTransition as error:
        raise StaleObjectError(stale_message()) from error
    return log_event(
        subject=subject,
        action=action,
        actor=actor,
        from_state=from_state,
        to_state=subject.state,
        note=note,
        visible_to_applicant=visible_to_applicant,
    )
