"""bin/mutate --resume: outcomes kept in the journal count again only for the very same code."""

import subprocess

import pytest

from mutation.journal import Fingerprint, fingerprint_of, start, take_earlier, write
from mutation.mutants import Mutant


@pytest.fixture
def project(tmp_path):
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)  # noqa: S607
    (tmp_path / "rules.py").write_text("LIMIT = 5\n")
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "page.html").write_text("<p>{{ limit }}</p>\n")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_rules.py").write_text("def test_limit(): pass\n")
    (tmp_path / "mutation").mkdir()
    (tmp_path / "mutation" / "scores.json").write_text("{}\n")
    (tmp_path / "mutation" / "equivalent.toml").write_text("")
    (tmp_path / ".gitignore").write_text(".mutation/\n")
    (tmp_path / ".mutation").mkdir()
    (tmp_path / ".mutation" / "session.sqlite").write_text("state")
    subprocess.run(["git", "add", "."], cwd=tmp_path, check=True)  # noqa: S607
    return tmp_path


def test_the_code_fingerprint_changes_with_any_file_but_the_test_modules(project):
    first = fingerprint_of(project)
    assert fingerprint_of(project) == first

    (project / "templates" / "page.html").write_text("<p>{{ limit }} €</p>\n")
    after_template = fingerprint_of(project)
    (project / "tests" / "conftest.py").write_text("import pytest\n")  # new, not yet added
    after_helper = fingerprint_of(project)
    (project / "rules.py").unlink()
    after_deletion = fingerprint_of(project)

    codes = [first.code, after_template.code, after_helper.code, after_deletion.code]
    assert len(set(codes)) == 4
    assert {first.tests, after_template.tests, after_helper.tests, after_deletion.tests} == {
        first.tests
    }


def test_the_tests_fingerprint_changes_with_a_test_module_and_names_each_module(project):
    first = fingerprint_of(project)
    assert set(first.test_modules) == {"tests/test_rules.py"}

    (project / "tests" / "test_rules.py").write_text("def test_limit(): assert 5\n")
    changed = fingerprint_of(project)
    (project / "tests" / "test_new.py").write_text("def test_new(): pass\n")
    added = fingerprint_of(project)

    assert first.code == changed.code == added.code
    assert len({first.tests, changed.tests, added.tests}) == 3
    assert first.test_modules["tests/test_rules.py"] != changed.test_modules["tests/test_rules.py"]
    assert set(added.test_modules) == {"tests/test_rules.py", "tests/test_new.py"}


def test_the_fingerprint_ignores_scores_equivalents_and_the_runs_own_state(project):
    first = fingerprint_of(project)

    (project / "mutation" / "scores.json").write_text('{"rules.py": {"score": 100.0}}\n')
    (project / "mutation" / "equivalent.toml").write_text("[[equivalent]]\n")
    (project / ".mutation" / "session.sqlite").write_text("other state")
    (project / ".mutation" / "journal.jsonl").write_text("")

    assert fingerprint_of(project) == first


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


MODULES = {"tests/test_a.py": "a-1", "tests/test_b.py": "b-1"}
CODE_1 = Fingerprint("code-1", "tests-1", MODULES)


def test_a_resumed_run_takes_the_outcomes_measured_on_the_same_code(tmp_path):
    journal = tmp_path / "journal.jsonl"
    assert start(journal, CODE_1, resume=True) == {}  # no journal yet
    killer = "tests/test_a.py::test_limit"
    write(
        journal, CODE_1, mutant(0, outcome="killed", killer=f"FAILED {killer}", killer_test=killer)
    )
    write(journal, CODE_1, mutant(1, mutated="LIMIT = 4", outcome="survived", seconds=12.34))

    earlier = start(journal, CODE_1, resume=True)
    killed, survived, unknown = mutant(0), mutant(1, mutated="LIMIT = 4"), mutant(2)

    assert take_earlier(killed, earlier) is True
    assert (killed.outcome, killed.killer, killed.killer_test) == (
        "killed",
        f"FAILED {killer}",
        killer,
    )
    assert take_earlier(survived, earlier) is True
    assert (survived.outcome, survived.seconds) == ("survived", 12.3)
    assert take_earlier(unknown, earlier) is False
    assert unknown.outcome == ""
    # The journal goes on: the kept outcomes are still there for a second resume.
    assert len(start(journal, CODE_1, resume=True)) == 2


def test_after_new_tests_a_kill_holds_while_its_test_module_is_unchanged(tmp_path):
    journal = tmp_path / "journal.jsonl"
    start(journal, CODE_1, resume=False)
    write(journal, CODE_1, mutant(0, outcome="killed", killer_test="tests/test_a.py::test_x"))
    write(journal, CODE_1, mutant(1, outcome="killed", killer_test="tests/test_b.py::test_y"))
    write(journal, CODE_1, mutant(2, outcome="survived", tests=["tests/test_a.py::test_x"]))
    # Timeouts: no test is named, so the kill rests on every test that ran.
    timeout = {"outcome": "killed", "killer": "timeout after 80 s"}
    write(journal, CODE_1, mutant(3, tests=["tests/test_a.py::test_x"], **timeout))
    write(journal, CODE_1, mutant(4, tests=["tests/test_a.py::t", "tests/test_b.py::u"], **timeout))
    # A kill that rests on no test at all is never taken on trust.
    write(journal, CODE_1, mutant(5, outcome="killed", killer="exit code 3"))

    # test_b.py changed and a test module was added; the code is the same.
    modules = {"tests/test_a.py": "a-1", "tests/test_b.py": "b-2", "tests/test_c.py": "c-1"}
    earlier = start(journal, Fingerprint("code-1", "tests-2", modules), resume=True)

    kept = [n for n in range(6) if take_earlier(mutant(n), earlier)]
    # Its killer changed, it survived (a new test may kill it), it ran test_b.py: again.
    assert kept == [0, 3]


def test_outcomes_of_other_code_or_another_mutant_are_not_taken(tmp_path):
    journal = tmp_path / "journal.jsonl"
    start(journal, CODE_1, resume=False)
    write(journal, CODE_1, mutant(0, outcome="killed", killer_test="tests/test_a.py::test_x"))

    # The same operator and occurrence, but the file changed what it mutates.
    other_mutant = mutant(0, mutated="LIMIT = 7")
    assert take_earlier(other_mutant, start(journal, CODE_1, resume=True)) is False
    assert other_mutant.outcome == ""
    # Changed code, the same tests: nothing is taken, and the old entries are dropped.
    assert start(journal, Fingerprint("code-2", "tests-1", MODULES), resume=True) == {}
    assert journal.read_text() == ""


def test_a_fresh_run_forgets_the_journal_and_a_half_written_line_is_skipped(tmp_path):
    journal = tmp_path / "journal.jsonl"
    start(journal, CODE_1, resume=False)
    write(journal, CODE_1, mutant(0, outcome="survived"))
    with journal.open("a") as stopped:
        stopped.write('{"code": "code-1", "key": ')  # the run was stopped here

    earlier = start(journal, CODE_1, resume=True)
    assert [entry["outcome"] for entry in earlier.values()] == ["survived"]
    assert start(journal, CODE_1, resume=False) == {}
    assert start(journal, CODE_1, resume=True) == {}
