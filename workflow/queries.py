"""Reads of the audit log and of staff's e-mail texts."""

from django.db.models import OuterRef, Q, Subquery

from workflow.models import EmailText, TransitionLog


def log_of(*subjects, select_content_type=True):
    """The log entries of the given objects, oldest first: model instances, or
    ``(model, ids)`` pairs for many objects of one model. One query, joined on the content
    type (no lookup of its own)."""
    parts = Q(pk__in=[])
    for subject in subjects:
        model, ids = subject if isinstance(subject, tuple) else (type(subject), [subject.pk])
        meta = model._meta
        parts |= Q(
            content_type__app_label=meta.app_label,
            content_type__model=meta.model_name,
            object_id__in=list(ids),
        )
    related = ("actor", "content_type") if select_content_type else ("actor",)
    return TransitionLog.objects.filter(parts).select_related(*related).order_by("created_at", "pk")


def _newest_email_texts():
    newest = EmailText.objects.filter(key=OuterRef("key"), language=OuterRef("language")).order_by(
        "-pk"
    )
    return EmailText.objects.filter(pk=Subquery(newest.values("pk")[:1]))


def current_email_text(key: str, language: str) -> EmailText | None:
    """Staff's wording of this e-mail in this language, or None for the shipped one."""
    text = EmailText.objects.filter(key=key, language=language).order_by("-pk").first()
    return None if text is None or text.restores_shipped else text


def email_text_changes() -> dict[tuple[str, str], EmailText]:
    """The newest change of every e-mail and language (also those back to the shipped
    text), by (key, language), in one query."""
    return {
        (text.key, text.language): text
        for text in _newest_email_texts().select_related("created_by")
    }


def newest_email_text(key: str, language: str) -> EmailText | None:
    """The newest change of this e-mail in this language (also one back to the shipped
    text), or None if staff never changed it."""
    return (
        EmailText.objects.filter(key=key, language=language)
        .select_related("created_by")
        .order_by("-pk")
        .first()
    )
