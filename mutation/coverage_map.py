"""The stored coverage map of ``bin/mutate``: which test executes which line of which file
of the project, and how long each test takes (``.mutation/coverage-map.sqlite``).

Measuring the whole fast suite under coverage takes long, so the map is kept between runs
and measured again only where the code changed. It stays valid for a file as long as the
file's content is unchanged: every source file is stored with the hash of its content at
measurement time, every test module with its own hash. On a run:

- unchanged source and test files: their lines and tests are reused as stored;
- a changed, new or deleted source file: the tests that executed any of its lines before
  are measured again (a change elsewhere that makes a test reach it passes through a file
  the test executed, so that test is measured again too); a changed file of the mutated
  modules is also imported, so that its import-time lines are known even if no test runs it;
- a changed or new test module: all its tests are measured again (by file, so new tests are
  found); a deleted one: its tests are forgotten.

Not tracked: templates, settings read only at import time, installed packages and tests
whose parametrisation comes from project code. After such a change, or when in doubt,
``bin/mutate --rebuild-map`` measures the whole suite again.

The planning (:func:`plan_update`) and the selection from the measurement are pure
functions; :class:`CoverageMap` is the SQLite store.
"""

import ast
import fnmatch
import hashlib
import json
import os
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from coverage.numbits import numbits_to_nums, numbits_union, nums_to_numbits

# Bump when the layout or meaning of the stored map changes: an old map is then rebuilt.
FORMAT = 1
# The context coverage gives to code run outside any test: module bodies at import time.
IMPORT_TIME = ""
# Folders that never hold project code (nor are copied into the workers' folders).
SKIPPED_DIRS = (
    ".git",
    ".venv",
    ".tools",
    ".mutation",
    "var",
    "media",
    "private_media",
    "staticfiles",
    "node_modules",
    "__pycache__",
    "coverage",
)
TEST_MODULE = "test_*.py"  # pytest's python_files (pyproject.toml)
TESTS_ROOT = "tests/"


def is_test_module(path: str) -> bool:
    return path.startswith(TESTS_ROOT) and fnmatch.fnmatch(path.rsplit("/", 1)[-1], TEST_MODULE)


def test_file_of(node_id: str) -> str:
    return node_id.split("::", 1)[0]


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def project_hashes(root: Path) -> tuple[dict[str, str], dict[str, str]]:
    """(source files, test modules): relative path -> hash of the content, for every Python
    file of the project. Source files include the tests' helpers (conftest, factories)."""
    sources, tests = {}, {}
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS and not d.startswith("."))
        for name in names:
            if not name.endswith(".py"):
                continue
            path = Path(folder) / name
            relative = path.relative_to(root).as_posix()
            (tests if is_test_module(relative) else sources)[relative] = content_hash(
                path.read_bytes()
            )
    return sources, tests


def module_name(path: str) -> str:
    return path.removesuffix(".py").removesuffix("/__init__").replace("/", ".")


def imported_modules(path: str, source: str) -> set[str]:
    """The modules the file imports, by absolute name (``from a import b`` gives ``a`` and
    ``a.b``, since b may be a module)."""
    package = module_name(path).split(".")
    if not path.endswith("__init__.py"):
        package = package[:-1]
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def importers(path: str, imports: dict[str, set[str]]) -> set[str]:
    """The files that import the module of ``path``: directly, or through packages that
    re-export it (an ``__init__.py`` that imports it, and so on)."""
    found, seen, todo = set(), set(), [module_name(path)]
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        for file, names in imports.items():
            if module in names and file != path:
                found.add(file)
                if file.endswith("__init__.py"):
                    todo.append(module_name(file))
    return found


@dataclass(frozen=True)
class Stored:
    """What the map knows, as needed to plan an update."""

    sources: dict[str, str]  # source file -> hash when measured
    test_files: dict[str, str]  # test module -> hash when measured
    touched: dict[str, set[str]]  # source file -> tests that executed a line of it


@dataclass(frozen=True)
class Plan:
    full: bool = False
    test_files: list[str] = field(default_factory=list)  # measured again, all their tests
    tests: list[str] = field(default_factory=list)  # measured again, by node id
    forget_test_files: list[str] = field(default_factory=list)  # old tests dropped
    changed_sources: list[str] = field(default_factory=list)  # changed, new or deleted
    imports: list[str] = field(default_factory=list)  # modules imported under coverage

    @property
    def empty(self) -> bool:
        """Nothing to measure and nothing to forget: the map is up to date."""
        return not (self.needs_run or self.forget_test_files or self.changed_sources)

    @property
    def needs_run(self) -> bool:
        """Some tests to measure or modules to import (otherwise only hashes change)."""
        return bool(self.full or self.test_files or self.tests or self.imports)

    def selection(self) -> list[str]:
        """Entries for the MUTATION_SELECT file: test modules, then node ids."""
        return [*self.test_files, *self.tests]


