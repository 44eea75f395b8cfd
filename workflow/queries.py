"""Reads of the audit log."""

from django.db.models import Q

from workflow.models import TransitionLog


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
