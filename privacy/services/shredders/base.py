"""What every shredder does: text replaced by the marker, files deleted from storage, log
entries redacted in place (workflow.audit), people replaced by an anonymous placeholder."""

import json

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models.functions import Cast
from django.utils import timezone

from core.storage import private_storage
from workflow.audit import personal_keys, redact_entries
from workflow.models import REDACTED, TransitionLog
from workflow.queries import log_of

MARK = REDACTED
PLACEHOLDER_EMAIL = "anonymous@anonymised.invalid"


def mark(queryset, *names) -> int:
    """Replace each non-empty text of ``names`` by the marker; returns the rows changed."""
    changed = 0
    for name in names:
        changed += queryset.exclude(**{name: ""}).exclude(**{name: MARK}).update(**{name: MARK})
    return changed


def clear(queryset, **values) -> int:
    """Set ``values`` where a row differs from them; returns the rows changed."""
    differs = models.Q()
    for name, value in values.items():
        differs |= ~models.Q(**{name: value})
    return queryset.filter(differs).update(**values)


def placeholder():
    """The anonymous person that takes the place of anonymised applicants: no name, an
    address that cannot receive mail, no password, inactive."""
    user_model = get_user_model()
    user = user_model.objects.filter(email=PLACEHOLDER_EMAIL).first()
    if user is None:
        user = user_model.objects.create_user(PLACEHOLDER_EMAIL, is_active=False)
    return user


def delete_files(names) -> int:
    """Delete stored files (private storage); a file already gone is no error."""
    storage = private_storage()
    deleted = 0
    for name in names:
        if name and storage.exists(name):
            storage.delete(name)
            deleted += 1
    return deleted


def redact_log(*subjects, note=True) -> int:
    """Redact the log entries of the given objects (instances or (model, ids) pairs)."""
    subjects = [s for s in subjects if not isinstance(s, tuple) or s[1]]
    if not subjects:
        return 0
    entries = log_of(*subjects, select_content_type=False).select_related(None)
    return redact_entries(entries, note=note)


def json_map(queryset, name, change) -> int:
    """Rewrite a JSON field row by row with ``change`` (value → new value); returns the rows
    changed."""
    changed = 0
    for pk, value in queryset.values_list("pk", name):
        new = change(value)
        if new != value:
            queryset.model.objects.filter(pk=pk).update(**{name: new})
            changed += 1
    return changed


def _spellings(needles):
    """Each text as typed and as JSON writes it (SQLite keeps JSON with escapes)."""
    found = set()
    for needle in needles:
        if needle:
            found |= {needle, json.dumps(needle)[1:-1]}
    return sorted(found)


def redact_mentions(needles, entries=None) -> int:
    """Redact every log entry whose note or data mentions one of ``needles`` (a person's
    name or address): the note if it does, and each value of its data that does, besides
    the action's personal keys. Who did what, and when, stays."""
    spellings = _spellings(needles)
    if not spellings:
        return 0
    entries = TransitionLog.objects.all() if entries is None else entries
    mentioning = models.Q()
    for text in spellings:
        mentioning |= models.Q(note__icontains=text) | models.Q(data_text__icontains=text)
    found = entries.annotate(data_text=Cast("data", models.TextField())).filter(mentioning)
    lowered = [text.lower() for text in spellings]

    def mentions(value) -> bool:
        text = json.dumps(value, ensure_ascii=False).lower()
        return any(needle in text for needle in lowered)

    changed = 0
    now = timezone.now()
    for entry in found.only("pk", "action", "note", "data"):
        keys = {key for key, value in entry.data.items() if mentions(value)}
        changed += TransitionLog.objects.filter(pk=entry.pk).redact(
            keys=personal_keys(entry.action) | keys,
            note=mentions(entry.note),
            at=now,
        )
    return changed
