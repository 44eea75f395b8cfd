"""Mutation run over the modules that hold the rules (see ``mutation/config.toml``).

1. Copy the project into one working folder per worker (the checkout is never touched).
2. Which tests execute which line, and how long each test takes: from the stored coverage
   map (mutation/coverage_map.py), measured again with per-test coverage only for the tests
   that ran a changed file and the tests of changed test modules (all of the fast suite
   when there is no map, or with --rebuild-map). The tests measured must pass.
3. cosmic-ray lists the mutants (operators, minus the ones the config leaves out).
4. For each mutant, a worker writes it into its folder and runs only the tests that
   execute the mutated line, quickest first, stopping at the first failure. Lines that
   run at import time (rules, decorators, class bodies) get every test that runs code of
   the same class or module.
5. Mutants listed in ``mutation/equivalent.toml`` do not count; the score is
   killed / (killed + survived) over the rest.

The last line printed is JSON: killed, survived, equivalent, score, seconds, ...
"""

import argparse
import ast
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections import defaultdict
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from pathlib import Path
from queue import Queue

import coverage
from cosmic_ray.mutating import mutate_code
from cosmic_ray.plugins import get_operator
from cosmic_ray.work_db import WorkDB, use_db
from cosmic_ray.work_item import TestOutcome, WorkerOutcome, WorkResult
from coverage.parser import PythonParser

from mutation import coverage_map, journal, scores
from mutation.configuration import allowed_tests, load_config, target_files
from mutation.coverage_map import CoverageMap
from mutation.mutants import list_mutants, load_equivalents, match_equivalent
from mutation.report import STATE, report

ROOT = Path(__file__).resolve().parent.parent
HERE = ROOT / "mutation"
COPY_IGNORE = shutil.ignore_patterns(*coverage_map.SKIPPED_DIRS, "*.sqlite3", ".coverage*")
# Time allowed for one mutant: interpreter, Django and test-database start-up, then a
# multiple of what its tests took on the unmutated code.
STARTUP_SECONDS = 20
# Plugins the fast suite does not use; loading them costs a second per mutant.
QUIET_PLUGINS = ("-p", "no:playwright", "-p", "no:faker")
# One mutant's run: stop at the first failure, the selection plugin, a copied test database.
MUTANT_PYTEST_ARGS = (
    "-x",
    "-q",
    "--no-header",
    "--tb=no",
    "-p",
    "mutation.pytest_plugin",
    *QUIET_PLUGINS,
    "-p",
    "no:pytest_cov",
    "--ds=mutation.settings",
    "--reuse-db",
)
SLOWDOWN_FACTOR = 4


def make_workers(count):
    workers = STATE / "workers"
    shutil.rmtree(workers, ignore_errors=True)
    folders = []
    for index in range(count):
        folder = workers / str(index)
        shutil.copytree(ROOT, folder, ignore=COPY_IGNORE, symlinks=True)
        folders.append(folder)
    return folders


def test_environment(**extra):
    env = dict(os.environ)
    # Always SQLite in memory: parallel workers must not share a PostgreSQL test database.
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env["PYTHONDONTWRITEBYTECODE"] = "1"  # a mutant must never be served from a stale .pyc
    env["MUTATION_RUN"] = "1"  # lets tests of wall-clock behaviour step aside (see their skips)
    env.update(extra)
    return env


def measure_coverage(folder, config, files, *, rebuild):
    """Which test executes which line of the files to mutate, and how long each test takes,
    from the stored coverage map, measured again only where the project changed (see
    mutation/coverage_map.py); the whole fast suite when there is no map or on --rebuild-map.
    The tests measured must pass on the unmutated code."""
    store = CoverageMap(STATE / "coverage-map.sqlite")
    try:
        settings = {"format": coverage_map.FORMAT, "pytest-args": config["pytest-args"]}
        sources, test_files = coverage_map.project_hashes(ROOT)
        stored = None if rebuild or store.settings() != settings else store.stored()
        targets = set(target_files(config, None))
        plan = coverage_map.plan_update(stored, sources, test_files, targets=targets)
        if plan.empty:
            print("Coverage map: up to date, nothing measured.")
        else:
            measured, durations = {}, {}
            if plan.needs_run:
                measured, durations = run_measurement(folder, config, plan)
            store.apply(
                plan,
                measured=measured,
                durations=durations,
                sources=sources,
                test_files=test_files,
                settings=settings,
            )
        return store.lines(files), store.durations(), store.stored().touched
    finally:
        store.close()


