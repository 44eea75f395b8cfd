"""Benchmark: what issue 10 added to the staff pages, at 100 and 10,000 applications.

Run from the project root:  .venv/bin/python benchmarks/staff_everyday.py

- the application detail page, which now also finds the application's place in the
  filtered list (previous, next, "3 of 173") with one window query over the call's rows;
- the XLSX export of the whole list (openpyxl, write-only mode): time and peak memory of
  the Python heap (tracemalloc), beside the CSV export.

Uses a fresh temporary SQLite database (or BENCHMARK_DATABASE_URL), like
benchmarks/application_list.py, whose set-up it shares. Prints JSON.
"""

import json
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import application_list  # noqa: E402

EXPORTS = 3


def export(client, url):
    """Median time of EXPORTS downloads, and the peak of the Python heap during one."""
    timings = []
    for _ in range(EXPORTS):
        started = time.perf_counter()
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    tracemalloc.start()
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "median_ms": round(statistics.median(timings), 1),
        "peak_python_heap_mb": round(peak / 1024 / 1024, 1),
        "bytes": len(body),
    }


def main():
    path = application_list.configure()
    try:
        from django.urls import reverse

        from grants.models import Application

        call, topics, staff = application_list.set_up()
        client = application_list.staff_client(staff)
        application_list.add_applications(call, topics, 1, 100)
        application_list.analyze()

        def detail_url():
            last = (
                Application.objects.filter(call=call).exclude(state="draft").order_by("pk").last()
            )
            return reverse("staff_application_detail", args=[last.pk]) + "?sort=-amount"

        small = application_list.measure(client, detail_url())
        application_list.add_applications(call, topics, 101, 9_900)
        application_list.analyze()
        large = application_list.measure(client, detail_url())
        xlsx = export(client, reverse("staff_application_export_xlsx", args=[call.slug]))
        csv = export(client, reverse("staff_application_export", args=[call.slug]))
        rows = Application.objects.filter(call=call).exclude(state="draft").count()
        print(
            json.dumps(
                {
                    "detail_page_rows_100": small,
                    "detail_page_rows_10000": large,
                    "detail_time_ratio": application_list.ratio(large, small, "median_ms"),
                    "detail_cpu_time_ratio": application_list.ratio(large, small, "median_cpu_ms"),
                    "same_query_count": small["queries"] == large["queries"],
                    "exported_rows": rows,
                    "xlsx_export": xlsx,
                    "csv_export": csv,
                },
                indent=2,
            )
        )
    finally:
        if not os.environ.get("BENCHMARK_DATABASE_URL"):
            Path(path).unlink(missing_ok=True)


if __name__ == "__main__":
    main()
