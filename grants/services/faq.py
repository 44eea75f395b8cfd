"""Staff write the questions and answers of a call's public page (grants.models.FaqEntry):
the whole list at once, in the order given, at any time (they are not a rule of the call)."""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.access import may
from core.errors import WorkflowError
from grants import events
from grants.models import Call, FaqEntry
from grants.states import FAQ_ENTRIES_MAX
from workflow.audit import log_event

FAQ_FIELDS = ("question_de", "question_en", "answer_de", "answer_en")


def save_faq(*, call: Call, actor, entries: list[dict]) -> list[FaqEntry]:
    """Make the call's list ``entries`` (dicts of FAQ_FIELDS, with the "id" of an entry of
    this call to change it): entries left out are removed, the rest numbered in order. An
    id of another call's entry is not changed: a new entry is made instead."""
    if not may(actor, "grants.manage_calls"):
        raise WorkflowError(_("You may not do this now."))
    if len(entries) > FAQ_ENTRIES_MAX:
        raise WorkflowError(
            _("A call has at most %(max)s questions and answers.") % {"max": FAQ_ENTRIES_MAX}
        )
    with transaction.atomic():
        Call.objects.select_for_update().filter(pk=call.pk).first()  # one editor at a time
        existing = {entry.pk: entry for entry in FaqEntry.objects.filter(call=call)}
        saved, changed = [], []
        for position, data in enumerate(entries, start=1):
            entry = existing.pop(data.get("id"), None) or FaqEntry(call=call)
            before = _content(entry)
            for name in FAQ_FIELDS:
                setattr(entry, name, data[name].strip())
            entry.position = position
            entry.full_clean()
            saved.append(entry)
            if entry.pk is None or _content(entry) != before:
                changed.append(entry)
        if not changed and not existing:
            return saved  # saved as it was: nothing to write or to log
        FaqEntry.objects.filter(pk__in=list(existing)).delete()
        for entry in changed:
            entry.save()
        log_event(
            subject=call,
            action=events.CALL_FAQ_CHANGED,
            actor=actor,
            from_state=call.state,
            to_state=call.state,
            data={"entries": len(saved), "changed": len(changed), "removed": len(existing)},
        )
    return saved


def _content(entry: FaqEntry) -> tuple:
    return (entry.position, *(getattr(entry, name) for name in FAQ_FIELDS))
