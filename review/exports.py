"""The review's columns in the staff export of a call's applications (grants.export_columns):
each application's raw mean score and rank, as the ranking page shows them, and the decision
taken on it with the awarded amount. Only staff download the export, and staff see scores
even in a blind review.

Read once per export, whatever the number of rows: the criteria, the selection record (one
query each); while the call is undecided, the ranking stored for the current version of its
input (two queries when it is stored: the ranking page's own read, never a computation per
row); once it is decided, the ranking its selection record keeps, as the ranking page then
shows it. Columns appear only once the call has that data: scores once a review counts,
decisions once one was taken."""

from django.utils.translation import gettext_lazy as _

from core.spreadsheets import COUNT, EURO, FIGURE, TEXT
from grants.export_columns import Column
from grants.states import ApplicationState, CallState
from review.call_page import criteria_of_call
from review.models import SelectionRecord
from review.services.rankings import current_figures
from review.states import Decision, RankingBasis

# A decision as its outcome reads: the state the application was moved to.
OUTCOMES = {
    Decision.APPROVE: ApplicationState.APPROVED,
    Decision.WAITLIST: ApplicationState.WAITLISTED,
    Decision.REJECT: ApplicationState.REJECTED,
}


def _ranked(call, viewer, criteria, record) -> dict:
    """Application id → its figures (at least "raw" and "rank")."""
    if record is not None and call.state in (CallState.DECIDED, CallState.ARCHIVED):
        return {row["id"]: row for row in record["ranking"].get("rows", []) if "id" in row}
    figures = current_figures(call, viewer, basis=RankingBasis.CALIBRATED, criteria=criteria)
    # Stored by row_key: "a" and the application's id.
    return {int(key.removeprefix("a")): row for key, row in figures["applications"].items()}


def _decided(record) -> dict:
    """Application id → its latest decision (the record lists them in the order taken)."""
    if record is None:
        return {}
    return {item["id"]: item["decision"] for item in record["decisions"] if "id" in item}


def _outcome(decision) -> str | None:
    return OUTCOMES[decision].label if decision in OUTCOMES else None


def application_columns(call, viewer) -> list[Column]:
    criteria = criteria_of_call(call)
    if not criteria:  # no jury: nothing scored, nothing decided by it
        return []
    record = SelectionRecord.objects.filter(call=call).values("ranking", "decisions").first()
    ranked = _ranked(call, viewer, criteria, record)
    decided = _decided(record)
    columns = []
    if ranked:
        columns += [
            Column(_("Raw mean"), lambda a: ranked.get(a.pk, {}).get("raw"), FIGURE, 10),
            Column(_("Rank"), lambda a: ranked.get(a.pk, {}).get("rank"), COUNT, 8),
        ]
    if decided:
        columns += [
            Column(_("Decision"), lambda a: _outcome(decided.get(a.pk)), TEXT, 14),
            Column(
                _("Awarded amount (€)"),
                lambda a: a.awarded_amount if decided.get(a.pk) == Decision.APPROVE else None,
                EURO,
                16,
            ),
        ]
    return columns