def run_measurement(folder, config, plan):
    """Run the planned tests with per-test coverage of the whole project; (file -> test ->
    lines, test -> seconds)."""
    durations_file = folder / ".mutation-durations.json"
    extra = {
        "MUTATION_DURATIONS": str(durations_file),
        "COVERAGE_FILE": str(folder / ".coverage"),
    }
    what = "the whole fast suite"
    if not plan.full:
        (folder / ".mutation-select.txt").write_text("\n".join(plan.selection()) + "\n")
        extra["MUTATION_SELECT"] = str(folder / ".mutation-select.txt")
        what = (
            f"{len(plan.tests)} tests and {len(plan.test_files)} test modules "
            f"({len(plan.changed_sources)} files changed)"
        )
    if plan.imports:
        (folder / ".mutation-import.txt").write_text("\n".join(plan.imports) + "\n")
        extra["MUTATION_IMPORT"] = str(folder / ".mutation-import.txt")
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "mutation.pytest_plugin",
        *QUIET_PLUGINS,
        "--cov-context=test",
        "--cov-report=",
        "--cov=.",
        *config["pytest-args"],
    ]
    if not plan.full:
        # Collecting only the modules of the tests chosen saves most of the start-up time.
        command += sorted({coverage_map.test_file_of(entry) for entry in plan.selection()})
    print(f"Coverage map: measuring {what} ...", flush=True)
    started = time.monotonic()
    result = subprocess.run(  # noqa: S603 (our own interpreter and arguments)
        command,
        cwd=folder,
        env=test_environment(**extra),
        capture_output=True,
        text=True,
        check=False,
    )
    # 5: no test collected, e.g. only e2e tests or nothing but imports were to be measured.
    if result.returncode not in (0, 5) or (plan.full and result.returncode != 0):
        print(result.stdout[-6000:], result.stderr[-3000:], sep="\n")
        raise SystemExit("bin/mutate: the tests fail on the unmutated code; fix them first.")
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
    print(f"Coverage map: {summary} ({time.monotonic() - started:.0f} s, with coverage)")
    durations = json.loads(durations_file.read_text()) if durations_file.exists() else {}
    data = coverage.CoverageData(basename=str(folder / ".coverage"))
    data.read()
    measured = {}
    for path in data.measured_files():
        relative = Path(path).resolve().relative_to(folder.resolve()).as_posix()
        if not coverage_map.is_test_module(relative):
            measured[relative] = coverage_map.lines_by_test(data.contexts_by_lineno(path))
    return measured, durations


def neighbour_tests(files, touched, durations):
    """File to mutate -> the tests that run code of a module importing it, and the tests
    of test modules importing it."""
    sources, test_modules = coverage_map.project_hashes(ROOT)
    imports = {}
    for path in [*sources, *test_modules]:
        try:
            imports[path] = coverage_map.imported_modules(path, (ROOT / path).read_text())
        except SyntaxError:
            continue
    by_module = defaultdict(set)
    for test in durations:
        by_module[coverage_map.test_file_of(test)].add(test)
    return {
        path: set().union(
            *(
                by_module[importer] if importer in test_modules else touched.get(importer, set())
                for importer in coverage_map.importers(path, imports)
            )
        )
        for path in files
    }


def class_ranges(source):
    """(first line, last line) of every class, decorators included."""
    ranges = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ClassDef):
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            ranges.append((first, node.end_lineno))
    return ranges


def statement_starts(source):
    """Line -> first line of its statement (coverage records a statement by that line)."""
    parser = PythonParser(text=source)
    parser.parse_source()
    return parser.multiline_map


