"""The funding line: drawn from a snapshot of the ranking, moved by hand with reasons,
its grey zone frozen, and ordered by a lottery whose seed is entered after freezing."""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.access import may
from core.errors import TransitionRefused, WorkflowError
from grants.models import Call
from grants.states import ApplicationState
from review import events
from review.maths import lottery
from review.maths.funding_line import lottery_walk_order, walk
from review.models import FundingLine, FundingLineMove
from review.queries import jury_of, open_conflicts_of
from review.ranking import build_ranking, line_candidates, line_outcome
from review.states import NOTE_MAX_CHARS, SEED_MAX_CHARS, LineMove, LineState, RankingBasis
from workflow.audit import log_event
from workflow.transitions import fire_transition

# Applications the line may still fund: reviewed and not decided, or on the waiting list.
LINE_STATES = (ApplicationState.REVIEWED, ApplicationState.WAITLISTED)


def _refuse_unless_allowed(actor, call):
    if not may(actor, "review.draw_funding_line"):
        raise WorkflowError(_("You may not do this now."))
    if open_conflicts_of(actor, call):
        raise WorkflowError(
            _(
                "You have a conflict of interest with an application of this call, so a "
                "colleague has to draw the funding line and decide."
            )
        )


def _locked_line(line, actor) -> FundingLine:
    current = FundingLine.objects.select_for_update().select_related("call").get(pk=line.pk)
    _refuse_unless_allowed(actor, current.call)
    return current


def draw_funding_line(*, call: Call, actor, basis: str) -> FundingLine:
    """A new line from the current ranking (replacing a line still open). The money
    available is the budget less what has been awarded in the call already."""
    if basis not in RankingBasis.values:
        raise WorkflowError(_("Unknown ranking."))
    _refuse_unless_allowed(actor, call)
    jury = jury_of(call)
    if jury is None:
        raise WorkflowError(_("This call has no jury yet."))
    with transaction.atomic():
        locked = Call.objects.select_for_update().get(pk=call.pk)
        current = (
            FundingLine.objects.select_for_update()
            .filter(call=locked)
            .exclude(state=LineState.DISCARDED)
            .first()
        )
        if current is not None:
            if current.state != LineState.OPEN:
                raise WorkflowError(
                    _(
                        "The grey zone of the current line is frozen or drawn: it can no longer be redrawn."
                    )
                )
            fire_transition(subject=current, transition_name="discard", actor=actor)
        ranking = build_ranking(jury, actor, basis=basis)
        snapshot = [
            {key: row[key] for key in ("id", "reference", "title", "amount", "rank", "low", "high")}
            | {"score": round(row[basis], 4)}
            for row in ranking.rows
            if row["state"] in LINE_STATES
        ]
        if not snapshot:
            raise WorkflowError(_("No reviewed application awaits a decision."))
        available = locked.money_left()
        line = FundingLine.objects.create(
            call=locked, basis=basis, available=available, ranking=snapshot, created_by=actor
        )
        log_event(
            subject=line,
            action=events.LINE_DRAWN,
            actor=actor,
            to_state=line.state,
            data={"basis": basis, "available": available, "candidates": len(snapshot)},
        )
    return line


def move_on_line(
    *, line: FundingLine, actor, application_id: int, direction: str, reason: str
) -> FundingLineMove:
    reason = reason.strip()
    if direction not in LineMove.values:
        raise WorkflowError(_("Choose where to move the application."))
    if not reason:
        raise WorkflowError(
            _("Give the reason for moving the application."),
            field_errors={"reason": [_("This field is required.")]},
        )
    if len(reason) > NOTE_MAX_CHARS:
        raise WorkflowError(
            _("The reason is too long (at most %(limit)s characters).") % {"limit": NOTE_MAX_CHARS}
        )
    with transaction.atomic():
        current = _locked_line(line, actor)
        if current.state != LineState.OPEN:
            raise WorkflowError(_("The grey zone is frozen: the line can no longer be changed."))
        row = next((row for row in current.ranking if row["id"] == application_id), None)
        if row is None:
            raise WorkflowError(_("This application is not on the line."))
        move = FundingLineMove.objects.create(
            line=current,
            application_id=application_id,
            direction=direction,
            reason=reason,
            actor=actor,
        )
        log_event(
            subject=current,
            action=events.LINE_MOVED,
            actor=actor,
            from_state=current.state,
            to_state=current.state,
            note=reason,
            data={"application": row["reference"], "direction": direction},
        )
    return move


