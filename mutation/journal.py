"""What a ``bin/mutate`` run keeps for the next: the tests that killed each file's mutants
(tried first next time), and the journal of outcomes, so that ``--resume`` goes on where a
stopped run ended (a large module takes hours; a reboot or a Ctrl-C may come first) and a
re-run after new tests measures only what they may have changed.

Every mutant's outcome is appended to ``.mutation/journal.jsonl`` as soon as it is known,
with two fingerprints of what it was measured on, by content: the code (every file git
tracks or would track, templates, settings, test helpers and the runner included) and the
test modules. ``--resume`` takes an earlier outcome only for the same code, and

- a killed mutant when the test module of the test that killed it is unchanged (the same
  test on the same code fails the same way, whatever other tests were added), or for a kill
  without a named test (a timeout), the modules of all the tests it ran;
- any other outcome (a survivor, which a new test may kill) only when no test module changed,

so a resumed run measures what one uninterrupted run would have. Left out: the scores and
the list of equivalent mutants, which say nothing about what a mutant's test run gives.
"""

import hashlib
import json
import subprocess
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from mutation.coverage_map import is_test_module, test_file_of

# Files that never change a mutant's outcome (bin/mutate --record writes the first).
NOT_FINGERPRINTED = frozenset({"mutation/scores.json", "mutation/equivalent.toml"})


@dataclass(frozen=True)
class Fingerprint:
    code: str  # every file but the test modules
    tests: str  # every test module
    test_modules: dict  # test module -> hash of its content


def fingerprint_of(root: Path) -> Fingerprint:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],  # noqa: S607
        cwd=root,
        capture_output=True,
        check=True,
    ).stdout.decode()
    code, tests, test_modules = hashlib.sha256(), hashlib.sha256(), {}
    for path in sorted(set(filter(None, listed.split("\0"))) - NOT_FINGERPRINTED):
        file = root / path
        content_hash = hashlib.sha256(file.read_bytes() if file.is_file() else b"").hexdigest()
        if is_test_module(path):
            test_modules[path] = content_hash
            tests.update(f"{path}\0{content_hash}\n".encode())
        else:
            code.update(f"{path}\0{content_hash}\n".encode())
    return Fingerprint(code.hexdigest(), tests.hexdigest(), test_modules)


def mutant_key(mutant) -> str:
    """Which mutant: its file, operator and occurrence, and what it changes (as a check)."""
    return json.dumps(
        [mutant.path, mutant.operator, mutant.occurrence, mutant.first_line, mutant.mutated]
    )


def still_valid(entry: dict, now: Fingerprint) -> bool:
    if entry.get("code") != now.code:
        return False
    if entry.get("tests") == now.tests:
        return True
    killed_by = entry.get("killed_by") or {}
    return (
        entry.get("outcome") == "killed"
        and bool(killed_by)
        and all(now.test_modules.get(module) == known for module, known in killed_by.items())
    )


def start(path: Path, now: Fingerprint, *, resume: bool) -> dict[str, dict]:
    """Open the journal for a run: when resuming, the outcomes that still hold (key →
    entry), and nothing otherwise. The journal keeps only those."""
    earlier = {}
    if resume and path.exists():
        for line in path.read_text().splitlines():
            try:
                entry = json.loads(line)
            except ValueError:  # the last line of a run stopped while writing it
                continue
            if still_valid(entry, now):
                earlier[entry["key"]] = entry
    kept = "".join(json.dumps(entry) + "\n" for entry in earlier.values())
    partial = path.with_suffix(".partial")
    partial.write_text(kept)
    partial.replace(path)
    return earlier


def write(path: Path, now: Fingerprint, mutant) -> None:
    """The outcome, and for a kill the test modules it rests on: the killing test's, or
    where no test is named (a timeout, a module that no longer imports) every selected
    test's, since the same tests would run into the same end."""
    named = [mutant.killer_test] if mutant.killer_test else mutant.tests
    modules = sorted({test_file_of(test) for test in named})
    killed_by = {module: now.test_modules.get(module) for module in modules}
    entry = {
        "code": now.code,
        "tests": now.tests,
        "killed_by": killed_by if mutant.outcome == "killed" else {},
        "key": mutant_key(mutant),
        "outcome": mutant.outcome,
        "killer": mutant.killer,
        "killer_test": mutant.killer_test,
        "reason": mutant.reason,
        "seconds": round(mutant.seconds, 1),
    }
    with path.open("a") as journal:
        journal.write(json.dumps(entry) + "\n")


def take_earlier(mutant, earlier: dict[str, dict]) -> bool:
    """Give the mutant its outcome from an earlier run, if one still holds."""
    entry = earlier.get(mutant_key(mutant))
    if entry is None:
        return False
    mutant.outcome = entry["outcome"]
    mutant.killer = entry["killer"]
    mutant.killer_test = entry["killer_test"]
    mutant.reason = entry["reason"]
    mutant.seconds = entry["seconds"]
    return True


def load_killers(path):
    """File -> test -> how many of its mutants the test killed, in earlier runs too: a
    re-run of a file tries those tests first (a test that killed many of a file's mutants
    is likely to kill its next one sooner than the coverage order would reach it)."""
    try:
        stored = json.loads(path.read_text())
    except (FileNotFoundError, ValueError):
        stored = {}
    return defaultdict(Counter, {file: Counter(counts) for file, counts in stored.items()})


def save_killers(path, killers):
    kept = {file: dict(counts) for file, counts in sorted(killers.items()) if counts}
    partial = path.with_suffix(".partial")
    partial.write_text(json.dumps(kept, indent=1, sort_keys=True) + "\n")
    partial.replace(path)  # whole or not at all, even when the run is stopped while writing


def count_killer(killers, file, test, *, store):
    """One more mutant of ``file`` killed by ``test``, stored at once: a run stopped before
    its end (a large folder can take hours) still speeds up the next one."""
    killers[file][test] += 1
    save_killers(store, killers)
