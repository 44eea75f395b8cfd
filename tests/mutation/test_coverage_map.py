"""The stored coverage map of bin/mutate (mutation/coverage_map.py): what a run measures
again after a change, and what the map answers afterwards."""

from mutation.coverage_map import (
    IMPORT_TIME,
    CoverageMap,
    Plan,
    Stored,
    imported_modules,
    importers,
    is_test_module,
    lines_by_test,
    plan_update,
    project_hashes,
)
from mutation.pytest_plugin import selected
from mutation.runner import constant_readers, module_constants

A = "tests/grants/test_a.py::test_one"
A2 = "tests/grants/test_a.py::test_two"
B = "tests/review/test_b.py::test_three"
C = "tests/review/test_c.py::test_four"
TARGETS = {"grants/services/x.py", "grants/rules.py"}


def _stored(**changes):
    values = {
        "sources": {
            "grants/services/x.py": "h1",
            "grants/views.py": "h2",
            "tests/conftest.py": "h3",
        },
        "test_files": {
            "tests/grants/test_a.py": "ta",
            "tests/review/test_b.py": "tb",
            "tests/review/test_c.py": "tc",
        },
        "touched": {
            "grants/services/x.py": {A, B},
            "grants/views.py": {B, C},
            "tests/conftest.py": {A, A2, B, C},
        },
    }
    values.update(changes)
    return Stored(**values)


def _now(stored, sources=None, test_files=None):
    return (
        {**stored.sources, **(sources or {})},
        {**stored.test_files, **(test_files or {})},
    )


def test_without_a_map_everything_is_measured():
    plan = plan_update(
        None,
        {"grants/services/x.py": "h1", "grants/views.py": "h2"},
        {"tests/grants/test_a.py": "ta"},
        targets=TARGETS,
    )

    assert plan.full is True
    assert plan.test_files == ["tests/grants/test_a.py"]
    assert plan.changed_sources == ["grants/services/x.py", "grants/views.py"]
    assert plan.imports == ["grants.services.x"]
    assert plan.empty is False


def test_nothing_changed_nothing_is_measured():
    stored = _stored()

    plan = plan_update(stored, *_now(stored), targets=TARGETS)

    assert plan == Plan()
    assert plan.empty is True
    assert plan.selection() == []


def test_a_changed_target_file_measures_the_tests_that_ran_it_and_imports_it():
    stored = _stored()

    plan = plan_update(
        stored, *_now(stored, sources={"grants/services/x.py": "new"}), targets=TARGETS
    )

    assert plan.full is False
    assert plan.tests == [A, B]
    assert plan.test_files == []
    assert plan.forget_test_files == []
    assert plan.changed_sources == ["grants/services/x.py"]
    assert plan.imports == ["grants.services.x"]
    assert plan.selection() == [A, B]


def test_a_changed_file_that_is_not_mutated_measures_its_tests_without_importing_it():
    stored = _stored()

    plan = plan_update(stored, *_now(stored, sources={"grants/views.py": "new"}), targets=TARGETS)

    assert plan.tests == [B, C]
    assert plan.changed_sources == ["grants/views.py"]
    assert plan.imports == []


def test_a_changed_file_no_test_ran_only_updates_its_hash():
    stored = _stored()

    plan = plan_update(stored, *_now(stored, sources={"demo/seed.py": "new"}), targets=TARGETS)

    assert plan.changed_sources == ["demo/seed.py"]
    assert plan.tests == []
    assert plan.imports == []
    assert plan.empty is False
    assert plan.needs_run is False


def test_a_changed_test_helper_measures_every_test_that_used_it():
    stored = _stored()

    plan = plan_update(stored, *_now(stored, sources={"tests/conftest.py": "new"}), targets=TARGETS)

    assert plan.tests == [A, A2, B, C]


def test_a_changed_test_module_is_measured_whole_and_its_old_tests_forgotten():
    stored = _stored()

    plan = plan_update(
        stored, *_now(stored, test_files={"tests/grants/test_a.py": "new"}), targets=TARGETS
    )

    assert plan.test_files == ["tests/grants/test_a.py"]
    assert plan.forget_test_files == ["tests/grants/test_a.py"]
    assert plan.tests == []
    assert plan.changed_sources == []
    assert plan.selection() == ["tests/grants/test_a.py"]


def test_tests_of_a_changed_module_are_not_selected_twice_when_a_source_changed_too():
    stored = _stored()

    plan = plan_update(
        stored,
        *_now(
            stored,
            sources={"grants/services/x.py": "new"},
            test_files={"tests/grants/test_a.py": "new"},
        ),
        targets=TARGETS,
    )

    assert plan.test_files == ["tests/grants/test_a.py"]
    assert plan.tests == [B]


def test_a_new_test_module_is_measured():
    stored = _stored()

    plan = plan_update(
        stored, *_now(stored, test_files={"tests/grants/test_new.py": "n"}), targets=TARGETS
    )

    assert plan.test_files == ["tests/grants/test_new.py"]
    assert plan.forget_test_files == []
    assert plan.tests == []


