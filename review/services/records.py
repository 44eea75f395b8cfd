"""The selection record of a call (review.models.SelectionRecord): the ranking, the funding
line with its grey zone and lottery, and every decision with its reason, as they were when
the decisions were taken. Written inside the decision's transaction (the call row is
locked), so the record and the decisions never disagree."""

from django.utils import timezone

from review import events
from review.line import line_outcome, line_statuses
from review.models import SelectionRecord
from review.queries import current_line, jury_of
from review.ranking import build_ranking
from review.states import LINE_FUNDS, LINE_LEAVES_OPEN, Decision, RankingBasis
from workflow.audit import log_event

RANKING_KEYS = (
    "id", "reference", "title", "topic", "state", "amount", "count", "raw", "calibrated",
    "se", "spread", "rank", "expected_rank", "low", "high",
)  # fmt: skip


def follows_line(decision: str, status: str | None) -> bool | None:
    """Whether a decision follows what the line says of the application (None: the
    application is not on a line). Approving what the line funds, or what fits the
    remaining money, follows it; so does leaving anything else unfunded."""
    if status is None:
        return None
    if decision == Decision.APPROVE:
        return status in (*LINE_FUNDS, *LINE_LEAVES_OPEN)
    return status not in LINE_FUNDS


def ranking_snapshot(jury, basis: str) -> dict:
    """The whole call's ranking (no viewer: every ranked application)."""
    ranking = build_ranking(jury, None, basis=basis)
    return {
        "basis": basis,
        "review_count": ranking.review_count,
        "residual_sd": ranking.residual_sd,
        "application_sd": ranking.application_sd,
        "juror_sd": ranking.juror_sd,
        "overall_alpha": ranking.overall_alpha,
        "rows": [{key: row[key] for key in RANKING_KEYS} for row in ranking.rows],
        "unreviewed": [
            {key: row[key] for key in ("id", "reference", "title", "state")}
            for row in ranking.unreviewed
        ],
    }


def line_snapshot(line, outcome=None) -> dict:
    outcome = outcome or line_outcome(line)
    by_id = {row["id"]: row["reference"] for row in line.ranking}
    return {
        "id": line.pk,
        "state": line.state,
        "basis": line.basis,
        "drawn_at": line.created_at.isoformat(),
        "drawn_by": str(line.created_by),
        "available": str(line.available),
        "left": str(outcome.left),
        "line_rank": outcome.line_rank,
        "first_out": by_id.get(outcome.first_out),
        "fits_remaining": [by_id[pk] for pk in outcome.fits_remaining],
        "grey_zone": [by_id[pk] for pk in outcome.grey_zone],
        "rows": [
            {
                key: row.get(key)
                for key in ("id", "reference", "title", "rank", "low", "high", "expected_rank")
            }
            | {
                "amount": str(row["amount"]),
                "score": row["score"],
                "status": row["status"],
                "grey": row["grey"],
            }
            for row in outcome.rows
        ],
        "moves": [
            {
                "reference": by_id.get(move.application_id),
                "direction": move.direction,
                "reason": move.reason,
                "actor": str(move.actor),
                "at": move.created_at.isoformat(),
            }
            for move in line.moves.all()
        ],
        "minimums": line.minimums,
        "shortfall": {str(topic): str(amount) for topic, amount in outcome.shortfall.items()},
        "lottery": line.lottery,
        "seed_source": line.seed_source,
        "seed_reference": line.seed_reference,
        "seed_published_after": line.seed_published_after.isoformat()
        if line.seed_published_after
        else None,
    }


def _record_of(call, actor, line) -> SelectionRecord:
    """The call's record, taken now if there is none yet."""
    record = SelectionRecord.objects.select_for_update().filter(call=call).first()
    if record is not None:
        return record
    jury = jury_of(call)
    basis = line.basis if line is not None else RankingBasis.CALIBRATED
    record = SelectionRecord.objects.create(
        call=call,
        basis=basis,
        taken_at=timezone.now(),
        ranking=ranking_snapshot(jury, basis) if jury is not None else {},
    )
    log_event(
        subject=record,
        action=events.RECORD_TAKEN,
        actor=actor,
        data={"basis": basis, "ranked": len(record.ranking.get("rows", []))},
    )
    return record


def record_decisions(*, call, actor, decided: list, reason: str = "") -> SelectionRecord:
    """Append ``decided`` (dicts: application, decision, reason) to the call's record,
    taking it first if need be, and bring the current line's snapshot up to date. Call
    inside the decision's transaction, with the call row locked."""
    line, outcome, statuses = line_statuses(call)
    record = _record_of(call, actor, line)
    if line is not None:
        record.lines[str(line.pk)] = line_snapshot(line, outcome)
    now = timezone.now().isoformat()
    for item in decided:
        application = item["application"]
        status = statuses.get(application.pk)
        record.decisions.append(
            {
                "id": application.pk,
                "reference": application.reference,
                "title": application.title,
                "decision": item["decision"],
                "state": application.state,
                "awarded": str(application.awarded_amount)
                if application.awarded_amount is not None
                else None,
                "reason": item.get("reason") or reason,
                "actor_id": actor.pk,
                "actor": str(actor),
                "at": now,
                "line": line.pk if line is not None else None,
                "line_status": status,
                "follows_line": follows_line(item["decision"], status),
            }
        )
    record.save(update_fields=["lines", "decisions"])
    return record


def seal_record(*, call, actor) -> SelectionRecord:
    """The call is marked as decided: its record is sealed (taken now if no decision was
    recorded yet)."""
    line = current_line(call)
    record = _record_of(call, actor, line)
    if line is not None and str(line.pk) not in record.lines:
        record.lines[str(line.pk)] = line_snapshot(line)
    record.sealed_at = timezone.now()
    record.save(update_fields=["lines", "sealed_at"])
    log_event(subject=record, action=events.RECORD_SEALED, actor=actor)
    return record
