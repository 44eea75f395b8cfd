"""The funding line: drawn from a snapshot of the ranking (after the topics' minimums), moved
by hand with reasons, its grey zone frozen together with the public source of the lottery's
seed, and ordered by a lottery whose seed is accepted only from that source, after the
moment named. Nothing of it before the reviews are in (review.services.readiness)."""

from decimal import Decimal

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import may
from core.errors import TransitionRefused, WorkflowError
from grants.models import Call
from grants.states import ApplicationState
from review import events
from review.line import line_candidates, line_needs, line_outcome
from review.maths import lottery
from review.maths.funding_line import draw_line, lottery_order
from review.models import FundingLine, FundingLineMove, TopicMinimum
from review.queries import jury_of, open_conflicts_of
from review.ranking import build_ranking
from review.services.readiness import require_reviews_in
from review.states import (
    NOTE_MAX_CHARS,
    SEED_MAX_CHARS,
    SEED_REFERENCE_MAX_CHARS,
    LineMove,
    LineState,
    RankingBasis,
    SeedSource,
)
from workflow.audit import log_event
from workflow.transitions import fire_transition

# Applications the line may still fund: reviewed and not decided, or on the waiting list.
LINE_STATES = (ApplicationState.REVIEWED, ApplicationState.WAITLISTED)
CENT = Decimal("0.01")
SNAPSHOT_KEYS = ("id", "reference", "title", "topic", "amount", "rank", "low", "high")


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
    require_reviews_in(call)


def _locked_line(line, actor) -> FundingLine:
    current = FundingLine.objects.select_for_update().select_related("call").get(pk=line.pk)
    _refuse_unless_allowed(actor, current.call)
    return current


def minimum_needs(jury, call) -> dict:
    """Topic id → {"name_de", "name_en", "share", "need"}: the euros each topic with a
    minimum share still needs, its awards in the call counted."""
    committed = call.committed_by_topic()
    needs = {}
    for minimum in TopicMinimum.objects.filter(jury=jury).select_related("topic"):
        target = (call.budget or Decimal("0")) * minimum.share / 100
        need = max(target - committed.get(minimum.topic_id, Decimal("0")), Decimal("0"))
        needs[str(minimum.topic_id)] = {
            "name_de": minimum.topic.name_de,
            "name_en": minimum.topic.name_en,
            "share": minimum.share,
            "need": str(need.quantize(CENT)),
        }
    return needs