def test_a_deleted_test_module_is_forgotten_without_running_anything():
    stored = _stored()
    sources, test_files = _now(stored)
    del test_files["tests/review/test_c.py"]

    plan = plan_update(stored, sources, test_files, targets=TARGETS)

    assert plan.forget_test_files == ["tests/review/test_c.py"]
    assert plan.test_files == []
    assert plan.tests == []
    assert plan.empty is False
    assert plan.needs_run is False


def test_a_deleted_source_file_measures_its_tests_and_is_not_imported():
    stored = _stored()
    sources, test_files = _now(stored)
    del sources["grants/services/x.py"]

    plan = plan_update(stored, sources, test_files, targets=TARGETS)

    assert plan.tests == [A, B]
    assert plan.changed_sources == ["grants/services/x.py"]
    assert plan.imports == []


def test_a_new_target_file_is_imported_though_no_test_ran_it_yet():
    stored = _stored()

    plan = plan_update(stored, *_now(stored, sources={"grants/rules.py": "r"}), targets=TARGETS)

    assert plan.tests == []
    assert plan.changed_sources == ["grants/rules.py"]
    assert plan.imports == ["grants.rules"]
    assert plan.needs_run is True


def test_contexts_become_tests_with_their_setup_call_and_teardown_together():
    contexts = {
        3: [IMPORT_TIME],
        7: [f"{A}|setup", f"{B}|run"],
        8: [f"{A}|run", f"{A}|teardown"],
    }

    assert lines_by_test(contexts) == {IMPORT_TIME: {3}, A: {7, 8}, B: {7}}


def test_test_modules_are_told_from_helpers():
    assert is_test_module("tests/grants/test_rules.py") is True
    assert is_test_module("tests/grants/contracts/conftest.py") is False
    assert is_test_module("tests/factories.py") is False
    assert is_test_module("grants/test_utils.py") is False


def test_project_hashes_follow_the_content(tmp_path):
    (tmp_path / "grants").mkdir()
    (tmp_path / "tests").mkdir()
    (tmp_path / ".venv").mkdir()
    (tmp_path / "grants" / "x.py").write_text("A = 1\n")
    (tmp_path / "tests" / "test_x.py").write_text("def test(): pass\n")
    (tmp_path / "tests" / "conftest.py").write_text("")
    (tmp_path / ".venv" / "lib.py").write_text("")
    (tmp_path / "grants" / "notes.txt").write_text("")

    sources, tests = project_hashes(tmp_path)
    (tmp_path / "grants" / "x.py").write_text("A = 2\n")
    changed, _tests = project_hashes(tmp_path)

    assert sorted(sources) == ["grants/x.py", "tests/conftest.py"]
    assert sorted(tests) == ["tests/test_x.py"]
    assert changed["grants/x.py"] != sources["grants/x.py"]
    assert changed["tests/conftest.py"] == sources["tests/conftest.py"]


SETTINGS = {"format": 1, "pytest-args": ["-m", "not e2e"]}


def _first_measurement(store):
    sources = {"grants/services/x.py": "h1", "grants/views.py": "h2"}
    test_files = {"tests/grants/test_a.py": "ta", "tests/review/test_b.py": "tb"}
    plan = plan_update(None, sources, test_files, targets=TARGETS)
    store.apply(
        plan,
        measured={
            "grants/services/x.py": {IMPORT_TIME: {1, 2}, A: {5, 6}, B: {6}},
            "grants/views.py": {IMPORT_TIME: {1}, B: {3}},
        },
        durations={A: 0.5, A2: 0.1, B: 2.0},
        sources=sources,
        test_files=test_files,
        settings=SETTINGS,
    )
    return sources, test_files


def test_the_store_answers_lines_durations_and_what_to_plan(tmp_path):
    store = CoverageMap(tmp_path / "map.sqlite")
    sources, test_files = _first_measurement(store)

    assert store.settings() == SETTINGS
    assert store.durations() == {A: 0.5, A2: 0.1, B: 2.0}
    assert store.lines(["grants/services/x.py", "grants/other.py"]) == {
        "grants/services/x.py": {1: {IMPORT_TIME}, 2: {IMPORT_TIME}, 5: {A}, 6: {A, B}},
        "grants/other.py": {},
    }
    assert store.stored() == Stored(
        sources=sources,
        test_files=test_files,
        touched={"grants/services/x.py": {A, B}, "grants/views.py": {B}},
    )


