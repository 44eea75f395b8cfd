"""The direction of imports (DESIGN.md, Layout): every import statement of the project,
also those inside functions, read from the source with ``ast``.

- ``core`` imports no app of this project;
- models import no service, form or view;
- ``grants`` never imports ``review``, ``reporting`` or ``privacy``; ``review`` never
  ``reporting`` or ``privacy``; ``reporting`` never ``privacy`` (data protection reads
  every app; none of them reads it);
- nothing imports ``demo`` (the top floor), except the demo itself and the tests.
"""

import ast
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
APPS = ("accounts", "core", "demo", "grants", "ops", "privacy", "reporting", "review", "workflow")


def _modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            yield path.relative_to(ROOT)


def _imported(path: pathlib.Path) -> set[str]:
    tree = ast.parse((ROOT / path).read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _top(name: str) -> str:
    return name.split(".")[0]


def _violations(rule) -> list[str]:
    found = []
    for path in _modules():
        for name in sorted(_imported(path)):
            if rule(path, name):
                found.append(f"{path}: {name}")
    return found


def test_the_rules_see_every_app_module():
    modules = list(_modules())

    assert pathlib.Path("core/formats.py") in modules
    assert pathlib.Path("grants/models/applications.py") in modules
    assert len(modules) > 150


def test_core_imports_no_app():
    def rule(path, name):
        return path.parts[0] == "core" and _top(name) in APPS and _top(name) != "core"

    assert _violations(rule) == []


def _is_model_module(path: pathlib.Path) -> bool:
    return "models" in path.parts[:-1] or path.name == "models.py"


@pytest.mark.parametrize("layer", ["services", "forms", "views"])
def test_models_import_no_service_form_or_view(layer):
    def rule(path, name):
        parts = name.split(".")
        return _is_model_module(path) and _top(name) in APPS and layer in parts[1:]

    assert _violations(rule) == []


@pytest.mark.parametrize(
    ("app", "forbidden"),
    [
        ("grants", {"review", "reporting", "privacy", "demo"}),
        ("review", {"reporting", "privacy", "demo"}),
        ("reporting", {"privacy", "demo"}),
    ],
)
def test_lower_apps_do_not_import_upper_ones(app, forbidden):
    def rule(path, name):
        return path.parts[0] == app and _top(name) in forbidden

    assert _violations(rule) == []


def test_nothing_imports_the_demo():
    def rule(path, name):
        return path.parts[0] != "demo" and _top(name) == "demo"

    assert _violations(rule) == []


# ---------------------------------------------------------------------------------------
# Thin views (DESIGN.md, Style): a view checks the permission, calls one service or query
# and renders; the rest lives in queries.py, services/ or a helper.
VIEW_APPS = (*APPS, "privacy")
VIEW_MAX_LINES = 40


def _is_view_module(path: pathlib.Path) -> bool:
    return "views" in path.parts[:-1] or path.name == "views.py"


def long_functions(source: str, limit: int = VIEW_MAX_LINES) -> list[str]:
    """The module-level functions of ``source`` longer than ``limit`` lines (from ``def``
    to the last line, decorators not counted)."""
    return [
        f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for node in ast.parse(source).body
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        and node.end_lineno - node.lineno + 1 > limit
    ]


def test_the_length_check_counts_from_def_to_the_last_line():
    body = "".join(f"    x{i} = {i}\n" for i in range(39))
    source = f"@decorator\ndef short():\n{body}\n\ndef long():\n{body}    return x0\n"

    assert long_functions(source) == ["long (41 lines)"]


def test_no_view_function_is_longer_than_40_lines():
    views = [
        path.relative_to(ROOT)
        for app in VIEW_APPS
        for path in sorted((ROOT / app).rglob("*.py"))
        if _is_view_module(path.relative_to(ROOT))
    ]
    found = [
        f"{path}: {name}" for path in views for name in long_functions((ROOT / path).read_text())
    ]

    assert pathlib.Path("review/views/juror.py") in views
    assert pathlib.Path("privacy/views/person.py") in views
    assert pathlib.Path("grants/contracts/views/grantee.py") in views
    assert pathlib.Path("grants/contracts/views/reports.py") in views
    assert found == []


# ---------------------------------------------------------------------------------------
# Modules a reader can hold in their head (DESIGN.md, Style: under ~600 lines).
MODULE_MAX_LINES = 600


def test_no_app_module_is_longer_than_600_lines():
    lengths = {path: len((ROOT / path).read_text().splitlines()) for path in _modules()}
    found = sorted(
        f"{path} ({lines} lines)" for path, lines in lengths.items() if lines > MODULE_MAX_LINES
    )

    assert lengths[pathlib.Path("reporting/data.py")] > 500  # the check reads whole files
    assert found == []
