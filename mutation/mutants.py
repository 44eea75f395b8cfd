"""The mutants of a run: cosmic-ray lists them, minus the operators the config leaves out,
the ones that do not compile and the ones that only move a signature's `*`; and the
mutants recorded as equivalent in ``mutation/equivalent.toml``."""

import ast
import difflib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from cosmic_ray.commands.init import init as cosmic_ray_init
from cosmic_ray.mutating import mutate_code
from cosmic_ray.plugins import get_operator
from cosmic_ray.work_db import WorkDB, use_db
from cosmic_ray.work_item import WorkerOutcome, WorkResult

ROOT = Path(__file__).resolve().parent.parent
HERE = ROOT / "mutation"


@dataclass
class Mutant:
    job_id: str
    path: str  # relative to the project
    operator: str
    occurrence: int
    first_line: int
    last_line: int
    definition: str | None
    original: str = ""  # the changed source lines, stripped and joined
    mutated: str = ""
    after: str = ""  # the nearest non-blank line above, to tell identical lines apart
    tests: list[str] = field(default_factory=list)
    outcome: str = ""  # killed | survived | not covered | incompetent | equivalent
    killer: str = ""  # the first failure, as pytest reports it
    killer_test: str = ""
    reason: str = ""
    seconds: float = 0.0


def changed_lines(original_code, mutated_code):
    before, after = original_code.splitlines(), mutated_code.splitlines()
    removed, added = [], []
    for line in difflib.unified_diff(before, after, lineterm="", n=0):
        if line.startswith(("---", "+++", "@@")):
            continue
        if line[1:].strip():
            (removed if line.startswith("-") else added).append(line[1:].strip())
    return " ".join(removed), " ".join(added)


def list_mutants(files, config, session_path):
    excluded = re.compile("|".join(f"(?:{p})" for p in config["exclude-operators"]) or "(?!)")
    session_path.unlink(missing_ok=True)
    sources = {path: (ROOT / path).read_text() for path in files}
    mutants = []
    with use_db(str(session_path), WorkDB.Mode.create) as work_db:
        cosmic_ray_init([Path(f) for f in files], work_db, {})
        # cosmic-ray stores paths as given: relative to the project, which is the cwd.
        for item in work_db.work_items:
            spec = item.mutations[0]
            if excluded.match(spec.operator_name):
                work_db.set_result(
                    item.job_id,
                    WorkResult(worker_outcome=WorkerOutcome.SKIPPED, output="operator left out"),
                )
                continue
            last_line = spec.end_pos[0] - (1 if spec.end_pos[1] == 0 else 0)
            mutant = Mutant(
                job_id=item.job_id,
                path=Path(spec.module_path).as_posix(),
                operator=spec.operator_name,
                occurrence=spec.occurrence,
                first_line=spec.start_pos[0],
                last_line=max(last_line, spec.start_pos[0]),
                definition=spec.definition_name,
            )
            operator = get_operator(spec.operator_name)(**spec.operator_args)
            mutated_code = mutate_code(sources[mutant.path], operator, spec.occurrence)
            if mutated_code is None or not compiles(mutated_code):
                # e.g. the keyword-only marker `*` of a signature taken for a multiplication
                continue
            if only_moves_a_signature_marker(sources[mutant.path], mutated_code):
                continue
            mutant.original, mutant.mutated = changed_lines(sources[mutant.path], mutated_code)
            above = sources[mutant.path].splitlines()[: mutant.first_line - 1]
            mutant.after = next((ln.strip() for ln in reversed(above) if ln.strip()), "")
            mutants.append(mutant)
    return mutants, sources


def compiles(code):
    try:
        compile(code, "<mutant>", "exec")
    except SyntaxError:
        return False
    return True


def _parameters_in_order(code):
    """The module's tree with every signature's parameters in one list (positional-only,
    ordinary and keyword-only alike) and its defaults in another."""
    tree = ast.parse(code)
    for node in ast.walk(tree):
        if isinstance(node, ast.arguments):
            node.args = [*node.posonlyargs, *node.args, *node.kwonlyargs]
            node.defaults = [*node.defaults, *(d for d in node.kw_defaults if d is not None)]
            node.posonlyargs, node.kwonlyargs, node.kw_defaults = [], [], []
    return ast.dump(tree)


def only_moves_a_signature_marker(original_code, mutated_code):
    """The keyword-only marker `*` of a signature turned into the positional-only `/`: it
    only narrows how a function may be called, which says nothing about the tests, and as
    a survivor it runs every selected test (minutes for a module every page reads)."""
    return _parameters_in_order(original_code) == _parameters_in_order(mutated_code)


def load_equivalents():
    path = HERE / "equivalent.toml"
    if not path.exists():
        return []
    return tomllib.loads(path.read_text()).get("equivalent", [])


def match_equivalent(mutant, equivalents):
    """An entry names the file, the line and the mutant as text (stripped), and where the
    same line occurs more than once, the line above it (``after``): it survives edits
    elsewhere in the file."""
    for entry in equivalents:
        if (
            entry["file"] == mutant.path
            and _words(entry["line"]) == _words(mutant.original)
            and _words(entry["mutant"]) == _words(mutant.mutated)
            and ("after" not in entry or _words(entry["after"]) == _words(mutant.after))
        ):
            return entry
    return None


def _words(text: str) -> str:
    """Text with its runs of white space as one space (two before a comment stay two in
    the code, not in an entry copied by hand)."""
    return " ".join(text.split())
