"""What every shredder does: text replaced by the marker, files deleted from storage, log
entries redacted in place (workflow.audit), people replaced by an anonymous placeholder."""

from django.contrib.auth import get_user_model
from django.db import models

from core.storage import private_storage
from workflow.audit import redact_entries
from workflow.models import REDACTED
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
