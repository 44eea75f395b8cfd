"""pytest plugin used by ``bin/mutate`` (loaded with ``-p mutation.pytest_plugin``).

- ``MUTATION_DURATIONS=path``: write each test's duration (setup + call + teardown) as JSON,
  so that the run can try the quickest tests of a mutant first.
- ``MUTATION_SELECT=path``: run only the tests listed in the file, in that order: a line is
  a node id, or a test module's path (all its tests, in the order collected).
- ``MUTATION_IMPORT=path``: import the modules listed in the file before the first test,
  so that coverage sees their import-time lines even if no selected test imports them.
"""

import importlib
import json
import os
from collections import defaultdict
from pathlib import Path

_durations: dict[str, float] = defaultdict(float)


def selected(node_ids: list[str], entries: list[str]) -> list[str]:
    """The node ids chosen by the entries, in the entries' order."""
    order = {entry: index for index, entry in enumerate(entries)}

    def rank(node_id):
        return order.get(node_id, order.get(node_id.split("::", 1)[0]))

    return sorted((n for n in node_ids if rank(n) is not None), key=rank)


def pytest_sessionstart(session):
    modules = os.environ.get("MUTATION_IMPORT")
    if modules:
        for name in Path(modules).read_text().split():
            importlib.import_module(name)


def pytest_collection_modifyitems(session, config, items):
    select = os.environ.get("MUTATION_SELECT")
    if not select:
        return
    by_id = {item.nodeid: item for item in items}
    kept = [by_id[n] for n in selected(list(by_id), Path(select).read_text().splitlines())]
    chosen = {item.nodeid for item in kept}
    deselected = [item for item in items if item.nodeid not in chosen]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
    items[:] = kept


def pytest_runtest_logreport(report):
    _durations[report.nodeid] += report.duration


def pytest_sessionfinish(session, exitstatus):
    target = os.environ.get("MUTATION_DURATIONS")
    if target:
        Path(target).write_text(json.dumps(_durations, indent=0, sort_keys=True))
