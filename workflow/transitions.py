"""The one place where django-fsm transitions are fired, for every app's objects:
permission, conditions, optimistic locking and the audit entry are handled the same way."""

import rules
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from core.errors import StaleObjectError, TransitionRefused
from workflow.actions import transition_custom
from workflow.audit import log_event


def rule(name):
    """A django-fsm ``permission=`` that asks the ``rules`` rule set directly (no superuser
    shortcut as in ``user.has_perm``), so admins cannot act for applicants."""
    return lambda instance, user: rules.has_perm(name, user, instance)


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
    expected_state=None,
    note="",
    data=None,
    refused_message=None,
):
    """Fire ``subject.<transition_name>()`` for ``actor``, save and log it; returns the log
    entry. Call inside ``transaction.atomic()``.

    ``expected_state`` is the state the user saw: if the object has moved on since, the
    action is refused as stale instead of silently re-targeted. Each thing is checked once:
    the source state and the permission here, the conditions by django-fsm itself when the
    transition runs (they are evaluated a second time only to explain a refusal). The log
    action and whether the applicant sees the entry come from the transition's ``custom=``.
    """
    method = getattr(subject, transition_name)
    meta = method._django_fsm
    from_state = meta.field.get_state(subject)
    if expected_state is not None and from_state != expected_state:
        raise StaleObjectError(stale_message())
    custom = transition_custom(type(subject), transition_name)
    refusal = _state_or_permission_refusal(subject, transition_name, actor, refused_message)
    if refusal is not None:
        raise refusal
    transition = meta.get_transition(from_state)
    try:
        method()
    except TransitionNotAllowed:
        failed = [
            condition.__name__ for condition in transition.conditions if not condition(subject)
        ]
        raise TransitionRefused(
            refused_message or _("This step is not possible in the current state."),
            reason="conditions",
            failed_conditions=failed,
        ) from None
    try:
        subject.save()
    except ConcurrentTransition as error:
        raise StaleObjectError(stale_message()) from error
    return log_event(
        subject=subject,
        action=custom["action"],
        actor=actor,
        from_state=from_state,
        to_state=meta.field.get_state(subject),
        note=note,
        data=data,
        visible_to_applicant=custom.get("visible_to_applicant", False),
    )


def _state_or_permission_refusal(subject, transition_name, actor, refused_message=None):
    meta = getattr(subject, transition_name)._django_fsm
    transition = meta.get_transition(meta.field.get_state(subject))
    if transition is None:
        return TransitionRefused(
            refused_message or _("This step is not possible in the current state."),
            reason="state",
        )
    if not transition.has_perm(subject, actor):
        return TransitionRefused(
            refused_message or _("You may not do this now."), reason="permission"
        )
    return None


def transition_refusal(*, subject, transition_name, actor) -> TransitionRefused | None:
    """Why ``actor`` could not fire the transition now (state, permission or the failed
    conditions), or None; changes nothing. For pages that say what a step would do before
    anyone confirms it; fire_transition checks again when it runs."""
    refusal = _state_or_permission_refusal(subject, transition_name, actor)
    if refusal is not None:
        return refusal
    meta = getattr(subject, transition_name)._django_fsm
    transition = meta.get_transition(meta.field.get_state(subject))
    failed = [condition.__name__ for condition in transition.conditions if not condition(subject)]
    if failed:
        return TransitionRefused(
            _("This step is not possible in the current state."),
            reason="conditions",
            failed_conditions=failed,
        )
    return None


def transition_target(model, transition_name, from_state):
    """The state the transition leads to from ``from_state``."""
    meta = getattr(model, transition_name)._django_fsm
    return meta.get_transition(from_state).target
