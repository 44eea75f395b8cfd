"""Names and labels of everything the log records, declared once.

A transition declares its action on itself, with django-fsm's ``custom=``::

    @transition(..., custom={"action": "grants.application.submitted", "label": _("Submitted"),
                             "visible_to_applicant": True})

Keys of ``custom``:

``action``  the dotted log name (required);
``label``   how the log shows it, e.g. "Submitted" (required);
``verb``    the button that fires it, e.g. "Open the call" (for transitions people choose);
``bulk``    True if staff may fire it on many objects at once;
``visible_to_applicant``  whether the log entry is shown on the applicant's timeline.

Events that are not transitions (a draft started, a question asked, rules changed) are
registered with ``event()`` by the app that logs them.
"""

import functools

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django_fsm import FSMFieldMixin

REQUIRED_KEYS = ("action", "label")

_events: dict[str, object] = {}


def event(name: str, label) -> str:
    """Register a non-transition log action and its label; returns the name."""
    if _events.get(name, label) != label:
        raise ImproperlyConfigured(f"The log action {name} is registered twice.")
    _events[name] = label
    return name


def state_field(model):
    """The FSM field of ``model`` (every workflow model here has exactly one)."""
    fields = [field for field in model._meta.get_fields() if isinstance(field, FSMFieldMixin)]
    if len(fields) != 1:
        raise ImproperlyConfigured(f"{model.__name__} has {len(fields)} FSM fields, not one.")
    return fields[0]


@functools.cache
def transitions_of(model) -> dict:
    """Transition name → django-fsm ``Transition`` (one per name; they share ``custom``), in
    workflow order: by the earliest of their source states in the field's choices."""
    field = state_field(model)
    order = {value: index for index, (value, _label) in enumerate(field.choices)}
    by_name: dict = {}
    for transition in field.get_all_transitions(model):
        by_name.setdefault(transition.name, []).append(transition)

    def position(item):
        name, transitions = item
        return (min(order.get(t.source, len(order)) for t in transitions), name)

    return {name: transitions[0] for name, transitions in sorted(by_name.items(), key=position)}


def transition_custom(model, name: str) -> dict:
    """The ``custom`` declaration of one transition, checked for the required keys."""
    custom = transitions_of(model)[name].custom
    missing = [key for key in REQUIRED_KEYS if not custom.get(key)]
    if missing:
        raise ImproperlyConfigured(
            f"{model.__name__}.{name} declares no {', '.join(missing)} in custom=."
        )
    return custom


def workflow_models() -> list:
    """Every installed model with a django-fsm state field."""
    return [
        model
        for model in apps.get_models()
        if any(isinstance(field, FSMFieldMixin) for field in model._meta.get_fields())
    ]


@functools.cache
def _transition_labels() -> dict:
    """Log action → label of every transition of every installed workflow model."""
    labels = {}
    for model in workflow_models():
        for name in transitions_of(model):
            custom = transition_custom(model, name)
            labels[custom["action"]] = custom["label"]
    return labels


def action_labels() -> dict:
    """Every known log action → its label: the transitions' and the registered events'."""
    return {**_transition_labels(), **_events}


def action_label(action: str):
    """The label of a log action; an unknown name is shown as it is."""
    return _events.get(action) or _transition_labels().get(action) or action


@functools.cache
def _state_labels(model) -> dict:
    """State value → label of a workflow model's state field."""
    return dict(state_field(model).choices)


def state_label_of(model, value):
    """The label of a state of ``model``'s workflow; a value it does not know stays as it
    is (states of retired workflows in old log entries)."""
    if not value:
        return ""
    if model is None or not any(isinstance(f, FSMFieldMixin) for f in model._meta.get_fields()):
        return value
    return _state_labels(model).get(value, value)
