"""Which tests bin/mutate runs for a mutant (mutation.runner.select_tests,
mutation.configuration, mutation.mutants)."""

from mutation.configuration import allowed_tests, load_config, own_tests_only, without_excluded
from mutation.coverage_map import IMPORT_TIME
from mutation.journal import count_killer, load_killers, save_killers
from mutation.mutants import Mutant, match_equivalent, only_moves_a_signature_marker
from mutation.runner import class_ranges, select_tests, statement_starts

PATH = "grants/services/x.py"
SOURCE = """LIMIT = 5

class Rule:
    size = 3

    def check(self, value):
        return value < LIMIT


def other():
    return 1
"""
LINES = {
    PATH: {
        1: {IMPORT_TIME},
        3: {IMPORT_TIME},
        4: {IMPORT_TIME},
        6: {IMPORT_TIME},
        7: {"t::slow", "t::quick"},
        10: {IMPORT_TIME},
        11: {"t::other"},
    }
}
DURATIONS = {"t::slow": 3.0, "t::quick": 0.1, "t::other": 0.5, "t::far": 0.2, "t::near": 1.0}


def _select(line, neighbours=frozenset(), lines=LINES, class_checks=(), readers=frozenset()):
    mutant = Mutant(
        job_id="1",
        path=PATH,
        operator="core/NumberReplacer",
        occurrence=0,
        first_line=line,
        last_line=line,
        definition=None,
    )
    return select_tests(
        mutant,
        lines,
        {PATH: class_ranges(SOURCE)},
        {PATH: statement_starts(SOURCE)},
        DURATIONS,
        neighbours,
        class_checks=class_checks,
        readers=readers,
    )


def test_a_line_run_by_tests_gets_those_tests_quickest_first():
    assert _select(7) == ["t::quick", "t::slow"]


def test_a_line_nobody_runs_gets_no_test():
    assert _select(8) == []


def test_an_import_time_line_of_a_class_gets_the_class_then_the_module_then_neighbours():
    assert _select(4, neighbours={"t::near", "t::quick"}) == [
        "t::quick",
        "t::slow",
        "t::other",
        "t::near",
    ]


def test_a_class_body_line_gets_the_class_checks_first_and_once():
    checks = ("t::far", "t::gone", "t::near")  # t::gone: not in the suite (any more)

    assert _select(4, neighbours={"t::near"}, class_checks=checks) == [
        "t::far",
        "t::near",
        "t::quick",
        "t::slow",
        "t::other",
    ]


def test_an_import_time_line_of_a_module_with_classes_gets_the_checks_first_too():
    """LIMIT could be a field's max_length: the migrations check notices it at once, where
    the module's own tests may all pass (grants/contracts/models/documents.py's
    TERMS_MAX_CHARS waited behind 7,500 tests)."""
    checks = ("t::far",)

    assert _select(1, class_checks=checks) == ["t::far", "t::quick", "t::other", "t::slow"]
    assert _select(10, class_checks=checks) == ["t::far", "t::quick", "t::other", "t::slow"]


def test_class_checks_are_not_added_to_lines_run_by_tests():
    checks = ("t::far",)

    assert _select(7, class_checks=checks) == ["t::quick", "t::slow"]


def test_class_checks_are_not_added_in_a_module_without_classes():
    source = "LIMIT = 5\n\n\ndef check(value):\n    return value < LIMIT\n"
    lines = {PATH: {1: {IMPORT_TIME}, 4: {IMPORT_TIME}, 5: {"t::quick"}}}
    mutant = Mutant(
        job_id="1",
        path=PATH,
        operator="core/NumberReplacer",
        occurrence=0,
        first_line=1,
        last_line=1,
        definition=None,
    )
    selected = select_tests(
        mutant,
        lines,
        {PATH: class_ranges(source)},
        {PATH: statement_starts(source)},
        DURATIONS,
        class_checks=("t::far",),
    )

    assert selected == ["t::quick"]


def test_an_import_time_line_of_the_module_gets_its_tests_then_neighbours_not_the_suite():
    assert _select(1, neighbours={"t::near"}) == ["t::quick", "t::other", "t::slow", "t::near"]
    assert "t::far" not in _select(1)


def test_an_import_time_line_first_imported_by_a_test_still_gets_the_module_tests():
    """A measurement of only some tests can import a module for the first time inside one
    of them: its import-time lines then carry that test's context too."""
    imported_in_a_test = {PATH: {**LINES[PATH], 1: {IMPORT_TIME, "t::slow"}}}

    assert _select(1, lines=imported_in_a_test) == ["t::quick", "t::other", "t::slow"]


