"""Settings of the test runs of ``bin/mutate``: the test settings, with the test database in
a file of the worker folder, copied from a migrated template before each run instead of
being migrated afresh (a third of the time of a short run)."""

from pathlib import Path

from config.settings.test import *  # noqa: F403
from config.settings.test import DATABASES

DATABASES["default"]["TEST"] = {"NAME": str(Path.cwd() / ".mutation-test-db.sqlite3")}
