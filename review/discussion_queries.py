"""Reads of the jury's discussion of an application: its comments, rapporteur and summary,
and the minutes of a call's discussions for the selection record."""

from django.db.models import Count, Exists, OuterRef

from review.audiences import DISCUSSIONS
from review.models import Assignment, ConflictOfInterest, DiscussionComment, DiscussionSummary
from review.states import BLOCKING_CONFLICTS


def discussions_visible_to(user, *, only: str | None = None):
    """The applications whose discussion ``user`` may read: the list twin of the
    ``review.view_discussion`` rule (review/audiences.py, ``DISCUSSIONS``)."""
    return DISCUSSIONS.visible_to(user, only)


def discussion_comments(application):
    """The comments in the order written, with their authors (one query)."""
    return (
        DiscussionComment.objects.filter(application=application)
        .select_related("author")
        .order_by("created_at", "pk")
    )


def discussion_summary(application):
    """The application's rapporteur and summary, or None (one query)."""
    return (
        DiscussionSummary.objects.filter(application=application)
        .select_related("rapporteur", "written_by")
        .first()
    )


def rapporteur_candidates(application):
    """The jurors of the application's panel: an active assignment and no blocking
    conflict row (the service checks the hard conflict too), by name (one query)."""
    return (
        Assignment.objects.filter(
            application=application, confirmed_at__isnull=False, released_at__isnull=True
        )
        .exclude(
            Exists(
                ConflictOfInterest.objects.filter(
                    juror=OuterRef("juror"),
                    application=application,
                    status__in=BLOCKING_CONFLICTS,
                )
            )
        )
        .exclude(juror_id=application.owner_id)
        .select_related("juror")
        .order_by("juror__full_name", "juror__pk")
    )


def discussion_minutes(call) -> dict:
    """Application id → {"comments": count of comments not withdrawn, "summary",
    "rapporteur"} for the call's discussions (two queries)."""
    minutes = {}
    counts = (
        DiscussionComment.objects.filter(application__call=call, withdrawn_at__isnull=True)
        .values_list("application_id")
        .annotate(total=Count("pk"))
        .order_by()
    )
    for application_id, total in counts:
        minutes[application_id] = {"comments": total, "summary": "", "rapporteur": ""}
    summaries = DiscussionSummary.objects.filter(application__call=call).values_list(
        "application_id", "text", "rapporteur__full_name"
    )
    for application_id, text, rapporteur in summaries:
        entry = minutes.setdefault(application_id, {"comments": 0})
        entry["summary"] = text
        entry["rapporteur"] = rapporteur
    return minutes
