"""What ``bin/mutate`` reads from ``mutation/config.toml``: the files to mutate, and which of
the tests that execute a mutated line may run against it."""

import fnmatch
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = ROOT / "mutation"


def load_config():
    config = tomllib.loads((HERE / "config.toml").read_text())
    config.setdefault("exclude", [])
    config.setdefault("exclude-operators", [])
    config.setdefault("pytest-args", [])
    config.setdefault("class-checks", [])
    config.setdefault("exclude-tests", [])
    config.setdefault("own-tests", {})
    return config


def without_excluded(tests, patterns):
    """The tests, in their order, less those matching any pattern (config "exclude-tests")."""
    return [t for t in tests if not any(fnmatch.fnmatch(t, pattern) for pattern in patterns)]


def own_tests_only(tests, path, own):
    """The tests, in their order, that may judge a mutant of ``path``: for a path under an
    entry of config "own-tests" (a file or folder), only those matching its patterns;
    otherwise all of them. The innermost entry wins."""
    entries = [entry for entry in own if path == entry or path.startswith(entry.rstrip("/") + "/")]
    if not entries:
        return list(tests)
    patterns = own[max(entries, key=len)]
    return [t for t in tests if any(fnmatch.fnmatch(t, pattern) for pattern in patterns)]


def allowed_tests(tests, path, config):
    """The tests that run against a mutant of ``path``, in their order."""
    return own_tests_only(
        without_excluded(tests, config["exclude-tests"]), path, config["own-tests"]
    )


def target_files(config, only):
    files = set()
    for entry in config["paths"]:
        path = ROOT / entry
        candidates = [path] if path.is_file() else sorted(path.rglob("*.py"))
        for candidate in candidates:
            relative = candidate.relative_to(ROOT).as_posix()
            if "/migrations/" in relative:
                continue
            if any(fnmatch.fnmatch(relative, pattern) for pattern in config["exclude"]):
                continue
            files.add(relative)
    if only:
        wanted = [Path(p).as_posix().rstrip("/") for p in only]
        files = {f for f in files if any(f == w or f.startswith(w + "/") for w in wanted)}
    return sorted(files)
