"""Benchmark: the deadline rush. Many applicants save and submit their drafts in the last hour
of a call; the target (DESIGN.md) is a submit throughput of at least 50 % of a bare Django
view doing one INSERT, measured side by side, a p95 of at most 300 ms and no errors, with no
submission lost or duplicated (checked in the database afterwards).

Run from the project root, with a PostgreSQL server whose user may create databases:

    BENCHMARK_DATABASE_URL=postgres://postgres@127.0.0.1:5432/ctf_rush \\
        .venv/bin/python benchmarks/deadline_rush.py [--users 50] [--duration 60]

The database named in the URL is dropped and created anew. The script migrates it with the
production settings, seeds a fund, an open call that closes in an hour and one signed-in
applicant per simulated person, and starts gunicorn (production settings, on 127.0.0.1 only)
and the background worker (run_worker; e-mails go to Django's dummy backend). Then:

1. baseline: ``--users`` clients post to a bare view that does one INSERT, for ``--duration``
   seconds (benchmarks/rush_urls.py; same gunicorn, middleware and settings);
2. rush: ``--users`` applicants each loop, for ``--duration`` seconds: start a draft (POST),
   save it with a complete proposal (POST of the whole edit form), submit it (POST);
3. paced rush: the same, but each applicant pauses ``--think-time`` seconds (default 1)
   before each request, as a person does (a fast one).

Every client waits for its answer before it sends the next request (a closed loop): the load
is bounded by the number of clients and by time. Phases 1 and 2 have no pause, so they
measure capacity: the throughput figures and their ratio come from them. Their latencies are
mostly queueing (50 clients for a handful of gunicorn workers: latency = clients ÷
throughput), so the latency target is judged on phase 3, 50 applicants at once at a human
pace. Requests go to 127.0.0.1 as the reverse proxy would send them (X-Forwarded-Proto:
https). Prints JSON.
"""

import argparse
import asyncio
import functools
import json
import os
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_RATIO = 0.5
TARGET_P95_MS = 300
HOST = "127.0.0.1"
WORDS = ("open", "data", "for", "municipal", "transport", "timetables", "civic", "prototype")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCHMARK_DATABASE_URL"))
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--warm-up", type=float, default=5.0)
    parser.add_argument("--port", type=int, default=8031)
    parser.add_argument("--workers", type=int, default=5, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker")
    parser.add_argument("--think-time", type=float, default=1.0, help="pause of phase 3 (s)")
    args = parser.parse_args()
    if not args.database_url or not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("give --database-url or BENCHMARK_DATABASE_URL (PostgreSQL)")
    return args


# Set-up ------------------------------------------------------------------------------------


def environment(args, scratch: Path) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="benchmarks.rush_settings",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(60),
        DJANGO_ALLOWED_HOSTS=HOST,
        DATABASE_URL=args.database_url,
        DATABASE_CONN_MAX_AGE="60",
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        DJANGO_CACHE_DIR=str(scratch / "cache"),
        DJANGO_PRIVATE_MEDIA_ROOT=str(scratch / "media"),
        DJANGO_STATIC_ROOT=str(scratch / "static"),
        DJANGO_TRUSTED_PROXY_COUNT="1",
        PYTHONPATH=str(ROOT),
    )
    return env


def recreate_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin_url = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


def text(words: int, seed: int) -> str:
    return " ".join(WORDS[(seed + index) % len(WORDS)] for index in range(words))


