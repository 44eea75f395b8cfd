"""The review's part of a call's public page (grants.call_page): the criteria the jury
scores by, with their weights, once staff have set them (one query)."""

from grants.call_page import Section
from review.models import Criterion


def criteria_of_call(call) -> list:
    """The criteria of the call's jury in their order, without reading the jury (none
    without one)."""
    return list(Criterion.objects.filter(jury__call=call).order_by("position", "pk"))


def criteria_section(call) -> Section | None:
    criteria = criteria_of_call(call)
    if not criteria:
        return None
    return Section("review/includes/call_criteria.html", {"criteria": criteria})
