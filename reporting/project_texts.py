"""The texts of a report's appendix pages, read only for the published grants it names
(reporting.data loads the figures; this the few texts of the projects shown)."""

from grants.models import Grant
from grants.queries import flagged_answers
from grants.states import FinalReportState
from reporting.data import PUBLISHED_STATES


def load_project_texts(grant_ids) -> dict[int, dict]:
    """The texts of the appendix pages: the proposal's summary, its answers to the questions
    that go into the ministry's appendix (identifying ones only with the grantee's consent
    to publication) and the final report's summary, for the given (published) grants only.
    Three queries."""
    rows = list(
        Grant.objects.filter(pk__in=list(grant_ids), application__state__in=PUBLISHED_STATES)
        .order_by()
        .values_list(
            "pk",
            "application_id",
            "publication_consent",
            "application__summary",
            "final_report__summary",
            "final_report__state",
        )
    )
    answers = flagged_answers(
        [row[1] for row in rows],
        flag="in_ministry_appendix",
        consenting={row[1] for row in rows if row[2]},
    )
    return {
        pk: {
            "description": summary or "",
            "answers": [(q.label, text) for q, text in answers.get(application_id, [])],
            "final_summary": (final or "") if state == FinalReportState.ACCEPTED else "",
        }
        for pk, application_id, _consent, summary, final, state in rows
    }
