import shutil

import pytest
from django.core.cache import cache
from django.db import connection

# How to run the tests that SQLite cannot run (printed at the end of a SQLite run).
POSTGRESQL_COMMAND = "DATABASE_URL=postgres://postgres@127.0.0.1:5432/ctf bin/test -m postgresql"


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgresql`` need PostgreSQL's locking, concurrency or triggers."""
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL")
    for item in items:
        if item.get_closest_marker("postgresql"):
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if connection.vendor == "postgresql":
        return
    skipped = [
        report
        for report in terminalreporter.stats.get("skipped", [])
        if "postgresql" in report.keywords
    ]
    if skipped:
        terminalreporter.write_line(
            f"{len(skipped)} PostgreSQL-only tests were skipped on SQLite; "
            f"run them with: {POSTGRESQL_COMMAND}",
            yellow=True,
        )


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Uploaded files of each test go to a temporary folder."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private_media"
    yield
    shutil.rmtree(settings.PRIVATE_MEDIA_ROOT, ignore_errors=True)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: rate-limit counters, used TOTP codes (user ids
    repeat between tests, which roll back) and the public pages' cached figures and open
    data (reporting/views/public.py) must not leak from one test into the next."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _english(settings):
    """Tests read English texts unless they ask for German."""
    settings.LANGUAGE_CODE = "en"