def draw_funding_line(*, call: Call, actor, basis: str) -> FundingLine:
    """A new line from the current ranking (replacing a line still open). The money
    available is the budget less what has been awarded in the call already."""
    if basis not in RankingBasis.values:
        raise WorkflowError(_("Unknown ranking."))
    _refuse_unless_allowed(actor, call)
    if call.is_concept_stage:
        raise WorkflowError(
            _(
                "A concept call has no budget and no funding line: invite or do not invite each concept."
            )
        )
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
            {key: row[key] for key in SNAPSHOT_KEYS}
            | {"score": round(row[basis], 4), "expected_rank": round(row["expected_rank"], 2)}
            for row in ranking.rows
            if row["state"] in LINE_STATES
        ]
        if not snapshot:
            raise WorkflowError(_("No reviewed application awaits a decision."))
        available = locked.money_left()
        line = FundingLine.objects.create(
            call=locked,
            basis=basis,
            available=available,
            ranking=snapshot,
            minimums=minimum_needs(jury, locked),
            created_by=actor,
        )
        log_event(
            subject=line,
            action=events.LINE_DRAWN,
            actor=actor,
            to_state=line.state,
            data={
                "basis": basis,
                "available": available,
                "candidates": len(snapshot),
                "minimums": {topic: item["share"] for topic, item in line.minimums.items()},
            },
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


def freeze_grey_zone(
    *, line: FundingLine, actor, source: str, reference: str, published_after
) -> FundingLine:
    """Fix the list of applications the lottery will order, and name the public source of
    the seed (its kind and which draw or round) and the moment after which it is published:
    a moment still to come, so that nobody can know the seed yet."""
    reference = " ".join(reference.split())
    if source not in SeedSource.values:
        raise WorkflowError(
            _("Choose where the seed will come from."),
            field_errors={"source": [_("This field is required.")]},
        )
    if not reference or len(reference) > SEED_REFERENCE_MAX_CHARS:
        raise WorkflowError(
            _("Name the draw or round (at most %(limit)s characters).")
            % {"limit": SEED_REFERENCE_MAX_CHARS},
            field_errors={"reference": [_("This field is required.")]},
        )
    with transaction.atomic():
        current = _locked_line(line, actor)
        outcome = line_outcome(current)
        by_id = {row["id"]: row["reference"] for row in current.ranking}
        current.grey_zone = [by_id[pk] for pk in outcome.grey_zone]
        current.seed_source, current.seed_reference = source, reference
        current.seed_published_after = published_after
        try:
            fire_transition(
                subject=current,
                transition_name="freeze",
                actor=actor,
                expected_state=LineState.OPEN,
                data={
                    "grey_zone": current.grey_zone,
                    "line_rank": outcome.line_rank,
                    "seed_source": source,
                    "seed_reference": reference,
                    "seed_published_after": published_after.isoformat()
                    if published_after
                    else None,
                },
            )
        except TransitionRefused as refusal:
            raise _freeze_refusal(refusal) from None
    return current


def _freeze_refusal(refusal: TransitionRefused) -> WorkflowError:
    if "has_grey_zone" in refusal.failed_conditions:
        return WorkflowError(
            _("No rank interval crosses the line: there is nothing to draw lots for.")
        )
    if refusal.failed_conditions:  # no moment, or one that has passed
        return WorkflowError(
            _(
                "Name a moment still to come: the seed must be published after the grey zone is frozen."
            ),
            field_errors={"published_after": [_("A moment in the future.")]},
        )
    return refusal


def draw_lottery(*, line: FundingLine, actor, seed: str) -> FundingLine:
    """Order the frozen grey zone by SHA-256(seed ‖ reference) and go down the line in that
    order. The seed is accepted only in the form its named source publishes and only after
    the moment named at freezing. The list, source, seed, code version and result go into
    the log."""
    with transaction.atomic():
        current = _locked_line(line, actor)
        if current.state != LineState.FROZEN:
            raise WorkflowError(_("The grey zone must be frozen before the lottery is drawn."))
        seed = _checked_seed(current, seed)
        frozen = line_outcome(current)
        order = lottery.lottery_order(seed, current.grey_zone)
        by_reference = {row["reference"]: row["id"] for row in current.ranking}
        by_id = {row["id"]: row["reference"] for row in current.ranking}
        candidates = line_candidates(current)
        moves = frozen.moves
        result = draw_line(
            candidates,
            current.available,
            order=lottery_order(
                candidates,
                [by_reference[reference] for reference, _ticket in order],
                frozen.line_rank,
            ),
            fund=[pk for pk, move in moves.items() if move.direction == LineMove.FUND],
            do_not_fund=[
                pk for pk, move in moves.items() if move.direction == LineMove.DO_NOT_FUND
            ],
            minimums=line_needs(current),
        )
        current.seed = seed
        current.lottery = {
            "grey_zone": current.grey_zone,
            "source": current.seed_source,
            "source_reference": current.seed_reference,
            "published_after": current.seed_published_after.isoformat(),
            "seed": seed,
            "code_version": lottery.CODE_VERSION,
            "line_rank": frozen.line_rank,
            "available": str(current.available),
            "order": [{"reference": reference, "ticket": ticket} for reference, ticket in order],
            "funded": [by_id[pk] for pk in result.funded],
            "winners": [by_id[pk] for pk in result.funded if by_id[pk] in current.grey_zone],
        }
        try:
            fire_transition(
                subject=current,
                transition_name="draw",
                actor=actor,
                expected_state=LineState.FROZEN,
                data=current.lottery,
            )
        except TransitionRefused as refusal:
            if "seed_is_published" in refusal.failed_conditions:
                raise _too_early(current) from None
            raise
    return current


def _checked_seed(line, seed: str) -> str:
    seed = lottery.normalise_seed(seed, line.seed_source)
    if not seed:
        raise WorkflowError(
            _("Enter the seed."), field_errors={"seed": [_("This field is required.")]}
        )
    if len(seed) > SEED_MAX_CHARS:
        raise WorkflowError(
            _("The seed is too long (at most %(limit)s characters).") % {"limit": SEED_MAX_CHARS},
            field_errors={"seed": [_("At most %(limit)s characters.") % {"limit": SEED_MAX_CHARS}]},
        )
    if not line.seed_is_published():
        raise _too_early(line)
    if not lottery.seed_fits_source(seed, line.seed_source):
        raise WorkflowError(
            _("This is not what %(source)s publishes: %(form)s.")
            % {"source": line.get_seed_source_display(), "form": SEED_FORMS[line.seed_source]},
            field_errors={"seed": [SEED_FORMS[line.seed_source]]},
        )
    return seed


SEED_FORMS = {
    SeedSource.LOTTERY_DRAW: gettext_lazy("the drawn numbers"),
    SeedSource.DRAND: gettext_lazy("the round's randomness, 64 hexadecimal digits"),
    SeedSource.NIST_BEACON: gettext_lazy("the pulse's output value, 128 hexadecimal digits"),
    SeedSource.OTHER: gettext_lazy("the published value"),
}


def _too_early(line) -> WorkflowError:
    return WorkflowError(
        _("The seed is accepted only after %(moment)s, when %(reference)s has been published.")
        % {
            "moment": formats.date_format(
                timezone.localtime(line.seed_published_after), "DATETIME_FORMAT"
            ),
            "reference": line.seed_reference,
        },
        field_errors={"seed": [_("Not published yet.")]},
    )


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
