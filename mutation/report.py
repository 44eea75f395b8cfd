"""What bin/mutate prints and writes at the end of a run: the score per file, the
surviving mutants (and their entries for mutation/equivalent.toml, ready to copy), and
.mutation/report.json."""

import json
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATE = ROOT / ".mutation"


def describe(mutant):
    return (
        f"{mutant.path}:{mutant.first_line} [{mutant.operator.removeprefix('core/')}]\n"
        f"      - {mutant.original}\n      + {mutant.mutated or '(removed)'}"
    )


def report(mutants, equivalents, used_equivalents, started, fail_under):
    counts = Counter(m.outcome for m in mutants)
    per_file = defaultdict(Counter)
    for mutant in mutants:
        per_file[mutant.path][mutant.outcome] += 1
    survivors = [m for m in mutants if m.outcome in ("survived", "not covered")]
    killed, survived = counts["killed"], len(survivors)
    score = round(100 * killed / (killed + survived), 1) if killed + survived else 100.0
    seconds = round(time.monotonic() - started)

    print("\nPer file (killed / survived / equivalent):")
    for path, c in sorted(per_file.items()):
        alive = c["survived"] + c["not covered"]
        file_score = 100 * c["killed"] / (c["killed"] + alive) if c["killed"] + alive else 100
        print(
            f"  {path:40} {c['killed']:4} / {alive:3} / {c['equivalent']:3}   {file_score:5.1f} %"
        )
    if survivors:
        print(f"\nSurviving mutants ({survived}):")
        for mutant in sorted(survivors, key=lambda m: (m.path, m.first_line, m.operator)):
            note = "  (no test runs this line)" if mutant.outcome == "not covered" else ""
            print(f"  {describe(mutant)}{note}")
        snippets = STATE / "survivors.toml"
        snippets.write_text(
            "".join(
                "[[equivalent]]\n"
                f"file = {json.dumps(m.path)}\n"
                f"line = {json.dumps(m.original, ensure_ascii=False)}\n"
                f"mutant = {json.dumps(m.mutated, ensure_ascii=False)}\n"
                f"after = {json.dumps(m.after, ensure_ascii=False)}\n"
                'reason = ""\n\n'
                for m in survivors
            )
        )
        print(f"\nFor an equivalent one, copy its entry from {snippets.relative_to(ROOT)}")
        print("to mutation/equivalent.toml and give the reason; kill the others with a test.")
    incompetent = [m for m in mutants if m.outcome == "incompetent"]
    if incompetent:
        print(f"\nMutants whose tests could not run ({len(incompetent)}), not counted:")
        for mutant in incompetent:
            print(f"  {describe(mutant)}\n{mutant.reason}")
    stale = [e for e in equivalents if id(e) not in used_equivalents]
    if stale:
        print("\nEntries of mutation/equivalent.toml that match no mutant (remove or update):")
        for entry in stale:
            print(f"  {entry['file']}: {entry['line']!r} -> {entry['mutant']!r}")
    print(
        f"\nScore: {score} % of {killed + survived} non-equivalent mutants killed "
        f"({counts['equivalent']} equivalent), {seconds} s."
    )
    summary = {
        "killed": killed,
        "survived": survived,
        "equivalent": counts["equivalent"],
        "not_covered": counts["not covered"],
        "incompetent": counts["incompetent"],
        "score": score,
        "seconds": seconds,
    }
    (STATE / "report.json").write_text(
        json.dumps(
            {
                **summary,
                "mutants": [
                    {
                        "file": m.path,
                        "line": m.first_line,
                        "operator": m.operator,
                        "original": m.original,
                        "mutated": m.mutated,
                        "outcome": m.outcome,
                        "killer": m.killer,
                        "reason": m.reason if m.outcome == "equivalent" else "",
                        "seconds": round(m.seconds, 2),
                        "tests": len(m.tests),
                    }
                    for m in mutants
                ],
            },
            indent=1,
        )
    )
    print(json.dumps(summary))
    return 0 if score >= fail_under and not incompetent else 1
