"""The review app's kinds of inbox lines (grants.inbox.registry): per call, the reviews
staff still wait for; for jurors, the reviews to write and the suggested conflicts to
answer. Registered by ReviewConfig.ready; the rules are review/queries.py's."""

from django.urls import reverse
from django.utils.translation import gettext_lazy, ngettext

from accounts.roles import Role
from grants.inbox.registry import Kind, Line
from review import queries

REVIEW_KINDS = (
    Kind(
        key="reviews_missing",
        audience=Role.STAFF,
        heading=gettext_lazy("Reviews missing, per call"),
        rows=lambda user, today: queries.missing_reviews_by_call(viewer=user),
        line=lambda jury, today: Line(
            title=jury.call.title,
            url=reverse("staff_assignment", args=[jury.call.slug]),
            due_on=jury.due_on,
            detail=ngettext(
                "%(count)s review missing; jurors concerned: %(jurors)s",
                "%(count)s reviews missing; jurors concerned: %(jurors)s",
                jury.missing,
            )
            % {"count": jury.missing, "jurors": jury.jurors},
        ),
        call_path="call_id",
        position=40,
    ),
    Kind(
        key="conflicts_to_confirm",
        audience=Role.JUROR,
        heading=gettext_lazy("Suggested conflicts of interest to confirm or dismiss"),
        rows=lambda user, today: queries.conflicts_to_confirm(user),
        line=lambda jury, today: Line(
            title=jury.call.title,
            url=reverse("jury_conflicts", args=[jury.call.slug]),
            since=jury.since,
            detail=ngettext(
                "%(count)s suggested conflict", "%(count)s suggested conflicts", jury.suggested
            )
            % {"count": jury.suggested},
        ),
        call_path="call_id",
        position=10,
    ),
    Kind(
        key="reviews_to_write",
        audience=Role.JUROR,
        heading=gettext_lazy("Reviews to write"),
        rows=lambda user, today: queries.reviews_to_write(user),
        line=lambda review, today: Line(
            title=review.assignment.application.reference,
            url=reverse("jury_review", args=[review.pk]),
            due_on=review.assignment.application.call.jury.due_on,
            detail=str(
                gettext_lazy("Not started") if review.version == 1 else gettext_lazy("Draft saved")
            ),
        ),
        call_path="assignment__application__call_id",
        position=20,
    ),
)