def test_a_signature_marker_turned_around_is_not_a_mutant():
    original = "def f(a, *, b=1):\n    return a * b\n"

    assert only_moves_a_signature_marker(original, "def f(a, /, b=1):\n    return a * b\n")
    assert not only_moves_a_signature_marker(original, "def f(a, *, b=1):\n    return a / b\n")
    assert not only_moves_a_signature_marker(original, "def f(a, *, b=2):\n    return a * b\n")
    assert not only_moves_a_signature_marker(original, "def f(b, *, a=1):\n    return a * b\n")


def test_the_tests_that_killed_mutants_are_remembered_for_the_next_run(tmp_path):
    store = tmp_path / "killers.json"
    assert load_killers(store) == {}  # no earlier run
    killers = load_killers(store)
    killers[PATH]["tests/test_migrations.py::test_no_missing_migrations"] += 2
    killers["other.py"]["t::quick"] += 1
    killers["untouched.py"]  # read, never counted: not stored

    save_killers(store, killers)
    again = load_killers(store)

    assert again == {
        PATH: {"tests/test_migrations.py::test_no_missing_migrations": 2},
        "other.py": {"t::quick": 1},
    }
    again[PATH]["t::slow"] += 1  # counts go on from there
    assert again[PATH].most_common() == [
        ("tests/test_migrations.py::test_no_missing_migrations", 2),
        ("t::slow", 1),
    ]
    assert again["new.py"]["t::quick"] == 0


def test_each_killed_mutant_is_stored_at_once(tmp_path):
    store = tmp_path / "killers.json"
    killers = load_killers(store)

    count_killer(killers, PATH, "t::quick", store=store)
    assert load_killers(store) == {PATH: {"t::quick": 1}}  # before the run ends
    count_killer(killers, PATH, "t::quick", store=store)
    count_killer(killers, "other.py", "t::slow", store=store)

    assert load_killers(store) == {PATH: {"t::quick": 2}, "other.py": {"t::slow": 1}}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["killers.json"]  # nothing half-written


def test_a_damaged_killer_store_is_started_afresh(tmp_path):
    store = tmp_path / "killers.json"
    store.write_text("{not json")

    assert load_killers(store) == {}


def test_excluded_tests_are_left_out_and_the_order_kept():
    tests = ["tests/grants/test_a.py::test_one", "tests/demo/test_seed_demo.py::test_story",
             "tests/demo/test_seed_demo.py::test_x[en]", "tests/reporting/test_b.py::test_two"]  # fmt: skip

    assert without_excluded(tests, ["tests/demo/*"]) == [
        "tests/grants/test_a.py::test_one", "tests/reporting/test_b.py::test_two",
    ]  # fmt: skip
    assert without_excluded(tests, []) == tests
    assert without_excluded(tests, ["tests/demo/*", "tests/grants/*"]) == [
        "tests/reporting/test_b.py::test_two",
    ]  # fmt: skip


def test_the_demos_tests_are_excluded_by_the_configuration():
    assert load_config()["exclude-tests"] == ["tests/demo/*"]


MATHS_TESTS = ["tests/review/test_ranking.py::test_page", "tests/review/maths/test_a.py::test_fit",
               "tests/grants/test_b.py::test_x", "tests/review/maths/test_b.py::test_draw[2]"]  # fmt: skip


def test_a_module_under_an_own_tests_entry_gets_only_its_own_tests_in_their_order():
    own = {"review/maths": ["tests/review/maths/*"]}

    assert own_tests_only(MATHS_TESTS, "review/maths/additive_model.py", own) == [
        "tests/review/maths/test_a.py::test_fit", "tests/review/maths/test_b.py::test_draw[2]",
    ]  # fmt: skip
    assert own_tests_only(MATHS_TESTS, "review/maths/sub/deeper.py", own) == [
        "tests/review/maths/test_a.py::test_fit", "tests/review/maths/test_b.py::test_draw[2]",
    ]  # fmt: skip


