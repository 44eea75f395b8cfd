"""Hard limits on stored text, checked by every service that saves text (the forms check
the same limits first, so that a person sees them next to the field)."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext as _

from core.errors import WorkflowError


def field_errors(instance, names) -> dict[str, list[str]]:
    """The model's own validation (max_length, format) of the named fields only."""
    names = set(names)
    try:
        instance.clean_fields(
            exclude=[f.name for f in instance._meta.fields if f.name not in names]
        )
    except ValidationError as error:
        return error.message_dict
    return {}


def check_fields(instance, names, *, key=None) -> None:
    """Refuse a save whose text is too long (or malformed), before anything is written.
    ``key`` files the messages under one name (e.g. "milestones") instead of per field."""
    errors = field_errors(instance, names)
    if errors:
        if key is not None:
            errors = {key: [message for messages in errors.values() for message in messages]}
        raise WorkflowError(_("Some entries are too long or not valid."), field_errors=errors)


def check_lengths(instance, names, *, key=None) -> None:
    """Refuse a save whose text is longer than its field allows, and nothing else: the form
    of a draft is checked by the rules at preview and submission, not on save (a malformed
    team address is kept as typed)."""
    errors: dict[str, list[str]] = {}
    for name in names:
        field = instance._meta.get_field(name)
        value = getattr(instance, field.attname)
        if field.max_length is None or not isinstance(value, str):
            continue
        try:
            MaxLengthValidator(field.max_length)(value)
        except ValidationError as error:
            errors.setdefault(key or name, []).extend(error.messages)
    if errors:
        raise WorkflowError(_("Some entries are too long or not valid."), field_errors=errors)


def check_note(note: str, *, limit: int, field: str = "note") -> None:
    """For texts that go into the append-only log, which has no limit of its own."""
    try:
        MaxLengthValidator(limit)(note)
    except ValidationError as error:
        raise WorkflowError(error.messages[0], field_errors={field: error.messages}) from None