def test_an_update_replaces_what_the_changed_file_and_the_measured_tests_knew(tmp_path):
    store = CoverageMap(tmp_path / "map.sqlite")
    sources, test_files = _first_measurement(store)
    sources = {**sources, "grants/services/x.py": "new"}
    plan = plan_update(store.stored(), sources, test_files, targets=TARGETS)

    store.apply(
        plan,
        measured={
            # the file got a line longer at the top; B no longer reaches it
            "grants/services/x.py": {IMPORT_TIME: {1, 2, 3}, A: {6, 7}},
            "grants/views.py": {IMPORT_TIME: {1}, B: {4}},
        },
        durations={A: 0.7, B: 1.5},
        sources=sources,
        test_files=test_files,
        settings=SETTINGS,
    )

    assert plan.tests == [A, B]
    assert store.lines(["grants/services/x.py", "grants/views.py"]) == {
        "grants/services/x.py": {
            1: {IMPORT_TIME},
            2: {IMPORT_TIME},
            3: {IMPORT_TIME},
            6: {A},
            7: {A},
        },
        "grants/views.py": {1: {IMPORT_TIME}, 4: {B}},
    }
    assert store.durations() == {A: 0.7, A2: 0.1, B: 1.5}
    assert store.stored().sources["grants/services/x.py"] == "new"
    assert plan_update(store.stored(), sources, test_files, targets=TARGETS).empty is True


def test_an_update_drops_the_tests_of_a_deleted_module_and_a_deleted_file(tmp_path):
    store = CoverageMap(tmp_path / "map.sqlite")
    sources, test_files = _first_measurement(store)
    del sources["grants/views.py"]
    del test_files["tests/grants/test_a.py"]
    plan = plan_update(store.stored(), sources, test_files, targets=TARGETS)

    store.apply(
        plan,
        measured={"grants/services/x.py": {IMPORT_TIME: {1, 2}, B: {6}}},
        durations={B: 2.0},
        sources=sources,
        test_files=test_files,
        settings=SETTINGS,
    )

    assert plan.tests == [B]
    assert store.durations() == {B: 2.0}
    assert store.lines(["grants/services/x.py", "grants/views.py"]) == {
        "grants/services/x.py": {1: {IMPORT_TIME}, 2: {IMPORT_TIME}, 6: {B}},
        "grants/views.py": {},
    }
    assert store.stored().test_files == {"tests/review/test_b.py": "tb"}


def test_the_selection_takes_node_ids_and_whole_test_modules_in_the_order_given():
    collected = [A, A2, B, C, "tests/review/test_b.py::test_five"]

    chosen = selected(collected, ["tests/review/test_b.py", A2, "tests/gone.py::test_x"])

    assert chosen == [B, "tests/review/test_b.py::test_five", A2]
    assert selected(collected, []) == []


def test_imports_are_read_by_absolute_name_also_when_relative():
    source = (
        "import os\n"
        "from grants.contracts.services import changes\n"
        "from .base import *\n"
        "from ..money import euros\n"
        "def f():\n"
        "    from grants.rules import owns_grant\n"
    )

    assert imported_modules("grants/contracts/views.py", source) == {
        "os",
        "grants.contracts.services",
        "grants.contracts.services.changes",
        "grants.contracts.base",
        "grants.contracts.base.*",
        "grants.money",
        "grants.money.euros",
        "grants.rules",
        "grants.rules.owns_grant",
    }
    assert "grants.models.applications" in imported_modules(
        "grants/models/__init__.py", "from .applications import Application\n"
    )


def test_importers_follow_packages_that_re_export_a_module():
    imports = {
        "grants/models/__init__.py": {"grants.models.applications"},
        "grants/models/applications.py": {"django.db"},
        "grants/views.py": {"grants.models", "grants.models.Application"},
        "grants/contracts/services/changes.py": {
            "grants.models.applications",
            "grants.models.applications.Application",
        },
        "review/rules.py": {"grants.rules"},
        "tests/grants/test_models.py": {"grants.models"},
    }

    assert importers("grants/models/applications.py", imports) == {
        "grants/models/__init__.py",
        "grants/views.py",
        "grants/contracts/services/changes.py",
        "tests/grants/test_models.py",
    }
    assert importers("grants/rules.py", imports) == {"review/rules.py"}
    assert importers("review/rules.py", imports) == set()


def test_a_constants_readers_are_the_tests_that_ran_a_line_naming_it(tmp_path):
    """x.py line 6 reads LIMIT (run by A and B), views.py line 3 too (B), line 1 of
    views.py names it at import time only; SIZE is named on a line nobody ran."""
    store = CoverageMap(tmp_path / "map.sqlite")
    _first_measurement(store)
    texts = {
        "grants/services/x.py": "LIMIT = 5\nSIZE = 3\n\n\ndef f(v):\n    return v < LIMIT\n",
        "grants/views.py": "from grants.services.x import LIMIT\n\nshown = LIMIT_TEXT or LIMIT\n",
        "grants/other.py": "SIZE_OF = 1\nprint(SIZE)\n",
    }

    readers = constant_readers({"LIMIT", "SIZE", "GONE"}, texts, store)

    assert dict(readers) == {"LIMIT": {A, B}, "SIZE": set()}
    assert constant_readers(set(), texts, store) == {}


def test_module_constants_are_the_upper_case_names_assigned_at_the_top():
    source = (
        "import os\nLIMIT = 5\nSIZE: int = (\n    3\n)\nlogger = 1\nS = 2\n\n\n"
        "class C:\n    INNER = 1\n"
    )

    assert module_constants(source) == {2: "LIMIT", 3: "SIZE", 4: "SIZE", 5: "SIZE"}
