"""The ranking staff read. The model's figures (review/maths: weighted totals per review; the
additive model, application effect + juror offset + noise, for the calibrated score, the
expected rank, 90 % rank intervals, juror leniency and the disagreement left after the
offsets; Krippendorff's alpha per criterion) are computed once per version of their input
and stored (review.services.rankings); the pages join them with the applications' and
jurors' current names, titles, states and amounts."""

import hashlib
import json
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from review import queries
from review.maths import alpha as alpha_maths
from review.maths.calibration import calibrated_ranking, review_totals
from review.states import RankingBasis

SORT_KEYS = ("rank", "raw", "calibrated", "count", "spread", "reference", "amount")
DISAGREEMENTS_SHOWN = 15
FLOAT_FIGURES = (
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
WHOLE_FIGURES = ("count", "rank", "low", "high")


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
    """Score rows (review, application, juror, criterion, value[, review version])."""
    columns = ["review", "application", "juror", "criterion", "value"]
    return pd.DataFrame.from_records([row[:5] for row in rows], columns=columns).astype(
        {"value": float}
    )


def criteria_frame(criteria) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"criterion": c.pk, "weight": c.weight, "low": c.bounds[0], "high": c.bounds[1]}
            for c in criteria
        ],
        columns=["criterion", "weight", "low", "high"],
    )


def input_version(basis: str, criteria, reviews) -> str:
    """The version of the ranking's input: SHA-256 of the basis, the criteria (id, weight,
    scale) and the counted reviews as (id, version) pairs (see StoredRanking). The pairs,
    thousands of them, are hashed as sorted 64-bit little-endian integers: fast to make."""
    header = {"basis": basis, "criteria": sorted([c.pk, c.weight, c.scale] for c in criteria)}
    pairs = np.array(list(reviews), dtype="<i8").reshape(-1, 2)
    pairs = pairs[np.lexsort((pairs[:, 1], pairs[:, 0]))]
    digest = hashlib.sha256(json.dumps(header, separators=(",", ":")).encode())
    digest.update(pairs.tobytes())
    return digest.hexdigest()


def row_key(application_id) -> str:
    """An application's key in the stored figures: "a" and its id (a bare number would be
    read as a list index by the database's JSON paths)."""
    return f"a{int(application_id)}"


def _number(value) -> float | None:
    """A figure as a JSON number: missing or not finite becomes None."""
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def model_figures(scores: pd.DataFrame, criteria: list, *, basis: str) -> dict:
    """Everything the model computes from the scores (score_frame) and criteria, as plain
    JSON: per application (by row_key) its figures, per juror the offset, per
    criterion (id, as text) the alpha, and the jury's spreads."""
    basis = basis if basis in RankingBasis.values else RankingBasis.CALIBRATED
    reviews = review_totals(scores, criteria_frame(criteria))
    calibration = calibrated_ranking(reviews, calibrated=basis == RankingBasis.CALIBRATED)
    figures = {
        "basis": basis,
        "review_count": len(reviews),
        "residual_sd": _number(calibration.residual_sd),
        "application_sd": _number(calibration.application_sd),
        "juror_sd": _number(calibration.juror_sd),
        "applications": {
            row_key(item["application"]): {key: _number(item[key]) for key in FLOAT_FIGURES}
            | {key: int(item[key]) for key in WHOLE_FIGURES}
            for item in calibration.applications.to_dict("records")
        },
        "jurors": [],
        "alpha": {},
        "overall_alpha": None,
    }
    if len(reviews):
        figures["jurors"] = [
            {
                "juror": int(item["juror"]),
                "mean": _number(item["mean"]),
                "count": int(item["count"]),
                "offset": _number(item["offset"]),
                "offset_se": _number(item["offset_se"]),
            }
            for item in calibration.jurors.to_dict("records")
        ]
        by_criterion = alpha_maths.alpha_by_criterion(scores)
        figures["alpha"] = {
            str(criterion.pk): _number(by_criterion.get(criterion.pk)) for criterion in criteria
        }
        figures["overall_alpha"] = _number(
            alpha_maths.alpha(alpha_maths.reliability_matrix(reviews, value="total"))
        )
    return figures


def display_row(application: dict) -> dict:
    return {
        "id": application["pk"],
        "reference": application["reference"],
        "title": application["title"],
        "topic": application["topic_id"],
        "state": application["state"],
        "amount": application["requested_amount"],
        "awarded": application["awarded_amount"],
    }


def assemble(figures: dict, criteria: list, applications: list, names: dict) -> Ranking:
    """The ranking of the stored ``figures`` with the applications' current display fields
    (dicts with pk, reference, title, topic_id, state, requested_amount, awarded_amount)
    and juror names by id."""
    ranking = Ranking(
        basis=figures["basis"],
        review_count=figures["review_count"],
        residual_sd=figures["residual_sd"],
        application_sd=figures["application_sd"],
        juror_sd=figures["juror_sd"],
        overall_alpha=figures["overall_alpha"],
    )
    by_application = figures["applications"]
    for application in applications:
        row = display_row(application)
        computed = by_application.get(row_key(application["pk"]))
        if computed is None:
            ranking.unreviewed.append(row)
        else:
            ranking.rows.append(row | computed)
    ranking.rows.sort(key=lambda row: (row["rank"], row["reference"]))
    ranking.leniency = [
        {**item, "juror": names.get(item["juror"], "?")} for item in figures["jurors"]
    ]
    if figures["jurors"]:
        ranking.alpha = [
            {"criterion": criterion, "alpha": figures["alpha"].get(str(criterion.pk))}
            for criterion in criteria
        ]
    return ranking


def compute(scores: pd.DataFrame, criteria: list, applications: list, names: dict, *, basis: str):
    """The ranking from plain data, computed now (tests, benchmarks)."""
    return assemble(model_figures(scores, criteria, basis=basis), criteria, applications, names)


def build_ranking(jury, viewer, *, basis: str = RankingBasis.CALIBRATED) -> Ranking:
    """The call's ranking as ``viewer`` sees it: the stored figures of the current input
    (computed first if there are none) with the current applications and juror names.
    Six queries when the figures are stored."""
    from review.services.rankings import current_figures

    basis = basis if basis in RankingBasis.values else RankingBasis.CALIBRATED
    criteria = list(queries.criteria_of(jury))
    figures = current_figures(jury.call, viewer, basis=basis, criteria=criteria)
    return assemble(
        figures,
        criteria,
        list(queries.ranked_applications(jury.call, viewer)),
        queries.juror_names(jury),
    )


def ranking_row(jury, viewer, application, *, basis: str = RankingBasis.CALIBRATED, criteria=None):
    """One application's row of the ranking (its stored figures and display fields), or
    None if it has no counted review. Two queries when the figures are stored (three
    without ``criteria``, the jury's as the caller read them)."""
    from review.services.rankings import current_row

    criteria = list(queries.criteria_of(jury)) if criteria is None else criteria
    computed = current_row(jury.call, viewer, application.pk, basis=basis, criteria=criteria)
    if computed is None:
        return None
    return {
        "id": application.pk,
        "reference": application.reference,
        "title": application.title,
        "state": application.state,
        "amount": application.requested_amount,
    } | computed
