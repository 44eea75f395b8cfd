"""Read-side queries of the decisions on concepts (the first stage of a two-stage call)."""

from django.db.models import Count

from grants.models import Application
from grants.queries import applications_visible_to
from grants.states import ApplicationState


def concepts_to_decide(call, viewer):
    """The reviewed concepts of ``call`` that ``viewer`` may decide (never one they have a
    conflict with), by reference, with their track's name."""
    return (
        applications_visible_to(viewer, only="staff")
        .filter(call=call, state=ApplicationState.REVIEWED)
        .select_related("track")
        .only("pk", "reference", "title", "state", "call_id", "track__name_de", "track__name_en")
        .order_by("reference")
    )


def concept_decision_counts(call) -> dict[str, int]:
    """How many concepts of ``call`` are invited and not invited so far."""
    counts = (
        Application.objects.filter(
            call=call, state__in=(ApplicationState.INVITED, ApplicationState.NOT_INVITED)
        )
        .values_list("state")
        .annotate(count=Count("pk"))
    )
    return {ApplicationState.INVITED: 0, ApplicationState.NOT_INVITED: 0} | dict(counts)
