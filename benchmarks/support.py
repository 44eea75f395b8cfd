"""Set-up shared by the benchmark scripts."""

import os
import tempfile


def configure(settings_module: str) -> str:
    """Django with ``settings_module`` on a fresh temporary SQLite database (or on
    BENCHMARK_DATABASE_URL), migrated. Returns the SQLite file's path."""
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    handle, path = tempfile.mkstemp(prefix="ctf-benchmark-", suffix=".sqlite3")
    os.close(handle)
    os.environ["DATABASE_URL"] = os.environ.get("BENCHMARK_DATABASE_URL") or f"sqlite:///{path}"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    return path
