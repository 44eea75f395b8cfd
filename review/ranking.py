"""The ranking staff read: one query for the scores, pandas and numpy for the rest
(review/maths). Weighted totals per review; the additive model (application effect +
juror offset + noise) for the calibrated score, the expected rank, 90 % rank intervals,
juror leniency and the disagreement left after the offsets; Krippendorff's alpha per
criterion."""

from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd

from review import queries
from review.maths import alpha as alpha_maths
from review.maths.calibration import calibrated_ranking, review_totals
from review.states import RankingBasis

SORT_KEYS = ("rank", "raw", "calibrated", "count", "spread", "reference", "amount")
DISAGREEMENTS_SHOWN = 15


@dataclass
class Ranking:
    basis: str
    rows: list = field(default_factory=list)  # ranked applications, best first
    unreviewed: list = field(default_factory=list)  # no submitted review yet
    leniency: list = field(default_factory=list)
    alpha: list = field(default_factory=list)
    overall_alpha: float | None = None
    review_count: int = 0
    residual_sd: float | None = None  # the noise of one review
    application_sd: float | None = None  # how much applications differ
    juror_sd: float | None = None  # how much the jurors' offsets differ

    @property
    def disagreements(self) -> list:
        """Applications with at least two reviews, largest spread after the jurors'
        offsets first."""
        rows = [row for row in self.rows if row["count"] >= 2 and row["spread"] > 0]
        return sorted(rows, key=lambda row: (-row["spread"], row["reference"]))[
            :DISAGREEMENTS_SHOWN
        ]

    def sorted_rows(self, sort: str) -> list:
        key, reverse = sort.lstrip("-"), sort.startswith("-")
        if key not in SORT_KEYS:
            key, reverse = "rank", False
        # Higher scores first by default; rank and reference ascend.
        getters = {
            "rank": lambda row: (row["rank"], row["reference"]),
            "raw": lambda row: (-row["raw"], row["reference"]),
            "calibrated": lambda row: (-row["calibrated"], row["reference"]),
            "count": lambda row: (-row["count"], row["reference"]),
            "spread": lambda row: (-row["spread"], row["reference"]),
            "reference": lambda row: row["reference"],
            "amount": lambda row: (-row["amount"], row["reference"]),
        }
        return sorted(self.rows, key=getters[key], reverse=reverse)


def score_frame(rows) -> pd.DataFrame:
    return pd.DataFrame.from_records(
        list(rows), columns=["review", "application", "juror", "criterion", "value"]
    ).astype({"value": float})


def criteria_frame(criteria) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"criterion": c.pk, "weight": c.weight, "low": c.bounds[0], "high": c.bounds[1]}
            for c in criteria
        ],
        columns=["criterion", "weight", "low", "high"],
    )


def compute(scores: pd.DataFrame, criteria: list, applications: list, names: dict, *, basis: str):
    """The ranking from plain data: ``scores`` (score_frame), the criteria, the ranked
    applications (dicts with pk, reference, title, state, requested_amount,
    awarded_amount) and juror names by id."""
    basis = basis if basis in RankingBasis.values else RankingBasis.CALIBRATED
    reviews = review_totals(scores, criteria_frame(criteria))
    calibration = calibrated_ranking(reviews, calibrated=basis == RankingBasis.CALIBRATED)
    summary = calibration.applications.set_index("application").to_dict("index")
    ranking = Ranking(
        basis=basis,
        review_count=len(reviews),
        residual_sd=calibration.residual_sd,
        application_sd=calibration.application_sd,
        juror_sd=calibration.juror_sd,
    )
    for application in applications:
        pk = application["pk"]
        row = {
            "id": pk,
            "reference": application["reference"],
            "title": application["title"],
            "state": application["state"],
            "amount": application["requested_amount"],
            "awarded": application["awarded_amount"],
        }
        if pk not in summary:
            ranking.unreviewed.append(row)
            continue
        figures = summary[pk]
        row |= {
            key: float(figures[key])
            for key in (
                "raw",
                "calibrated",
                "se",
                "lowest",
                "highest",
                "adjusted_lowest",
                "adjusted_highest",
                "spread",
                "expected_rank",
            )
        } | {key: int(figures[key]) for key in ("count", "rank", "low", "high")}
        ranking.rows.append(row)
    ranking.rows.sort(key=lambda row: (row["rank"], row["reference"]))
    if len(reviews):
        ranking.leniency = [
            {
                "juror": names.get(item["juror"], "?"),
                "mean": float(item["mean"]),
                "count": int(item["count"]),
                "offset": float(item["offset"]),
                "offset_se": float(item["offset_se"]),
            }
            for item in calibration.jurors.to_dict("records")
        ]
        by_criterion = alpha_maths.alpha_by_criterion(scores)
        ranking.alpha = [
            {"criterion": criterion, "alpha": by_criterion.get(criterion.pk)}
            for criterion in criteria
        ]
        ranking.overall_alpha = alpha_maths.alpha(
            alpha_maths.reliability_matrix(reviews, value="total")
        )
    return ranking