def select_tests(
    mutant,
    lines,
    classes,
    statements,
    durations,
    neighbours=frozenset(),
    class_checks=(),
    readers=frozenset(),
):
    """The tests that execute the mutated lines, quickest first.

    A line that runs at import time (rules, decorators, fields, class bodies) is executed
    before any test, so coverage cannot tell which tests depend on it: first the tests that
    run code of the enclosing class (or module), then the other tests that run code of the
    module or of a module that imports it (``neighbours``): whatever reads a name defined
    at import time is there. (The whole suite would cost most of an hour per survivor.)

    A class body's line (a model's field, a choice) gets ``class_checks`` before all of
    them: the migrations test compares every model with its migrations, but runs no code
    of the class, so coverage never names it, and it would otherwise come last or never.
    So does any import-time line of a module that has classes (a constant may be a field's
    ``max_length``): otherwise its mutant waits behind every test that imports the module.
    A module constant's ``readers`` (the tests that ran a line naming it, see
    constant_readers) come next: a bound's own test is among a few dozen, not thousands."""
    by_line = lines.get(mutant.path, {})
    span = set(range(mutant.first_line, mutant.last_line + 1))
    # Every line of the mutated statement: coverage records the lines of a statement that
    # ran, and a test that ran only the first operand of a condition (the second one cut
    # short) is the very test that notices `or` turned into `and`.
    starts = {statements[mutant.path].get(number, number) for number in span}
    span |= starts | {n for n, start in statements[mutant.path].items() if start in starts}
    quickest = {"key": lambda t: (durations.get(t, 1.0), t)}
    tests = set().union(*(by_line.get(n, set()) for n in span)) - {""}
    if not any("" in by_line.get(n, ()) for n in span):
        return sorted(tests, **quickest)  # run by these tests only, or never executed
    # Run at import time. A module first imported during a test (a measurement of only
    # some tests) also has that test's context on these lines: not the only reader.
    scopes = sorted(
        (r for r in classes[mutant.path] if r[0] <= mutant.first_line <= r[1]), reverse=True
    )
    primary = set()
    for first, last in [*scopes, (1, 10**9)]:  # innermost class first, then the module
        primary = set().union(
            *(contexts for number, contexts in by_line.items() if first <= number <= last)
        ) - {""}
        if primary:
            break
    module = set().union(*by_line.values()) - {""}
    # A module's own import-time line (a constant such as a field's max_length) can shape a
    # class body too: in a module with classes, the checks come first for it as well.
    checks = [t for t in class_checks if t in durations] if classes[mutant.path] else []
    first = (set(readers) & set(durations)) - set(checks)
    primary -= set(checks) | first
    rest = ((module | set(neighbours)) & set(durations)) - primary - set(checks) - first
    return (
        checks + sorted(first, **quickest) + sorted(primary, **quickest) + sorted(rest, **quickest)
    )


CONSTANT = re.compile(r"[A-Z][A-Z0-9_]{2,}")


def module_constants(source) -> dict[int, str]:
    """Line -> the UPPER_CASE module constant assigned on it (every line of the statement)."""
    constants = {}
    for node in ast.parse(source).body:
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        for target in targets:
            if isinstance(target, ast.Name) and CONSTANT.fullmatch(target.id):
                constants.update(dict.fromkeys(range(node.lineno, node.end_lineno + 1), target.id))
    return constants


def constant_readers(constants, texts, store) -> dict[str, set[str]]:
    """Constant -> the tests that ran a line of the project naming it (its own assignment
    runs at import time and names no test). A name defined in two modules gets the readers
    of both: a few more tests first, none missed."""
    if not constants:
        return {}
    pattern = re.compile(r"\b(" + "|".join(sorted(map(re.escape, constants))) + r")\b")
    where = defaultdict(lambda: defaultdict(set))  # path -> line -> names
    for path, source in texts.items():
        for number, text in enumerate(source.splitlines(), start=1):
            for name in pattern.findall(text):
                where[path][number].add(name)
    readers = defaultdict(set)
    for path, by_line in store.lines(list(where)).items():
        for number, names in where[path].items():
            for name in names:
                readers[name] |= by_line.get(number, set()) - {coverage_map.IMPORT_TIME}
    return readers