def seed(users: int):
    """Fund, topic, an open call closing in an hour, signed-in applicants (sessions and CSRF
    secrets as a browser would hold them), and the baseline's table."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import Group
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection
    from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from accounts.models import User
    from accounts.roles import Role
    from grants.models import Call, Fund, Topic

    fund = Fund.objects.create(name="Civic Tech Fund", reference_prefix="CTF")
    topic = Topic.objects.create(
        fund=fund, slug="civic-tech", name_de="Civic Tech", name_en="Civic Tech"
    )
    now = timezone.now()
    call = Call.objects.create(
        fund=fund,
        slug="rush",
        year=now.year,
        round_number=1,
        title_de="Förderrunde",
        title_en="Funding round",
        opens_at=now - timezone.timedelta(days=60),
        closes_at=now + timezone.timedelta(hours=1),
        budget=10_000_000,
        cap_individual_6=47_500,
        cap_individual_10=79_167,
        cap_team_6=95_000,
        cap_team_10=158_000,
        state="open",
    )
    group = Group.objects.get(name=Role.APPLICANT)
    people = []
    for number in range(users):
        user = User.objects.create_user(
            f"applicant{number:03d}@rush.example", full_name=f"Applicant {number}", language="en"
        )
        user.groups.add(group)
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        csrf = get_random_string(CSRF_SECRET_LENGTH, allowed_chars=CSRF_ALLOWED_CHARS)
        people.append({"session": session.session_key, "csrf": csrf, "seed": number})
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE rush_baseline (id bigserial PRIMARY KEY, created_at timestamptz)"
        )
    return call, topic, people


def proposal(topic_id: int, seed_number: int, csrf: str, version: int) -> dict:
    """The whole edit form, complete and within every limit, as a browser posts it."""
    from grants.states import WORD_LIMITS

    data = {
        "csrfmiddlewaretoken": csrf,
        "version": str(version),
        "title": f"Open timetables for small towns {seed_number}",
        "track": "individual_6",
        "topic": str(topic_id),
        "licence": "MIT",
        "repository_url": f"https://codeberg.org/rush/project-{seed_number}",
        "milestones-TOTAL_FORMS": "5",
        "milestones-INITIAL_FORMS": "0",
        "team-TOTAL_FORMS": "3",
        "team-INITIAL_FORMS": "0",
        "save": "",
    }
    for name, limit in WORD_LIMITS.items():
        data[name] = text(limit - 5, seed_number)
    for index in range(3):
        data |= {
            f"milestones-{index}-title": f"Milestone {index + 1}",
            f"milestones-{index}-deliverable": f"Release {index + 1} with documentation",
            f"milestones-{index}-month": str(index * 2 + 1),
            f"milestones-{index}-hours": "250",
        }
    return data


def start_services(args, env, scratch: Path):
    venv = ROOT / ".venv" / "bin"
    log = open(scratch / "server.log", "w")  # noqa: SIM115 - closed in stop_services
    gunicorn = subprocess.Popen(  # noqa: S603 - our own fixed command
        [
            str(venv / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"{HOST}:{args.port}",
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
            "--backlog",
            "2048",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    worker = subprocess.Popen(  # noqa: S603 - our own fixed command
        [str(venv / "python"), "manage.py", "run_worker", "--no-reload", "--interval", "1"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            request = urllib.request.Request(  # noqa: S310 - loopback only
                f"http://{HOST}:{args.port}/healthz", headers={"X-Forwarded-Proto": "https"}
            )
            with urllib.request.urlopen(request, timeout=2):  # noqa: S310
                break
        except urllib.error.HTTPError:
            break  # 503 until the worker's first heartbeat: the server answers
        except OSError:
            time.sleep(0.2)
    else:
        raise RuntimeError("gunicorn did not start; see the server log")
    return [gunicorn, worker], log


def stop_services(processes, log):
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
    log.close()


# Load --------------------------------------------------------------------------------------


class Stats:
    def __init__(self):
        self.latencies: dict[str, list[float]] = {}
        self.errors: list[str] = []
        self.submitted: list[int] = []

    def record(self, kind, started):
        self.latencies.setdefault(kind, []).append((time.perf_counter() - started) * 1000)


async def post(session, url, data, headers, stats, kind):
    started = time.perf_counter()
    async with session.post(url, data=data, headers=headers, allow_redirects=False) as response:
        await response.read()
        stats.record(kind, started)
        return response.status, response.headers.get("Location", "")


async def baseline_client(session, base, deadline, stats):
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.1"}
    while time.monotonic() < deadline:
        try:
            status, _ = await post(session, f"{base}/rush/baseline/", {}, headers, stats, "insert")
            if status != 200:
                stats.errors.append(f"baseline: HTTP {status}")
        except Exception as error:  # noqa: BLE001 - counted as an error of the run
            stats.errors.append(f"baseline: {error!r}")


async def applicant(session, deadline, *, base, person, call, topic_id, stats, think_time):
    origin = f"https://{HOST}:{base.rsplit(':', 1)[1]}"
    headers = {
        "Cookie": f"sessionid={person['session']}; csrftoken={person['csrf']}",
        "X-Forwarded-Proto": "https",
        "X-Forwarded-For": f"198.51.100.{person['seed'] % 250 + 1}",
        "Origin": origin,
        "Referer": f"{origin}/",
    }
    token = {"csrfmiddlewaretoken": person["csrf"]}

    async def pause():
        if think_time:
            await asyncio.sleep(think_time)

    while time.monotonic() < deadline:
        try:
            await pause()
            status, location = await post(
                session, f"{base}/calls/{call.slug}/apply/", token, headers, stats, "start"
            )
            match = re.fullmatch(r"/applications/(\d+)/edit/", location)
            if status != 302 or not match:
                stats.errors.append(f"start: HTTP {status} → {location}")
                continue
            pk = int(match[1])
            edit = f"/applications/{pk}/edit/"
            data = proposal(topic_id, person["seed"], person["csrf"], version=1)
            await pause()
            status, location = await post(session, base + edit, data, headers, stats, "save")
            if (status, location) != (302, edit):
                stats.errors.append(f"save: HTTP {status} → {location}")
                continue
            await pause()
            status, location = await post(
                session,
                f"{base}/applications/{pk}/submit/",
                {**token, "version": "2"},
                headers,
                stats,
                "submit",
            )
            if (status, location) != (302, f"/applications/{pk}/"):
                stats.errors.append(f"submit: HTTP {status} → {location}")
                continue
            stats.submitted.append(pk)
        except Exception as error:  # noqa: BLE001 - counted as an error of the run
            stats.errors.append(f"applicant: {error!r}")


async def run_phase(args, clients):
    """Run ``clients`` (coroutine factories taking session and deadline) for the duration;
    returns the elapsed wall time."""
    import aiohttp

    connector = aiohttp.TCPConnector(limit=args.users)
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(
        connector=connector, timeout=timeout, cookie_jar=aiohttp.DummyCookieJar()
    ) as session:
        started = time.monotonic()
        deadline = started + args.duration
        await asyncio.gather(*(client(session, deadline) for client in clients))
        return time.monotonic() - started


def percentile(values, fraction):
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(fraction * len(ordered)))], 1)


def summary(latencies):
    return {
        "requests": len(latencies),
        "p50_ms": percentile(latencies, 0.50),
        "p95_ms": percentile(latencies, 0.95),
        "p99_ms": percentile(latencies, 0.99),
        "max_ms": round(max(latencies), 1) if latencies else None,
    }


# Checks ------------------------------------------------------------------------------------


def check_database(call, stats):
    """What the database holds matches what the clients were told: every confirmed
    submission is submitted once, nothing was submitted without a confirmation."""
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    from grants.models import Application, TransitionLog

    confirmed = set(stats.submitted)
    stored = set(
        Application.objects.filter(call=call, state="submitted").values_list("pk", flat=True)
    )
    logs = (
        TransitionLog.objects.filter(action="grants.application.submitted")
        .values("object_id")
        .annotate(count=Count("id"))
    )
    references = Application.objects.filter(call=call).values("reference")
    return {
        "confirmed_submissions": len(confirmed),
        "submitted_in_database": len(stored),
        "lost": len(confirmed - stored),
        "submitted_without_confirmation": len(stored - confirmed),
        "duplicated_confirmations": len(stats.submitted) - len(confirmed),
        "applications_with_more_than_one_submission_log": sum(
            1 for row in logs if row["count"] > 1
        ),
        "submission_logs": sum(row["count"] for row in logs),
        "duplicate_references": references.count()
        - references.values("reference").distinct().count(),
        "applications_without_submitted_at": Application.objects.filter(
            pk__in=stored, submitted_at__isnull=True
        ).count(),
        "confirmation_mails_queued": DBTaskResult.objects.filter(
            task_path__endswith="send_templated_email"
        ).count(),
        "left_as_drafts": Application.objects.filter(call=call, state="draft").count(),
    }


# Main --------------------------------------------------------------------------------------


def main():
    args = parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="ctf-rush-"))
    env = environment(args, scratch)
    os.environ.update(env)
    recreate_database(args.database_url)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0, interactive=False)
    call, topic, people = seed(args.users)
    connection.close()

    base = f"http://{HOST}:{args.port}"
    processes, log = start_services(args, env, scratch)
    try:
        warm = Stats()
        warm_args = argparse.Namespace(**{**vars(args), "duration": args.warm_up})
        asyncio.run(
            run_phase(
                warm_args,
                [lambda s, d: baseline_client(s, base, d, warm) for _ in range(args.users)],
            )
        )

        baseline = Stats()
        baseline_time = asyncio.run(
            run_phase(
                args,
                [lambda s, d: baseline_client(s, base, d, baseline) for _ in range(args.users)],
            )
        )

        def applicants(stats, think_time):
            return [
                functools.partial(
                    applicant,
                    base=base,
                    person=person,
                    call=call,
                    topic_id=topic.pk,
                    stats=stats,
                    think_time=think_time,
                )
                for person in people
            ]

        rush = Stats()
        rush_time = asyncio.run(run_phase(args, applicants(rush, 0.0)))
        paced = Stats()
        paced_time = asyncio.run(run_phase(args, applicants(paced, args.think_time)))
        time.sleep(3)  # let the worker take the last confirmation mails
    finally:
        stop_services(processes, log)

    everything = Stats()
    everything.submitted = rush.submitted + paced.submitted
    checks = check_database(call, everything)
    all_paced = [value for values in paced.latencies.values() for value in values]
    all_rush = [value for values in rush.latencies.values() for value in values]
    baseline_rps = len(baseline.latencies.get("insert", [])) / baseline_time
    submit_rate = len(rush.submitted) / rush_time
    rush_rps = len(all_rush) / rush_time
    p95 = percentile(all_paced, 0.95)
    result = {
        "benchmark": "deadline_rush",
        "setup": {
            "server": f"gunicorn, {args.workers} sync worker(s) x {args.threads} thread(s)",
            "settings": "config.settings.production (+ the baseline URL)",
            "database": "PostgreSQL",
            "cpu_cores": os.cpu_count(),
            "load_generator": "asyncio + aiohttp on the same machine (shares the cores)",
            "clients": args.users,
            "duration_s": args.duration,
            "background_worker": "run_worker, running (dummy e-mail backend)",
        },
        "baseline_one_insert": {
            "throughput_rps": round(baseline_rps, 1),
            **summary(baseline.latencies.get("insert", [])),
            "errors": len(baseline.errors),
        },
        "rush": {
            "submissions": len(rush.submitted),
            "submit_throughput_per_s": round(submit_rate, 1),
            "request_throughput_rps": round(rush_rps, 1),
            "all_requests": summary(all_rush),
            "by_request": {kind: summary(values) for kind, values in rush.latencies.items()},
            "errors": len(rush.errors),
            "first_errors": rush.errors[:5],
        },
        "paced_rush": {
            "think_time_s": args.think_time,
            "submissions": len(paced.submitted),
            "request_throughput_rps": round(len(all_paced) / paced_time, 1),
            "all_requests": summary(all_paced),
            "by_request": {kind: summary(values) for kind, values in paced.latencies.items()},
            "errors": len(paced.errors),
            "first_errors": paced.errors[:5],
        },
        "ratios": {
            # Each submission is three requests (start, save, submit); both ratios are given.
            "submit_requests_vs_baseline": round(submit_rate / baseline_rps, 3),
            "all_rush_requests_vs_baseline": round(rush_rps / baseline_rps, 3),
        },
        "database_checks": checks,
        "targets": {
            "submit_throughput_at_least_half_of_baseline": submit_rate / baseline_rps
            >= TARGET_RATIO,
            "p95_at_most_300_ms_at_a_human_pace": p95 is not None and p95 <= TARGET_P95_MS,
            "zero_errors": not rush.errors and not paced.errors and not baseline.errors,
            "nothing_lost_or_duplicated": checks["lost"] == 0
            and checks["submitted_without_confirmation"] == 0
            and checks["duplicated_confirmations"] == 0
            and checks["applications_with_more_than_one_submission_log"] == 0
            and checks["duplicate_references"] == 0,
        },
        "median_save_vs_insert": round(
            statistics.median(rush.latencies.get("save", [0]))
            / (statistics.median(baseline.latencies.get("insert", [1])) or 1),
            1,
        ),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
