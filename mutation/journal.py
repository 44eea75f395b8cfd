"""What a ``bin/mutate`` run keeps for the next: the tests that killed each file's mutants
(tried first next time), and the journal of outcomes, so that ``--resume`` goes on where a
stopped run ended (a large module takes hours; a reboot or a Ctrl-C may come first).

Every mutant's outcome is appended to ``.mutation/journal.jsonl`` as soon as it is known,
with the fingerprint of the code it was measured on: every file git tracks or would track
(sources, tests, templates, settings, the runner itself), by content. ``--resume`` takes
an earlier outcome only when the fingerprint is the same, so a resumed run measures exactly
what one uninterrupted run would have. Left out of the fingerprint: the scores and the list
of equivalent mutants, which say nothing about what a test run of a mutant gives.
"""

import hashlib
import json
import subprocess
from collections import Counter, defaultdict
from pathlib import Path

# Files that never change a mutant's outcome (bin/mutate --record writes the first).
NOT_FINGERPRINTED = frozenset({"mutation/scores.json", "mutation/equivalent.toml"})


def tree_fingerprint(root: Path) -> str:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],  # noqa: S607
        cwd=root,
        capture_output=True,
        check=True,
    ).stdout.decode()
    digest = hashlib.sha256()
    for path in sorted(set(filter(None, listed.split("\0"))) - NOT_FINGERPRINTED):
        file = root / path
        content = file.read_bytes() if file.is_file() else b"(deleted)"
        digest.update(f"{path}\0{hashlib.sha256(content).hexdigest()}\n".encode())
    return digest.hexdigest()


def mutant_key(mutant) -> str:
    """Which mutant: its file, operator and occurrence, and what it changes (as a check)."""
    return json.dumps(
        [mutant.path, mutant.operator, mutant.occurrence, mutant.first_line, mutant.mutated]
    )


def start(path: Path, fingerprint: str, *, resume: bool) -> dict[str, dict]:
    """Open the journal for a run: the outcomes measured on this very code when resuming
    (key → entry), and nothing otherwise. Entries of other code are dropped."""
    earlier = {}
    if resume and path.exists():
        for line in path.read_text().splitlines():
            try:
                entry = json.loads(line)
            except ValueError:  # the last line of a run stopped while writing it
                continue
            if entry.get("fingerprint") == fingerprint:
                earlier[entry["key"]] = entry
    kept = "".join(json.dumps(entry) + "\n" for entry in earlier.values())
    partial = path.with_suffix(".partial")
    partial.write_text(kept)
    partial.replace(path)
    return earlier


def write(path: Path, fingerprint: str, mutant) -> None:
    entry = {
        "fingerprint": fingerprint,
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
    """Give the mutant its outcome from an earlier run of the same code, if there is one."""
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
