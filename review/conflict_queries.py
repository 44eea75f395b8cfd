"""Read side of a juror's conflicts page: the call's applications they may declare a
conflict with, searched and shown as rows (review/views/juror.py)."""

from django.db.models import BooleanField, ExpressionWrapper, Prefetch

from grants.models import Application, TeamMember
from grants.visibility import own_or_team_rows
from review.models import ConflictOfInterest
from review.states import CONFLICT_LIST_STATES, ConflictStatus


def conflict_list(jury, user):
    """The call's applications a juror may declare a conflict with, with the team's names
    and addresses (shown unless the review is blind), the user's conflict row, if any, and
    ``own``: the user is the applicant or a verified team member (a hard conflict)."""
    return (
        Application.objects.filter(call=jury.call, state__in=CONFLICT_LIST_STATES)
        .annotate(own=ExpressionWrapper(own_or_team_rows(user), output_field=BooleanField()))
        .select_related("topic", "owner")
        .only(  # the FSM field must be loaded (django-fsm reads it on every instance)
            "pk",
            "state",
            "reference",
            "title",
            "topic__name_de",
            "topic__name_en",
            "owner__full_name",
            "owner__email",
            "call_id",
        )
        .prefetch_related(
            Prefetch(
                "team_members", queryset=TeamMember.objects.only("application_id", "name", "email")
            ),
            Prefetch(
                "conflicts_of_interest",
                queryset=ConflictOfInterest.objects.filter(juror=user),
                to_attr="my_conflicts",
            ),
        )
        .order_by("reference")
    )


def search_conflict_list(applications, text: str, *, blind: bool) -> list:
    """The applications of ``conflict_list`` whose reference, title or topic (in either
    language) contain every word of ``text``, ignoring case; names of applicant and team
    count too unless the review is blind (a match on a hidden name would reveal it)."""
    words = text.casefold().split()
    if not words:
        return list(applications)

    def haystack(application) -> str:
        parts = [application.reference, application.title]
        if application.topic is not None:
            parts += [application.topic.name_de, application.topic.name_en]
        if not blind:
            parts.append(application.owner.full_name)
            parts += [member.name for member in application.team_members.all()]
        return " ".join(part for part in parts if part).casefold()

    return [
        application
        for application in applications
        if all(word in haystack(application) for word in words)
    ]


def conflict_page(applications, text: str, *, blind: bool) -> dict:
    """The rows of a juror's conflicts page (each application of ``conflict_list`` with the
    juror's conflict, ``hard`` and ``listed``: it matches the search ``text``), the
    suggestions among them and the rows the search lists."""
    listed = {a.pk for a in search_conflict_list(applications, text, blind=blind)}
    rows = []
    for application in applications:
        conflict = application.my_conflicts[0] if application.my_conflicts else None
        # The juror's own or team's application: a conflict nobody can dismiss, shown as
        # such even before the system has recorded it.
        hard = application.own or (conflict and conflict.status == ConflictStatus.HARD)
        rows.append(
            {
                "application": application,
                "conflict": conflict,
                "hard": bool(hard),
                "listed": application.pk in listed,
            }
        )
    return {
        "rows": rows,
        "suggestions": [
            row
            for row in rows
            if not row["hard"]
            and row["conflict"]
            and row["conflict"].status == ConflictStatus.SUGGESTED
        ],
        "listed": [row for row in rows if row["listed"]],
    }
