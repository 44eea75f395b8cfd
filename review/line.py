"""The funding line, read from its stored snapshot (review.models.FundingLine): where the
line lies, what it funds and why, what fits the remaining money, the grey zone and, once
drawn, the lottery's order. The arithmetic is review.maths.funding_line."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils import translation

from review import queries
from review.maths.funding_line import Candidate, draw_line, grey_zone, lottery_order
from review.ranking import build_ranking
from review.states import LINE_FUNDS, LineMove, LineState, LineStatus, RankingBasis


def as_decimal(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


@dataclass
class LineOutcome:
    rows: list  # the snapshot's rows in ranking order, each with "status" and "grey"
    funded: list  # ids, in the order the money was spent
    left: Decimal
    line_rank: int | None  # the line lies below this rank (before any lottery)
    first_out: object  # id of the first application that no longer fits, or None
    fits_remaining: list  # ids below the line that fit the money left, in ranking order
    grey_zone: list  # ids
    moves: dict  # id → the move in force (FundingLineMove)
    lottery: list  # [{"reference", "ticket", "id"}] in lottery order, once drawn
    shortfall: dict  # topic id → euros its minimum could not reach

    @property
    def funded_amount(self) -> Decimal:
        by_id = {row["id"]: row for row in self.rows}
        return sum((as_decimal(by_id[pk]["amount"]) for pk in self.funded), Decimal("0"))

    @property
    def status_of(self) -> dict:
        return {row["id"]: row["status"] for row in self.rows}

    @property
    def first_out_row(self):
        return next((row for row in self.rows if row["id"] == self.first_out), None)


@dataclass
class TrackGroup:
    track: object  # the call's CallTrack, or None for applications without one
    rows: list  # the track's rows in rank order, each with its running totals
    requested: Decimal
    proposed: Decimal

    @property
    def over_cap(self) -> list:
        return [row for row in self.rows if row["over_cap"]]


def track_groups(rows) -> list[TrackGroup]:
    """The line's rows (in rank order, each with its "track" and "status") grouped by the
    call's tracks in their order, applications without a track last. Each row gets what
    the line proposes for it and the running totals of that, in its track and overall."""
    groups: dict = {}
    overall = Decimal("0")
    for row in rows:
        track = row["track"]
        group = groups.get(track)
        if group is None:
            group = groups[track] = TrackGroup(track, [], Decimal("0"), Decimal("0"))
        amount = as_decimal(row["amount"])
        proposed = amount if row["status"] in LINE_FUNDS else Decimal("0")
        overall += proposed
        group.requested += amount
        group.proposed += proposed
        cap = track.cap if track is not None else None
        group.rows.append(
            row
            | {
                "proposed": proposed,
                "track_total": group.proposed,
                "overall_total": overall,
                "over_cap": cap is not None and amount > cap,
            }
        )
    return sorted(
        groups.values(),
        key=lambda group: (
            group.track is None,
            (group.track.position, group.track.pk) if group.track else (0, 0),
        ),
    )


def line_candidates(line) -> list[Candidate]:
    return [
        Candidate(
            row["id"],
            as_decimal(row["amount"]),
            row["rank"],
            row["low"],
            row["high"],
            row.get("topic"),
        )
        for row in line.ranking
    ]


def line_needs(line) -> dict:
    """Topic id → the euros its minimum still needed when the line was drawn."""
    return {int(topic): as_decimal(item["need"]) for topic, item in line.minimums.items()}


def minimum_rows(line, outcome) -> list[dict]:
    """The topics' minimums the line was drawn with, named in the current language, with
    what each still needed and any shortfall."""
    german = translation.get_language() == "de"
    return [
        {
            "name": item["name_de"] if german else item["name_en"],
            "share": item["share"],
            "need": as_decimal(item["need"]),
            "shortfall": outcome.shortfall.get(int(topic)),
        }
        for topic, item in sorted(line.minimums.items(), key=lambda pair: pair[1]["name_en"])
    ]


def _moves(line) -> dict:
    moves = {}
    for move in line.moves.all():  # later moves of the same application win
        moves[move.application_id] = move
    return moves


def line_outcome(line) -> LineOutcome:
    candidates = line_candidates(line)
    moves = _moves(line)
    hand = {
        "fund": [pk for pk, move in moves.items() if move.direction == LineMove.FUND],
        "do_not_fund": [pk for pk, move in moves.items() if move.direction == LineMove.DO_NOT_FUND],
        "minimums": line_needs(line),
    }
    available = as_decimal(line.available)
    plain = draw_line(candidates, available, **hand)
    by_reference = {row["reference"]: row["id"] for row in line.ranking}
    if line.state == LineState.OPEN:
        grey = grey_zone(candidates, plain.line_rank, decided=[*moves, *plain.by_minimum])
    else:
        grey = [by_reference[reference] for reference in line.grey_zone]
    result, lottery = plain, []
    if line.state == LineState.DRAWN:
        lottery = [
            {**entry, "id": by_reference[entry["reference"]]} for entry in line.lottery["order"]
        ]
        order = lottery_order(
            candidates, [entry["id"] for entry in lottery], line.lottery["line_rank"]
        )
        result = draw_line(candidates, available, order=order, **hand)
    statuses = _statuses(result, moves)
    in_grey = set(grey)
    return LineOutcome(
        rows=[
            {**row, "status": statuses[row["id"]], "grey": row["id"] in in_grey}
            for row in line.ranking
        ],
        funded=result.funded,
        left=result.left,
        line_rank=plain.line_rank,
        first_out=result.first_out,
        fits_remaining=result.fits_remaining,
        grey_zone=grey,
        moves=moves,
        lottery=lottery,
        shortfall=result.shortfall,
    )


def _statuses(result, moves) -> dict:
    statuses = {}
    for pk in result.by_minimum:
        statuses[pk] = LineStatus.MINIMUM
    for pk in result.above:
        statuses[pk] = LineStatus.FUNDED
    for pk in result.fits_remaining:
        statuses[pk] = LineStatus.FITS_REMAINING
    if result.first_out is not None:
        statuses[result.first_out] = LineStatus.FIRST_OUT
    for pk, move in moves.items():
        statuses[pk] = (
            LineStatus.MOVED_IN if move.direction == LineMove.FUND else LineStatus.MOVED_OUT
        )
    return _DefaultBelow(statuses)


class _DefaultBelow(dict):
    def __missing__(self, key):
        return LineStatus.BELOW


def line_statuses(call):
    """The current line of ``call``, its outcome and what it says of each application
    (id → status); (None, None, {}) without a line."""
    line = queries.current_line(call)
    if line is None:
        return None, None, {}
    outcome = line_outcome(line)
    return line, outcome, outcome.status_of


def waitlisted_in_ranking_order(jury, viewer, *, basis=RankingBasis.CALIBRATED) -> list[dict]:
    """Waiting-list applications, best first, each marked whether it fits into the money
    left now (going down the list, skipping what does not fit)."""
    from grants.states import ApplicationState

    call = jury.call
    ranking = build_ranking(jury, viewer, basis=basis)
    left = call.money_left()
    rows = []
    for row in ranking.rows + ranking.unreviewed:
        if row["state"] != ApplicationState.WAITLISTED:
            continue
        fits = row["amount"] <= left
        if fits:
            left -= row["amount"]
        rows.append({**row, "fits": fits})
    return rows


def waitlist_plan(jury, viewer) -> dict:
    """The waiting-list page: the applications in ranking order, those that fit into the
    money left (and what they cost), the money committed and left."""
    call = jury.call
    plan = waitlisted_in_ranking_order(jury, viewer)
    committed = call.committed_amount()
    return {
        "plan": plan,
        "fitting": [row["id"] for row in plan if row["fits"]],
        "committed": committed,
        "left": call.money_left(committed),
        "fitting_total": sum((row["amount"] for row in plan if row["fits"]), 0),
    }
