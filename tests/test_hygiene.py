"""The tests themselves: a test whose every assertion sits inside a loop passes when the
loop runs zero times, so it would not notice when what it loops over goes missing."""

import ast
import pathlib

TESTS = pathlib.Path(__file__).resolve().parent
# Other ways a test checks something outside a loop.
OTHER_CHECKS = ("pytest.raises", "assert_num_queries", "expect(", "axe_check")


def _asserts(node, in_loop, found):
    for child in ast.iter_child_nodes(node):
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        if isinstance(child, ast.Assert):
            found[in_loop] += 1
        _asserts(child, in_loop or isinstance(child, (ast.For, ast.While)), found)


def loop_only_tests(source: str) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test"):
            found = {False: 0, True: 0}
            _asserts(node, False, found)
            if not found[True] or found[False]:
                continue
            # Read the test's text only now: get_source_segment splits the whole file.
            text = ast.get_source_segment(source, node)
            if not any(check in text for check in OTHER_CHECKS):
                names.append(node.name)
    return names


def test_the_check_finds_a_test_that_asserts_only_in_a_loop():
    source = "def test_x(rows):\n    for row in rows:\n        assert row\n"
    guarded = "def test_y(rows):\n    assert rows\n    for row in rows:\n        assert row\n"

    assert loop_only_tests(source) == ["test_x"]
    assert loop_only_tests(guarded) == []


def test_no_test_asserts_only_inside_a_loop():
    files = sorted(TESTS.rglob("test_*.py"))
    found = [
        f"{path.relative_to(TESTS)}::{name}"
        for path in files
        for name in loop_only_tests(path.read_text())
    ]

    assert len(files) > 100
    assert found == []