def plan_update(
    stored: Stored | None,
    sources: dict[str, str],
    test_files: dict[str, str],
    *,
    targets: set[str],
) -> Plan:
    """What to measure again so that the map matches the project as it is now.

    ``stored`` is None when there is no usable map: everything is measured. ``targets`` are
    the files bin/mutate may mutate: a changed one is also imported (see the module doc)."""
    if stored is None:
        return Plan(
            full=True,
            test_files=sorted(test_files),
            changed_sources=sorted(sources),
            imports=sorted(module_name(p) for p in sources if p in targets),
        )
    changed_sources = sorted(
        path
        for path in set(sources) | set(stored.sources)
        if sources.get(path) != stored.sources.get(path)
    )
    changed_test_files = sorted(
        path for path in test_files if test_files[path] != stored.test_files.get(path)
    )
    forget = sorted(
        path for path in stored.test_files if test_files.get(path) != stored.test_files[path]
    )
    forgotten = set(forget)
    tests = set()
    for path in changed_sources:
        tests |= stored.touched.get(path, set())
    tests = sorted(t for t in tests if test_file_of(t) not in forgotten)
    imports = sorted(module_name(p) for p in changed_sources if p in targets and p in sources)
    return Plan(
        test_files=changed_test_files,
        tests=tests,
        forget_test_files=forget,
        changed_sources=changed_sources,
        imports=imports,
    )


def lines_by_test(contexts_by_line: dict[int, list[str]]) -> dict[str, set[int]]:
    """Coverage's line -> contexts ("node id|setup", "node id|run", "" at import time) of
    one file, as test -> lines."""
    lines = defaultdict(set)
    for number, contexts in contexts_by_line.items():
        for context in contexts:
            lines[context.rsplit("|", 1)[0]].add(number)
    return dict(lines)


def tests_by_line(rows: dict[str, set[int]]) -> dict[int, set[str]]:
    """The other way round: line -> tests (the import-time context included)."""
    by_line = defaultdict(set)
    for test, numbers in rows.items():
        for number in numbers:
            by_line[number].add(test)
    return dict(by_line)


SCHEMA = """
create table if not exists meta (key text primary key, value text not null);
create table if not exists sources (path text primary key, hash text not null);
create table if not exists test_files (path text primary key, hash text not null);
create table if not exists tests (node_id text primary key, seconds real not null);
create table if not exists lines (
    path text not null, test text not null, numbits blob not null, primary key (path, test)
);
create index if not exists lines_by_test on lines (test);
"""


class CoverageMap:
    """The map in SQLite: sources and test modules with their hashes, tests with their
    durations, and per (file, test) the lines it executed (coverage's numbits)."""

    def __init__(self, path: Path):
        self.connection = sqlite3.connect(path)
        self.connection.executescript(SCHEMA)

    def close(self):
        self.connection.close()

    def settings(self) -> dict | None:
        row = self.connection.execute("select value from meta where key = 'settings'").fetchone()
        return json.loads(row[0]) if row else None

    def stored(self) -> Stored:
        db = self.connection
        touched = defaultdict(set)
        for path, test in db.execute("select path, test from lines where test != ''"):
            touched[path].add(test)
        return Stored(
            sources=dict(db.execute("select path, hash from sources")),
            test_files=dict(db.execute("select path, hash from test_files")),
            touched=dict(touched),
        )

    def apply(
        self,
        plan: Plan,
        *,
        measured: dict[str, dict[str, set[int]]],
        durations: dict[str, float],
        sources: dict[str, str],
        test_files: dict[str, str],
        settings: dict,
    ) -> None:
        """Store a measurement made as planned: ``measured`` is file -> test -> lines (the
        tests of the plan only, and the import-time context), ``durations`` test -> seconds."""
        db = self.connection
        with db:
            if plan.full:
                for table in ("meta", "sources", "test_files", "tests", "lines"):
                    db.execute(f"delete from {table}")  # noqa: S608 (names from the code)
            dropped = set(plan.tests) | set(durations)
            forgotten = set(plan.forget_test_files)
            dropped |= {
                node_id
                for (node_id,) in db.execute("select node_id from tests")
                if test_file_of(node_id) in forgotten
            }
            db.executemany("delete from lines where test = ?", [(t,) for t in dropped])
            db.executemany("delete from tests where node_id = ?", [(t,) for t in dropped])
            db.executemany(
                "delete from lines where path = ? and test = ?",
                [(p, IMPORT_TIME) for p in plan.changed_sources],
            )
            db.executemany(
                "delete from lines where path = ?",
                [(p,) for p in plan.changed_sources if p not in sources],
            )
            db.executemany(
                "insert into tests (node_id, seconds) values (?, ?)", sorted(durations.items())
            )
            for path, rows in measured.items():
                for test, numbers in rows.items():
                    self._add_lines(path, test, numbers)
            db.execute("delete from sources")
            db.executemany("insert into sources values (?, ?)", sorted(sources.items()))
            db.execute("delete from test_files")
            db.executemany("insert into test_files values (?, ?)", sorted(test_files.items()))
            db.execute(
                "insert or replace into meta values ('settings', ?)",
                (json.dumps(settings, sort_keys=True),),
            )

    def _add_lines(self, path, test, numbers):
        numbits = nums_to_numbits(numbers)
        row = self.connection.execute(
            "select numbits from lines where path = ? and test = ?", (path, test)
        ).fetchone()
        if row:  # import-time lines of an unchanged file, seen again
            numbits = numbits_union(row[0], numbits)
        self.connection.execute(
            "insert or replace into lines values (?, ?, ?)", (path, test, numbits)
        )

    def lines(self, files) -> dict[str, dict[int, set[str]]]:
        """file -> line -> tests that execute it (IMPORT_TIME for module bodies)."""
        result = {}
        for path in files:
            rows = {
                test: set(numbits_to_nums(numbits))
                for test, numbits in self.connection.execute(
                    "select test, numbits from lines where path = ?", (path,)
                )
            }
            result[path] = tests_by_line(rows)
        return result

    def durations(self) -> dict[str, float]:
        return dict(self.connection.execute("select node_id, seconds from tests"))
