"""The score of each measured path, kept in ``mutation/scores.json`` (``bin/mutate
--record``): path -> commit, date, killed, survived, equivalent, score. A run updates the
entries of the paths it measured and keeps the others."""

import json
import subprocess
from pathlib import Path

FIELDS = ("commit", "date", "killed", "survived", "equivalent", "score")


def under(path: str, file: str) -> bool:
    path = path.rstrip("/")
    return file == path or file.startswith(path + "/")


def score_of(killed: int, survived: int) -> float:
    return round(100 * killed / (killed + survived), 1) if killed + survived else 100.0


def scores_by_path(outcomes, paths, *, commit: str, date: str) -> dict:
    """``outcomes``: (file, outcome) per mutant; a mutant that no test runs counts as
    survived, one whose tests could not run counts nowhere (the run then fails)."""
    scores = {}
    for path in paths:
        counts = {"killed": 0, "survived": 0, "equivalent": 0}
        for file, outcome in outcomes:
            if under(path, file):
                key = "survived" if outcome == "not covered" else outcome
                if key in counts:
                    counts[key] += 1
        scores[path.rstrip("/")] = {
            "commit": commit,
            "date": date,
            **counts,
            "score": score_of(counts["killed"], counts["survived"]),
        }
    return scores


def merge(existing: dict, new: dict) -> dict:
    return dict(sorted({**existing, **new}.items()))


def current_commit(root: Path) -> str:
    """HEAD, marked when Python files (code or tests) differ from it: the score is then
    of uncommitted code."""
    head = subprocess.run(  # noqa: S603 (fixed arguments)
        ["git", "rev-parse", "HEAD"],  # noqa: S607
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    changed = subprocess.run(  # noqa: S603 (fixed arguments)
        ["git", "status", "--porcelain", "--", "*.py"],  # noqa: S607
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    return f"{head}+uncommitted" if changed else head


def record(path: Path, scores: dict) -> None:
    existing = json.loads(path.read_text()) if path.exists() else {}
    path.write_text(json.dumps(merge(existing, scores), indent=2) + "\n")
