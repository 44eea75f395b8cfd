"""bin/mutate --resume: outcomes kept in the journal count again only for the very same code."""

import subprocess

import pytest

from mutation.journal import start, take_earlier, tree_fingerprint, write
from mutation.mutants import Mutant


@pytest.fixture
def project(tmp_path):
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)  # noqa: S607
    (tmp_path / "rules.py").write_text("LIMIT = 5\n")
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "page.html").write_text("<p>{{ limit }}</p>\n")
    (tmp_path / "mutation").mkdir()
    (tmp_path / "mutation" / "scores.json").write_text("{}\n")
    (tmp_path / "mutation" / "equivalent.toml").write_text("")
    (tmp_path / ".gitignore").write_text(".mutation/\n")
    (tmp_path / ".mutation").mkdir()
    (tmp_path / ".mutation" / "session.sqlite").write_text("state")
    subprocess.run(["git", "add", "."], cwd=tmp_path, check=True)  # noqa: S607
    return tmp_path


def test_the_fingerprint_changes_with_any_file_of_the_project(project):
    first = tree_fingerprint(project)
    assert tree_fingerprint(project) == first

    (project / "templates" / "page.html").write_text("<p>{{ limit }} €</p>\n")
    after_template = tree_fingerprint(project)
    (project / "tests.py").write_text("def test_new(): pass\n")  # new, not yet added
    after_new_file = tree_fingerprint(project)
    (project / "rules.py").unlink()
    after_deletion = tree_fingerprint(project)

    assert len({first, after_template, after_new_file, after_deletion}) == 4


def test_the_fingerprint_ignores_scores_equivalents_and_the_runs_own_state(project):
    first = tree_fingerprint(project)

    (project / "mutation" / "scores.json").write_text('{"rules.py": {"score": 100.0}}\n')
    (project / "mutation" / "equivalent.toml").write_text("[[equivalent]]\n")
    (project / ".mutation" / "session.sqlite").write_text("other state")
    (project / ".mutation" / "journal.jsonl").write_text("")

    assert tree_fingerprint(project) == first


def mutant(occurrence, mutated="LIMIT = 6", **outcome):
    return Mutant(
        job_id=f"job{occurrence}",
        path="rules.py",
        operator="core/NumberReplacer",
        occurrence=occurrence,
        first_line=1,
        last_line=1,
        definition=None,
        original="LIMIT = 5",
        mutated=mutated,
        **outcome,
    )


def test_a_resumed_run_takes_the_outcomes_measured_on_the_same_code(tmp_path):
    journal = tmp_path / "journal.jsonl"
    assert start(journal, "code-1", resume=True) == {}  # no journal yet
    write(journal, "code-1", mutant(0, outcome="killed", killer="FAILED t::a", killer_test="t::a"))
    write(journal, "code-1", mutant(1, mutated="LIMIT = 4", outcome="survived", seconds=12.34))

    earlier = start(journal, "code-1", resume=True)
    killed, survived, unknown = mutant(0), mutant(1, mutated="LIMIT = 4"), mutant(2)

    assert take_earlier(killed, earlier) is True
    assert (killed.outcome, killed.killer, killed.killer_test) == ("killed", "FAILED t::a", "t::a")
    assert take_earlier(survived, earlier) is True
    assert (survived.outcome, survived.seconds) == ("survived", 12.3)
    assert take_earlier(unknown, earlier) is False
    assert unknown.outcome == ""
    # The journal goes on: the kept outcomes are still there for a second resume.
    assert len(start(journal, "code-1", resume=True)) == 2


def test_outcomes_of_other_code_or_another_mutant_are_not_taken(tmp_path):
    journal = tmp_path / "journal.jsonl"
    start(journal, "code-1", resume=False)
    write(journal, "code-1", mutant(0, outcome="killed"))

    # The same operator and occurrence, but the file changed what it mutates.
    other_mutant = mutant(0, mutated="LIMIT = 7")
    assert take_earlier(other_mutant, start(journal, "code-1", resume=True)) is False
    assert other_mutant.outcome == ""
    # Changed code: nothing is taken, and the old entries are dropped.
    assert start(journal, "code-2", resume=True) == {}
    assert journal.read_text() == ""


def test_a_fresh_run_forgets_the_journal_and_a_half_written_line_is_skipped(tmp_path):
    journal = tmp_path / "journal.jsonl"
    start(journal, "code-1", resume=False)
    write(journal, "code-1", mutant(0, outcome="killed"))
    with journal.open("a") as stopped:
        stopped.write('{"fingerprint": "code-1", "key": ')  # the run was stopped here

    earlier = start(journal, "code-1", resume=True)
    assert [entry["outcome"] for entry in earlier.values()] == ["killed"]
    assert start(journal, "code-1", resume=False) == {}
    assert start(journal, "code-1", resume=True) == {}
