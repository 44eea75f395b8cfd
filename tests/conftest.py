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
    skipped = terminalreporter.stats.get("skipped", [])
    schema = [report for report in skipped if "360giving" in str(report.longrepr).lower()]
    if schema:
        terminalreporter.write_line(
            f"{len(schema)} tests did not validate the 360Giving export: the schema is not "
            "at ../shared/standards/360giving (or CTF_360GIVING_SCHEMA_DIR).",
            yellow=True,
        )
    if connection.vendor == "postgresql":
        return
    postgresql = [report for report in skipped if "postgresql" in report.keywords]
    if postgresql:
        terminalreporter.write_line(
            f"{len(postgresql)} PostgreSQL-only tests were skipped on SQLite; "
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
def _erasure_journal(settings, tmp_path):
    """The erasure journal of each test is a file of its own."""
    settings.ERASURE_JOURNAL = tmp_path / "erasure-journal.jsonl"


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