class Worker:
    """One copy of the project with its warm interpreter (mutation.forkserver)."""

    DATABASE = ".mutation-test-db.sqlite3"
    TEMPLATE = ".mutation-db-template.sqlite3"

    def __init__(self, folder):
        self.folder = folder
        self.server = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
            [sys.executable, "-m", "mutation.forkserver"],
            cwd=folder,
            env=test_environment(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        if json.loads(self.server.stdout.readline()) != {"ready": True}:
            raise SystemExit(f"bin/mutate: the test server in {folder} did not start.")

    def stop(self):
        self.server.stdin.close()
        self.server.wait(timeout=60)

    def pytest(self, args, select, timeout):
        """Run pytest on the selected tests in a fresh child; (exit code or None, output)."""
        (self.folder / ".mutation-select.txt").write_text("\n".join(select) + "\n")
        shutil.copyfile(self.folder / self.TEMPLATE, self.folder / self.DATABASE)
        output = self.folder / ".mutation-output.txt"
        request = {
            "args": [*MUTANT_PYTEST_ARGS, *args],
            "env": {"MUTATION_SELECT": str(self.folder / ".mutation-select.txt")},
            "timeout": timeout,
            "output": str(output),
        }
        self.server.stdin.write(json.dumps(request) + "\n")
        self.server.stdin.flush()
        answer = json.loads(self.server.stdout.readline())
        return answer["code"], output.read_text(errors="replace") if output.exists() else ""


def make_template_database(workers):
    """Migrate the test database once; each run starts from a copy of it."""
    folder = workers[0].folder
    script = (
        "import django; django.setup(); from django.db import connection; "
        "connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)"
    )
    subprocess.run(  # noqa: S603 (our own interpreter and arguments)
        [sys.executable, "-c", script],
        cwd=folder,
        env=test_environment(DJANGO_SETTINGS_MODULE="mutation.settings"),
        check=True,
    )
    for worker in workers:
        shutil.copyfile(folder / Worker.DATABASE, worker.folder / Worker.TEMPLATE)


def run_mutant(mutant, worker, sources, timeout):
    """Write the mutant into the worker's folder, run its tests, put the original back."""
    target = worker.folder / mutant.path
    operator = get_operator(mutant.operator)()
    mutated_code = mutate_code(sources[mutant.path], operator, mutant.occurrence)
    test_files = list(dict.fromkeys(t.split("::")[0] for t in mutant.tests))
    started = time.monotonic()
    target.write_text(mutated_code)
    try:
        code, output = worker.pytest(test_files, mutant.tests, timeout)
    finally:
        target.write_text(sources[mutant.path])
        mutant.seconds = time.monotonic() - started
    if code is None:
        mutant.outcome, mutant.killer = "killed", f"timeout after {timeout:.0f} s"
    elif code == 0:
        mutant.outcome = "survived"
    elif code == 5:  # no test collected: the selection is wrong, not the code
        mutant.outcome, mutant.reason = "incompetent", output[-2000:]
    else:
        mutant.outcome = "killed"
        failed = [ln for ln in output.splitlines() if ln.startswith(("FAILED ", "ERROR "))]
        mutant.killer = failed[0] if failed else f"exit code {code}"
        if failed:
            mutant.killer_test = failed[0].split(" ", 1)[1].split(" - ", 1)[0]
    return mutant


def record(work_db, mutant):
    outcome = {
        "killed": TestOutcome.KILLED,
        "survived": TestOutcome.SURVIVED,
        "incompetent": TestOutcome.INCOMPETENT,
    }.get(mutant.outcome)
    work_db.set_result(
        mutant.job_id,
        WorkResult(
            worker_outcome=WorkerOutcome.NORMAL if outcome else WorkerOutcome.NO_TEST,
            test_outcome=outcome,
            output=mutant.killer or mutant.reason,
            diff=f"- {mutant.original}\n+ {mutant.mutated}",
        ),
    )


def main(argv=None):
    parser = argparse.ArgumentParser(prog="bin/mutate", description=__doc__.split("\n\n")[0])
    parser.add_argument("only", nargs="*", help="limit the run to these files or folders")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument(
        "--rebuild-map",
        action="store_true",
        help="measure the coverage of the whole fast suite again instead of reusing the map",
    )
    parser.add_argument(
        "--record",
        action="store_true",
        help="write the score of each path measured (or of each path of the config) "
        "into mutation/scores.json",
    )
    parser.add_argument(
        "--resume",
        action="store_true",
        help="keep the outcomes of an earlier run that still hold (the same code; a kill "
        "whose test module is unchanged; see mutation/journal.py) and test only the others",
    )
    parser.add_argument("--fail-under", type=float, default=90.0, help="score needed (percent)")
    args = parser.parse_args(argv)
    os.chdir(ROOT)
    started = time.monotonic()
    config = load_config()
    files = target_files(config, args.only)
    if not files:
        raise SystemExit("bin/mutate: no file to mutate.")
    STATE.mkdir(exist_ok=True)
    (STATE / ".gitignore").write_text("*\n")

    mutants, sources = list_mutants(files, config, STATE / "session.sqlite")
    print(f"Mutating {len(files)} files: {len(mutants)} mutants, {args.workers} workers.")
    folders = make_workers(args.workers)
    lines, durations, touched = measure_coverage(
        folders[0], config, files, rebuild=args.rebuild_map
    )
    neighbours = neighbour_tests(files, touched, durations)
    constants = {path: module_constants(source) for path, source in sources.items()}
    store = CoverageMap(STATE / "coverage-map.sqlite")
    try:
        readers = constant_readers(
            {name for by_line in constants.values() for name in by_line.values()},
            {path: (ROOT / path).read_text() for path in coverage_map.project_hashes(ROOT)[0]},
            store,
        )
    finally:
        store.close()
    classes = {path: class_ranges(source) for path, source in sources.items()}
    statements = {path: statement_starts(source) for path, source in sources.items()}
    equivalents = load_equivalents()
    used_equivalents = set()

    fingerprint = journal.fingerprint_of(ROOT)
    earlier = journal.start(STATE / "journal.jsonl", fingerprint, resume=args.resume)
    to_run, resumed = [], 0
    for mutant in mutants:
        entry = match_equivalent(mutant, equivalents)
        if entry is not None:
            mutant.outcome, mutant.reason = "equivalent", entry["reason"]
            used_equivalents.add(id(entry))
            continue
        if journal.take_earlier(mutant, earlier):
            resumed += 1
            continue
        mutant.tests = allowed_tests(
            select_tests(
                mutant,
                lines,
                classes,
                statements,
                durations,
                neighbours[mutant.path],
                class_checks=config["class-checks"],
                readers=readers.get(constants[mutant.path].get(mutant.first_line), set()),
            ),
            mutant.path,
            config,
        )
        if not mutant.tests:
            mutant.outcome = "not covered"
            continue
        to_run.append(mutant)
    # File by file, so that the tests that killed a file's mutants are tried first on the
    # next ones (a test that catches one broken rule of a module often catches its others).
    to_run.sort(key=lambda m: (m.path, m.first_line, m.operator))
    if args.resume:
        print(f"Resumed: {resumed} mutants measured before on this code, {len(to_run)} to test.")
    killers = journal.load_killers(STATE / "killers.json")
    lock = threading.Lock()
    workers = [Worker(folder) for folder in folders]
    make_template_database(workers)
    free = Queue()
    for worker in workers:
        free.put(worker)

    def work(mutant):
        with lock:
            known = killers[mutant.path].copy()
        mutant.tests.sort(key=lambda t: -known[t])  # stable: otherwise the order chosen above
        budget = sum(durations.get(t, 1.0) for t in mutant.tests)
        worker = free.get()
        try:
            run_mutant(mutant, worker, sources, STARTUP_SECONDS + SLOWDOWN_FACTOR * budget)
        finally:
            free.put(worker)
        with lock:
            journal.write(STATE / "journal.jsonl", fingerprint, mutant)
        if mutant.killer_test:
            with lock:
                journal.count_killer(
                    killers, mutant.path, mutant.killer_test, store=STATE / "killers.json"
                )
        return mutant

    done = 0
    last_report = time.monotonic()
    with use_db(str(STATE / "session.sqlite"), WorkDB.Mode.open) as work_db:
        for mutant in mutants:
            if mutant.outcome:
                record(work_db, mutant)
        with ThreadPoolExecutor(max_workers=len(folders)) as pool:
            pending = {pool.submit(work, mutant) for mutant in to_run}
            while pending:
                finished, pending = wait(pending, timeout=60, return_when=FIRST_COMPLETED)
                for future in finished:
                    record(work_db, future.result())
                    done += 1
                if time.monotonic() - last_report > 60 or not pending:
                    last_report = time.monotonic()
                    print(
                        f"  {done}/{len(to_run)} mutants tested "
                        f"({time.monotonic() - started:.0f} s)",
                        flush=True,
                    )
    for worker in workers:
        worker.stop()
    shutil.rmtree(STATE / "workers", ignore_errors=True)
    if args.record:
        outcomes = [(m.path, m.outcome) for m in mutants]
        measured = scores.scores_by_path(
            outcomes,
            args.only or config["paths"],
            commit=scores.current_commit(ROOT),
            date=dt.date.today().isoformat(),
        )
        scores.record(HERE / "scores.json", measured)
    return report(mutants, equivalents, used_equivalents, started, args.fail_under)


if __name__ == "__main__":
    sys.exit(main())
