"""The scores per path that bin/mutate --record keeps in mutation/scores.json."""

import json

from mutation.scores import merge, record, scores_by_path, under

OUTCOMES = [
    ("grants/contracts/services/changes.py", "killed"),
    ("grants/contracts/services/changes.py", "killed"),
    ("grants/contracts/services/changes.py", "survived"),
    ("grants/contracts/services/changes.py", "equivalent"),
    ("grants/contracts/services/closing.py", "killed"),
    ("grants/contracts/services/closing.py", "not covered"),
    ("grants/contracts/services/closing.py", "incompetent"),
    ("grants/rules.py", "killed"),
]


def test_a_path_counts_the_mutants_of_its_files():
    scores = scores_by_path(
        OUTCOMES,
        ["grants/contracts/services/", "grants/contracts/services/changes.py", "grants/rules.py"],
        commit="abc",
        date="2026-12-05",
    )

    assert scores == {
        "grants/contracts/services": {
            "commit": "abc",
            "date": "2026-12-05",
            "killed": 3,
            "survived": 2,
            "equivalent": 1,
            "score": 60.0,
        },
        "grants/contracts/services/changes.py": {
            "commit": "abc",
            "date": "2026-12-05",
            "killed": 2,
            "survived": 1,
            "equivalent": 1,
            "score": 66.7,
        },
        "grants/rules.py": {
            "commit": "abc",
            "date": "2026-12-05",
            "killed": 1,
            "survived": 0,
            "equivalent": 0,
            "score": 100.0,
        },
    }


def test_a_path_without_mutants_scores_100():
    scores = scores_by_path(OUTCOMES, ["review/rules.py"], commit="abc", date="2026-12-05")

    assert scores["review/rules.py"]["score"] == 100.0
    assert scores["review/rules.py"]["killed"] == 0


def test_a_folder_is_not_a_prefix_of_a_longer_name():
    assert under("grants/contracts", "grants/contracts/services/changes.py") is True
    assert under("grants/rules.py", "grants/rules.py") is True
    assert under("grants/rule", "grants/rules.py") is False
    assert under("review/services", "review/services_old/x.py") is False


def test_recording_merges_by_path_and_keeps_other_entries(tmp_path):
    path = tmp_path / "scores.json"
    path.write_text(json.dumps({"reporting": {"score": 91.0}, "grants/rules.py": {"score": 1}}))

    record(path, {"grants/rules.py": {"score": 95.5}, "grants/visibility.py": {"score": 90.0}})

    assert json.loads(path.read_text()) == {
        "grants/rules.py": {"score": 95.5},
        "grants/visibility.py": {"score": 90.0},
        "reporting": {"score": 91.0},
    }
    assert merge({}, {"b": 1, "a": 2}) == {"a": 2, "b": 1}
    assert list(merge({"c": 0}, {"b": 1, "a": 2})) == ["a", "b", "c"]


def test_recording_starts_the_file_when_there_is_none(tmp_path):
    path = tmp_path / "scores.json"

    record(path, {"review/rules.py": {"score": 100.0}})

    assert path.read_text() == '{\n  "review/rules.py": {\n    "score": 100.0\n  }\n}\n'
