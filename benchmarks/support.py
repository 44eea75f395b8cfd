"""Set-up shared by the benchmark scripts."""

import logging
import os
import sys
import tempfile


def configure(settings_module: str) -> str:
    """Django with ``settings_module`` on a fresh temporary SQLite database (or on
    BENCHMARK_DATABASE_URL), migrated. Returns the SQLite file's path.

    The benchmarks print their figures as JSON on stdout: the log (the request log's line
    per request included) goes to stderr. The test settings' extra checks that a deployed
    server does not make are switched off."""
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    handle, path = tempfile.mkstemp(prefix="ctf-benchmark-", suffix=".sqlite3")
    os.close(handle)
    os.environ["DATABASE_URL"] = os.environ.get("BENCHMARK_DATABASE_URL") or f"sqlite:///{path}"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.INBOX_COUNT_CHECK_REUSE = False
    _log_to_stderr()
    call_command("migrate", verbosity=0, interactive=False)
    return path


def _log_to_stderr() -> None:
    loggers = [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]
    for logger in loggers:
        for handler in getattr(logger, "handlers", []):
            if isinstance(handler, logging.StreamHandler) and handler.stream is sys.stdout:
                handler.setStream(sys.stderr)