def build_ranking(jury, viewer, *, basis: str = RankingBasis.CALIBRATED) -> Ranking:
    """Four queries: scores, criteria, applications, juror names."""
    call = jury.call
    return compute(
        score_frame(queries.ranking_scores(call, viewer)),
        list(queries.criteria_of(jury)),
        list(queries.ranked_applications(call, viewer)),
        queries.juror_names(jury),
        basis=basis,
    )


def as_decimal(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


# The funding line, computed from its stored snapshot (review.models.FundingLine).


@dataclass
class LineOutcome:
    rows: list  # the snapshot's rows in ranking order, each with "status"
    funded: list  # ids, in the order the money was spent
    left: Decimal
    line_rank: int | None
    grey_zone: list  # ids
    moves: dict  # id → the move in force (FundingLineMove)
    lottery: list  # [{"reference", "ticket", "id"}] in lottery order, once drawn

    @property
    def funded_amount(self) -> Decimal:
        by_id = {row["id"]: row for row in self.rows}
        return sum((as_decimal(by_id[pk]["amount"]) for pk in self.funded), Decimal("0"))


def line_candidates(line) -> list:
    from review.maths.funding_line import Candidate

    return [
        Candidate(row["id"], as_decimal(row["amount"]), row["rank"], row["low"], row["high"])
        for row in line.ranking
    ]


def line_outcome(line) -> LineOutcome:
    from review.maths.funding_line import grey_zone, lottery_walk_order, walk
    from review.states import LineMove, LineState

    candidates = line_candidates(line)
    moves = {}
    for move in line.moves.all():  # later moves of the same application win
        moves[move.application_id] = move
    fund = [pk for pk, move in moves.items() if move.direction == LineMove.FUND]
    do_not_fund = [pk for pk, move in moves.items() if move.direction == LineMove.DO_NOT_FUND]
    available = as_decimal(line.available)
    plain = walk(candidates, available, fund=fund, do_not_fund=do_not_fund)
    by_reference = {row["reference"]: row["id"] for row in line.ranking}
    if line.state == LineState.OPEN:
        grey = grey_zone(candidates, plain.line_rank, moved=moves)
    else:
        grey = [by_reference[reference] for reference in line.grey_zone]
    result, lottery = plain, []
    if line.state == LineState.DRAWN:
        lottery = [
            {**entry, "id": by_reference[entry["reference"]]} for entry in line.lottery["order"]
        ]
        order = lottery_walk_order(
            candidates, [entry["id"] for entry in lottery], line.lottery["line_rank"]
        )
        result = walk(order, available, fund=fund, do_not_fund=do_not_fund)
    funded, in_grey = set(result.funded), set(grey)
    rows = []
    for row in line.ranking:
        if row["id"] in moves:
            status = "moved_in" if row["id"] in funded else "moved_out"
        elif row["id"] in funded:
            status = "funded"
        elif row["id"] in result.skipped:
            status = "does_not_fit"
        else:
            status = "below"
        rows.append({**row, "status": status, "grey": row["id"] in in_grey})
    return LineOutcome(
        rows=rows,
        funded=result.funded,
        left=result.left,
        line_rank=plain.line_rank,
        grey_zone=grey,
        moves=moves,
        lottery=lottery,
    )


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