def freeze_grey_zone(*, line: FundingLine, actor) -> FundingLine:
    """Fix the list of applications the lottery will order; the seed comes afterwards."""
    with transaction.atomic():
        current = _locked_line(line, actor)
        outcome = line_outcome(current)
        by_id = {row["id"]: row["reference"] for row in current.ranking}
        current.grey_zone = [by_id[pk] for pk in outcome.grey_zone]
        try:
            fire_transition(
                subject=current,
                transition_name="freeze",
                actor=actor,
                expected_state=LineState.OPEN,
                data={"grey_zone": current.grey_zone, "line_rank": outcome.line_rank},
            )
        except TransitionRefused as refusal:
            if "has_grey_zone" in refusal.failed_conditions:
                raise WorkflowError(
                    _("No rank interval crosses the line: there is nothing to draw lots for.")
                ) from None
            raise
    return current


def draw_lottery(*, line: FundingLine, actor, seed: str) -> FundingLine:
    """Order the frozen grey zone by SHA-256(seed ‖ reference) and spend the money in that
    order. The list, the seed, the code version and the result go into the log."""
    seed = lottery.normalise_seed(seed)
    if not seed:
        raise WorkflowError(
            _("Enter the seed."), field_errors={"seed": [_("This field is required.")]}
        )
    if len(seed) > SEED_MAX_CHARS:
        raise WorkflowError(
            _("The seed is too long (at most %(limit)s characters).") % {"limit": SEED_MAX_CHARS},
            field_errors={"seed": [_("At most %(limit)s characters.") % {"limit": SEED_MAX_CHARS}]},
        )
    with transaction.atomic():
        current = _locked_line(line, actor)
        if current.state != LineState.FROZEN:
            raise WorkflowError(_("The grey zone must be frozen before the lottery is drawn."))
        frozen = line_outcome(current)
        order = lottery.lottery_order(seed, current.grey_zone)
        by_reference = {row["reference"]: row["id"] for row in current.ranking}
        by_id = {row["id"]: row["reference"] for row in current.ranking}
        spending = lottery_walk_order(
            line_candidates(current),
            [by_reference[reference] for reference, _ticket in order],
            frozen.line_rank,
        )
        moves = frozen.moves
        result = walk(
            spending,
            current.available,
            fund=[pk for pk, move in moves.items() if move.direction == LineMove.FUND],
            do_not_fund=[
                pk for pk, move in moves.items() if move.direction == LineMove.DO_NOT_FUND
            ],
        )
        current.seed = seed
        current.lottery = {
            "grey_zone": current.grey_zone,
            "seed": seed,
            "code_version": lottery.CODE_VERSION,
            "line_rank": frozen.line_rank,
            "available": str(current.available),
            "order": [{"reference": reference, "ticket": ticket} for reference, ticket in order],
            "funded": [by_id[pk] for pk in result.funded],
            "winners": [by_id[pk] for pk in result.funded if by_id[pk] in current.grey_zone],
        }
        fire_transition(
            subject=current,
            transition_name="draw",
            actor=actor,
            expected_state=LineState.FROZEN,
            data=current.lottery,
        )
    return current


def discard_line(*, line: FundingLine, actor) -> FundingLine:
    with transaction.atomic():
        current = _locked_line(line, actor)
        fire_transition(
            subject=current,
            transition_name="discard",
            actor=actor,
            refused_message=_("A line whose lottery has been drawn is kept."),
        )
    return current