def test_a_module_outside_every_own_tests_entry_keeps_all_its_tests():
    own = {"review/maths": ["tests/review/maths/*"], "review/maths/": ["tests/grants/*"]}

    assert own_tests_only(MATHS_TESTS, "review/services/funding.py", own) == MATHS_TESTS
    # A name that only begins like the folder is not in it.
    assert own_tests_only(MATHS_TESTS, "review/mathsy.py", own) == MATHS_TESTS
    assert own_tests_only(MATHS_TESTS, "review/maths.py", own) == MATHS_TESTS
    assert own_tests_only(MATHS_TESTS, "review/maths/x.py", {}) == MATHS_TESTS


def test_an_own_tests_entry_may_name_a_file_and_the_innermost_entry_wins():
    own = {
        "review/maths": ["tests/review/maths/*"],
        "review/maths/lottery.py": ["tests/review/maths/test_b.py::*", "tests/grants/*"],
    }

    assert own_tests_only(MATHS_TESTS, "review/maths/lottery.py", own) == [
        "tests/grants/test_b.py::test_x", "tests/review/maths/test_b.py::test_draw[2]",
    ]  # fmt: skip
    assert own_tests_only(MATHS_TESTS, "review/maths/alpha.py", own) == [
        "tests/review/maths/test_a.py::test_fit", "tests/review/maths/test_b.py::test_draw[2]",
    ]  # fmt: skip


def test_the_excluded_tests_stay_out_of_a_modules_own_tests():
    config = {"exclude-tests": ["tests/review/maths/test_b.py::*"],
              "own-tests": {"review/maths": ["tests/review/maths/*"]}}  # fmt: skip

    assert allowed_tests(MATHS_TESTS, "review/maths/x.py", config) == [
        "tests/review/maths/test_a.py::test_fit",
    ]
    assert allowed_tests(MATHS_TESTS, "grants/x.py", config) == MATHS_TESTS[:3]


def test_the_jury_maths_is_judged_by_its_own_tests_by_the_configuration():
    config = load_config()

    assert config["own-tests"] == {"review/maths": ["tests/review/maths/*"]}
    # The table is the last thing in the file: keys written below it would belong to it.
    assert (
        config["class-checks"][0]
        == "tests/test_migrations.py::test_every_model_change_has_its_migration"
    )


def test_an_equivalent_entry_matches_a_line_whatever_its_inner_spaces():
    mutant = Mutant(
        job_id="1", path="a.py", operator="op", occurrence=0, first_line=3, last_line=3,
        definition=None, original="if x < 1:  # two spaces before the comment",
        mutated="if x <= 1:  # two spaces before the comment", after="y = 2",
    )  # fmt: skip
    entry = {
        "file": "a.py",
        "line": "if x < 1: # two spaces before the comment",
        "mutant": "if x <= 1:  # two spaces before the comment",
        "after": "y  =  2",
    }

    assert match_equivalent(mutant, [entry]) is entry
    assert match_equivalent(mutant, [{**entry, "mutant": "if x > 1: # two"}]) is None
    assert match_equivalent(mutant, [{**entry, "after": "y = 3"}]) is None
    assert match_equivalent(mutant, [{**entry, "file": "b.py"}]) is None


def test_a_later_operand_of_a_condition_gets_the_tests_that_ran_an_earlier_one():
    source = """def allowed(phase, scored):
    if (
        phase != "open"
        or scored()
    ):
        return False
    return True
"""
    path = "grants/services/y.py"
    # One test stopped at the first operand (line 3), one ran the second (line 4).
    lines = {path: {3: {"t::short", "t::long"}, 4: {"t::long"}, 7: {"t::long"}}}
    mutant = Mutant(
        job_id="2", path=path, operator="core/ReplaceOrWithAnd", occurrence=0,
        first_line=4, last_line=4, definition="allowed",
    )  # fmt: skip

    selected = select_tests(
        mutant,
        lines,
        {path: class_ranges(source)},
        {path: statement_starts(source)},
        {"t::short": 0.1, "t::long": 0.2},
    )

    assert selected == ["t::short", "t::long"]


def test_a_constants_readers_come_after_the_checks_and_before_the_module():
    """LIMIT's reader t::slow (it ran `value < LIMIT`) goes first; t::gone (not in the
    suite any more) is left out; a check that also reads it runs once."""
    selected = _select(1, class_checks=("t::far",), readers={"t::slow", "t::gone", "t::far"})

    assert selected == ["t::far", "t::slow", "t::quick", "t::other"]


def test_readers_do_not_change_a_line_run_by_tests():
    assert _select(7, readers={"t::other"}) == ["t::quick", "t::slow"]
