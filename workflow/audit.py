"""Writing to the audit log, and erasing personal data from it without breaking its
guarantee (see workflow.models.AppendOnlyQuerySet.redact).

Personal data in a log entry sits in two places: the ``note`` (text a person wrote: a
reason, a question) and some keys of ``data`` (an invitee's e-mail address, the diff of a
proposal's text, a masked IBAN). Apps declare those keys per action with
``register_personal_keys``; a few names are personal whatever the action."""

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from workflow.models import REDACTED, TransitionLog

# Keys of ``data`` that are personal in every action.
ALWAYS_PERSONAL = frozenset({"email", "emails", "name", "names", "changes", "iban"})
_PERSONAL_KEYS: dict[str, frozenset[str]] = {}
MASK = "•••"


def register_personal_keys(action: str, *keys: str) -> None:
    """Declare the keys of ``data`` that hold personal data in entries of ``action``."""
    _PERSONAL_KEYS[action] = _PERSONAL_KEYS.get(action, frozenset()) | frozenset(keys)


def personal_keys(action: str) -> frozenset[str]:
    return ALWAYS_PERSONAL | _PERSONAL_KEYS.get(action, frozenset())


def log_event(
    *,
    subject,
    action,
    actor,
    from_state="",
    to_state="",
    note="",
    data=None,
    visible_to_applicant=False,
):
    """Append one entry to the audit trail of ``subject`` (any model instance). Events that
    change no state leave ``from_state`` and ``to_state`` empty."""
    return TransitionLog.objects.create(
        content_type=ContentType.objects.get_for_model(type(subject)),
        object_id=subject.pk,
        action=action,
        actor=actor,
        from_state=from_state,
        to_state=to_state,
        note=note,
        data=data or {},
        visible_to_applicant=visible_to_applicant,
    )


def redact_entries(entries, *, note: bool = True, at=None) -> int:
    """Erase the personal data of ``entries`` (a TransitionLog queryset): the registered
    personal keys of each entry's action and, if ``note``, its note, replaced by the marker.
    The rest of each entry stays. Returns the number of entries changed."""
    at = at or timezone.now()
    changed = 0
    for action in set(entries.values_list("action", flat=True).order_by()):
        changed += entries.filter(action=action).redact(
            keys=personal_keys(action), note=note, at=at
        )
    return changed


def shown_data(entry) -> dict:
    """The entry's data for people who audit the log (the admin site): personal values
    masked; erased ones show the marker."""
    keys = personal_keys(entry.action)
    return {
        key: (value if key not in keys or value in ("", None, REDACTED) else MASK)
        for key, value in entry.data.items()
    }
