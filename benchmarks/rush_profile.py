"""Per-request costs of the deadline rush, measured in-process with a single client: for the
three requests of an applicant (start a draft, save the whole form, submit) and the
baseline's one INSERT, the SQL queries, the commits and the wall time per request (median
of ``--repeat`` runs), with the production settings on PostgreSQL. With ``--profile KIND``
it prints the cProfile table of that request instead. The throughput benchmark is
benchmarks/deadline_rush.py; this script shows where one request's time goes.

    BENCHMARK_DATABASE_URL=postgres://postgres@127.0.0.1:5432/ctf_rush_profile \\
        .venv/bin/python benchmarks/rush_profile.py [--repeat 30] [--profile submit]

The database named in the URL is dropped and created anew.
"""

import argparse
import cProfile
import json
import logging
import os
import pstats
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.deadline_rush import (  # noqa: E402
    HOST,
    environment,
    proposal,
    proposal_answers,
    recreate_database,
    seed,
)
from benchmarks.rush_measure import process_stat  # noqa: E402

# As in the rush, the edit page is loaded after the start and again after the save
# (edit_again): the first page a person loads in a process compiles their inbox count's
# statement (grants.inbox.summary), later ones reuse it.
KINDS = ("insert", "start", "edit_page", "save", "edit_again", "submit", "detail_page")
WRITES = ("INSERT", "UPDATE", "DELETE")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCHMARK_DATABASE_URL"))
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--profile", choices=KINDS, help="print cProfile's table of this request")
    parser.add_argument("--lines", type=int, default=40, help="rows of the cProfile table")
    parser.add_argument("--sql", action="store_true", help="print the last round's SQL")
    parser.add_argument("--dump", help="with --profile: write the pstats file here instead")
    args = parser.parse_args()
    if not args.database_url or not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("give --database-url or BENCHMARK_DATABASE_URL (PostgreSQL)")
    return args


def main():
    args = parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="ctf-rush-profile-"))
    env = environment(argparse.Namespace(database_url=args.database_url), scratch)
    os.environ.update(env)
    recreate_database(args.database_url)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)  # as deployed
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]

    def database_cpu():
        return process_stat(backend)[1]

    # The request log is written as in production, but not onto this report.
    for handler in logging.getLogger("ops.requests").handlers:
        handler.setStream(open(os.devnull, "w"))  # noqa: SIM115 - for the whole run
    # One applicant per round: every round starts, saves and submits one draft.
    call, topic, people, _ = seed(args.repeat + 1, drafts=0)

    # Commits: one per outermost atomic block, plus one per write sent in autocommit mode.
    commits = {"count": 0}
    original_commit = connection.commit

    def counting_commit():
        commits["count"] += 1
        return original_commit()

    connection.commit = counting_commit

    statements = {}
    results = {
        kind: {"ms": [], "queries": [], "commits": [], "sql_ms": [], "cpu_ms": [], "db_cpu_s": []}
        for kind in KINDS
    }
    profiler = cProfile.Profile(time.process_time) if args.profile else None
    origin = f"https://{HOST}"

    def request(client, kind, url, data=None):
        """POST ``data`` as a browser sends a form (URL-encoded), or GET without it."""
        queries = {"count": 0, "seconds": 0.0}
        commits["count"] = 0
        statements[kind] = []

        def recorder(execute, sql, params, many, context):
            queries["count"] += 1
            statements[kind].append(sql)
            if not connection.in_atomic_block and sql.lstrip().upper().startswith(WRITES):
                commits["count"] += 1
            sent = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                queries["seconds"] += time.perf_counter() - sent

        if profiler and kind == args.profile:
            profiler.enable()
        database_before = database_cpu()
        cpu_started = time.process_time()
        started = time.perf_counter()
        headers = {
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": "198.51.100.7",
            "Origin": origin,
            "Referer": f"{origin}/",
        }
        with connection.execute_wrapper(recorder):
            if data is None:
                response = client.get(url, headers=headers)
            else:
                response = client.post(
                    url,
                    urlencode(data),
                    content_type="application/x-www-form-urlencoded",
                    headers=headers,
                )
        elapsed = (time.perf_counter() - started) * 1000
        results[kind]["cpu_ms"].append((time.process_time() - cpu_started) * 1000)
        results[kind]["db_cpu_s"].append(database_cpu() - database_before)
        if profiler and kind == args.profile:
            profiler.disable()
        results[kind]["ms"].append(elapsed)
        results[kind]["queries"].append(queries["count"])
        results[kind]["sql_ms"].append(queries["seconds"] * 1000)
        results[kind]["commits"].append(commits["count"])
        return response

    for round_number, person in enumerate(people):
        # The baseline's clients send no cookies (as in deadline_rush.py).
        response = request(Client(HTTP_HOST=HOST), "insert", "/rush/baseline/", {})
        assert response.status_code == 200, response
        client = Client(enforce_csrf_checks=True, HTTP_HOST=HOST)
        client.cookies["sessionid"] = person["session"]
        client.cookies["csrftoken"] = person["csrf"]
        token = {"csrfmiddlewaretoken": person["csrf"]}
        response = request(client, "start", f"/calls/{call.slug}/apply/", token)
        match = re.fullmatch(r"/applications/(\d+)/edit/", response.get("Location", ""))
        assert response.status_code == 302 and match, (response.status_code, response.headers)
        pk = int(match[1])
        edit = f"/applications/{pk}/edit/"
        assert request(client, "edit_page", edit).status_code == 200
        data = proposal(
            topic.pk, person["seed"], person["csrf"], version=1, answers=proposal_answers(call)
        )
        response = request(client, "save", edit, data)
        assert response.get("Location") == edit, response
        assert request(client, "edit_again", edit).status_code == 200
        response = request(
            client, "submit", f"/applications/{pk}/submit/", {**token, "version": "2"}
        )
        assert response.get("Location") == f"/applications/{pk}/", response
        assert request(client, "detail_page", response["Location"]).status_code == 200
        if round_number == 0:  # the first round warms caches and imports: not counted
            for values in results.values():
                for series in values.values():
                    series.clear()
            if profiler:
                profiler = cProfile.Profile(time.process_time)

    if args.sql:
        for kind, sqls in statements.items():
            print(f"-- {kind}: {len(sqls)} statements")
            for sql in sqls:
                print(sql[:300])
    if profiler and args.dump:
        profiler.dump_stats(args.dump)
        return
    if profiler:
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(args.lines)
        stats.sort_stats("tottime").print_stats(args.lines)
        return
    print(
        json.dumps(
            {
                "benchmark": "deadline_rush_per_request",
                "settings": "production (+ the baseline URL), PostgreSQL, in-process client",
                "rounds": args.repeat,
                "requests": {
                    kind: {
                        "median_ms": round(statistics.median(values["ms"]), 1),
                        "min_ms": round(min(values["ms"]), 1),
                        # Time spent sending statements and waiting for their answers.
                        "median_sql_ms": round(statistics.median(values["sql_ms"]), 1),
                        # CPU time of this process (Django), and of the database server's
                        # process serving it (averaged: /proc counts in clock ticks). Less
                        # disturbed by other load on the machine than wall time.
                        "median_app_cpu_ms": round(statistics.median(values["cpu_ms"]), 2),
                        "mean_db_cpu_ms": round(
                            1000 * sum(values["db_cpu_s"]) / len(values["db_cpu_s"]), 2
                        ),
                        "queries": sorted(set(values["queries"])),
                        "commits": sorted(set(values["commits"])),
                    }
                    for kind, values in results.items()
                },
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
