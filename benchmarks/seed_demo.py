"""Benchmark: `manage.py seed_demo --size realistic`, which tells the whole demo story
(460 applications in three calls) through the services at past moments.

Run from the project root:  .venv/bin/python benchmarks/seed_demo.py

Uses a fresh temporary SQLite database with the dev settings (as `bin/demo` does; or
BENCHMARK_DATABASE_URL), measures the first seed (wall-clock and CPU time) and the second
one, which must change nothing. Target (issue 7): the first seed in about 20 s or less.
Prints JSON.
"""

import io
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import support  # noqa: E402

TARGET_SECONDS = 20


def configure():
    return support.configure("config.settings.dev")


def seed():
    from django.core.management import call_command

    started, cpu_started = time.perf_counter(), time.process_time()
    call_command("seed_demo", size="realistic", stdout=io.StringIO())
    return round(time.perf_counter() - started, 2), round(time.process_time() - cpu_started, 2)


def main():
    path = configure()
    try:
        from grants.models import Application
        from workflow.models import TransitionLog

        first_seconds, first_cpu_seconds = seed()
        rows = (Application.objects.count(), TransitionLog.objects.count())
        again_seconds, again_cpu_seconds = seed()
        print(
            json.dumps(
                {
                    "seed_seconds": first_seconds,
                    "seed_cpu_seconds": first_cpu_seconds,
                    "applications": rows[0],
                    "log_entries": rows[1],
                    "second_run_seconds": again_seconds,
                    "second_run_cpu_seconds": again_cpu_seconds,
                    "second_run_changed_nothing": rows
                    == (Application.objects.count(), TransitionLog.objects.count()),
                    "target_seconds": TARGET_SECONDS,
                },
                indent=2,
            )
        )
    finally:
        if not os.environ.get("BENCHMARK_DATABASE_URL"):
            Path(path).unlink(missing_ok=True)


if __name__ == "__main__":
    main()
