"""pytest plugin used by ``bin/mutate`` (loaded with ``-p mutation.pytest_plugin``).

- ``MUTATION_DURATIONS=path``: write each test's duration (setup + call + teardown) as JSON,
  so that the run can try the quickest tests of a mutant first.
- ``MUTATION_SELECT=path``: run only the node ids listed in the file, in that order.
"""

import json
import os
from collections import defaultdict
from pathlib import Path

_durations: dict[str, float] = defaultdict(float)


def pytest_collection_modifyitems(session, config, items):
    select = os.environ.get("MUTATION_SELECT")
    if not select:
        return
    order = {node_id: index for index, node_id in enumerate(Path(select).read_text().splitlines())}
    kept = sorted((item for item in items if item.nodeid in order), key=lambda i: order[i.nodeid])
    deselected = [item for item in items if item.nodeid not in order]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
    items[:] = kept


def pytest_runtest_logreport(report):
    _durations[report.nodeid] += report.duration


def pytest_sessionfinish(session, exitstatus):
    target = os.environ.get("MUTATION_DURATIONS")
    if target:
        Path(target).write_text(json.dumps(_durations, indent=0, sort_keys=True))
