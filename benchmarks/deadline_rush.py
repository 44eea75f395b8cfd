"""Benchmark: the deadline rush. Many applicants save and submit their drafts in the last hour
of a call; the target (DESIGN.md) is a submit throughput of at least 50 % of a bare Django
view doing one INSERT, measured side by side, a p95 of at most 300 ms and no errors, with no
submission lost or duplicated (checked in the database afterwards).

Run from the project root, with a PostgreSQL server whose user may create databases:

    BENCHMARK_DATABASE_URL=postgres://postgres@127.0.0.1:5432/ctf_rush \\
        .venv/bin/python benchmarks/deadline_rush.py [--users 50] [--duration 60]

The database named in the URL is dropped and created anew. The script migrates it with the
production settings, seeds a fund, an open call that closes in an hour, one signed-in
applicant per simulated person, and enough further signed-in applicants with complete drafts
(3 each, the most one person may have open in a call) for phase 2; then it starts gunicorn
(production settings, on 127.0.0.1 only) and the background worker (run_worker; e-mails go to
Django's dummy backend). After a warm-up of both (baseline and submit):

1. baseline: ``--users`` clients post to a bare view that does one INSERT, for ``--duration``
   seconds (benchmarks/rush_urls.py; same gunicorn, middleware and settings);
2. submit: ``--users`` clients submit complete drafts, one after another, each as its owner
   (POST of the submit button). The target's "submit throughput" is this phase's POSTs per
   second, compared with phase 1's. The POST is measured alone; a browser then follows the
   redirect and loads the application's page (a GET, measured in phase 4);
3. rush loop: ``--users`` applicants each loop: start a draft (POST), save it with a complete
   proposal (POST of the whole edit form), submit it (POST);
4. paced rush: the same loop, but each applicant pauses ``--think-time`` seconds (default 1)
   before each POST, as a person does (a fast one), and loads the page each POST redirects
   to (the edit form, the application's page), as a browser does.

Every client waits for its answer before it sends the next request (a closed loop): the load
is bounded by the number of clients and by time. Phases 1 to 3 have no pause, so they
measure capacity: the throughput figures and their ratios come from them. Their latencies
are mostly queueing (50 clients for a handful of gunicorn workers: latency = clients ÷
throughput), so the latency target is judged on phase 4, 50 applicants at once at a human
pace, every request a browser makes included. Requests go to 127.0.0.1 as the reverse proxy
would send them (X-Forwarded-Proto: https). Prints JSON.

Per-request costs (queries, commits, milliseconds, cProfile) of the same requests:
benchmarks/rush_profile.py.
"""

import argparse
import asyncio
import base64
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

from benchmarks import support  # noqa: E402
from benchmarks.rush_measure import CpuMeter, percentile, postmaster_pid, summary  # noqa: E402

TARGET_RATIO = 0.5
TARGET_P95_MS = 300
HOST = "127.0.0.1"
# Complete drafts seeded per second of phase 2 and warm-up: more than the server can submit.
DRAFTS_PER_SECOND = 200
WORDS = ("open", "data", "for", "municipal", "transport", "timetables", "civic", "prototype")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCHMARK_DATABASE_URL"))
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--warm-up", type=float, default=5.0)
    parser.add_argument(
        "--loop-duration", type=float, help="seconds of phases 3 and 4 (default: --duration)"
    )
    parser.add_argument("--port", type=int, default=8031)
    parser.add_argument(
        "--workers", type=int, default=3, help="gunicorn worker processes (as the README deploys)"
    )
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker")
    parser.add_argument("--think-time", type=float, default=1.0, help="pause of phase 4 (s)")
    parser.add_argument(
        "--drafts",
        type=int,
        default=0,
        help=f"complete drafts seeded for phase 2 (default {DRAFTS_PER_SECOND} a second)",
    )
    args = parser.parse_args()
    if not args.database_url or not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("give --database-url or BENCHMARK_DATABASE_URL (PostgreSQL)")
    if args.loop_duration is None:
        args.loop_duration = args.duration
    return args


# Set-up ------------------------------------------------------------------------------------


def environment(args, scratch: Path) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="benchmarks.rush_settings",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(60),
        DJANGO_FIELD_ENCRYPTION_KEY=base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        DJANGO_MFA_ENCRYPTION_KEY=base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        DJANGO_ALLOWED_HOSTS=HOST,
        DATABASE_URL=args.database_url,
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


def seed(users: int, drafts: int):
    """Fund, topic, an open call closing in an hour, the baseline's table, and two groups of
    signed-in applicants: ``users`` who start, save and submit drafts (phases 3 and 4), and
    enough owners of ``drafts`` complete drafts for phase 2 (at most OPEN_DRAFTS_PER_CALL
    each, the limit a person meets in the application too)."""
    from django.conf import settings
    from django.db import connection
    from django.utils import timezone

    from grants.models import Fund, Topic

    fund = Fund.objects.create(name="Civic Tech Fund", reference_prefix="CTF")
    topic = Topic.objects.create(
        fund=fund, slug="civic-tech", name_de="Civic Tech", name_en="Civic Tech"
    )
    now = timezone.now()
    call = support.open_call(
        fund,
        slug="rush",
        year=now.year,
        title_de="Förderrunde",
        title_en="Funding round",
        opens_at=now - timezone.timedelta(days=60),
        closes_at=now + timezone.timedelta(hours=1),
        budget=10_000_000,
    )
    support.add_thirty_questions(call)
    people = signed_in_applicants(users, first=0)
    per_owner = settings.OPEN_DRAFTS_PER_CALL
    owners = signed_in_applicants(-(-drafts // per_owner), first=users)
    seed_complete_drafts(call, topic, owners, per_owner=per_owner)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE rush_baseline (id bigserial PRIMARY KEY, created_at timestamptz)"
        )
    return call, topic, people, owners


def signed_in_applicants(count: int, *, first: int) -> list[dict]:
    """``count`` applicants with verified addresses, each signed in with the model backend
    (a database session and a CSRF secret, as a browser holds them); created in bulk."""
    from allauth.account.models import EmailAddress
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from accounts.models import User
    from accounts.roles import Role

    numbers = range(first, first + count)
    users = User.objects.bulk_create(
        (
            User(
                email=f"applicant{number:05d}@rush.example",
                full_name=f"Applicant {number}",
                language="en",
                password=make_password(None),
            )
            for number in numbers
        ),
        batch_size=1000,
    )
    group = Group.objects.get(name=Role.APPLICANT)
    User.groups.through.objects.bulk_create(
        (User.groups.through(user_id=user.pk, group_id=group.pk) for user in users),
        batch_size=1000,
    )
    EmailAddress.objects.bulk_create(
        (EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users),
        batch_size=1000,
    )
    store = SessionStore()
    expires = timezone.now() + timezone.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    people, sessions = [], []
    for number, user in zip(numbers, users, strict=True):
        key = get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789")
        data = {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
        sessions.append(
            Session(session_key=key, session_data=store.encode(data), expire_date=expires)
        )
        csrf = get_random_string(CSRF_SECRET_LENGTH, allowed_chars=CSRF_ALLOWED_CHARS)
        people.append({"user_id": user.pk, "session": key, "csrf": csrf, "seed": number})
    Session.objects.bulk_create(sessions, batch_size=1000)
    return people


def seed_complete_drafts(call, topic, owners, *, per_owner: int) -> None:
    """``per_owner`` drafts for each of ``owners``, complete as phase 3 saves them (the same
    text, track and milestones), with their "draft started" log entries; each person's
    drafts are added to their entry as ``drafts`` (ids). Checked complete before the run."""
    from django.contrib.contenttypes.models import ContentType

    from grants import events
    from grants.completeness import completeness_errors
    from grants.models import Answer, Application, Call, PlannedMilestone, Question
    from grants.states import ApplicationState
    from workflow.models import TransitionLog

    questions = list(Question.objects.filter(call=call))
    milestones = [
        {
            "title": f"Milestone {index + 1}",
            "deliverable": f"Release {index + 1} with documentation",
            "month": index * 2 + 1,
            "hours": 250,
        }
        for index in range(3)
    ]
    hours = sum(milestone["hours"] for milestone in milestones)
    track = support.usual_track(call)
    requested = Application(call=call, track=track).budget(hours=hours)["requested"]
    prefix = f"{call.fund.reference_prefix}-{call.year}-{call.round_number}"
    sequence = call.last_sequence
    drafts = []
    for person in owners:
        for _ in range(per_owner):
            sequence += 1
            drafts.append(
                Application(
                    call=call,
                    owner_id=person["user_id"],
                    reference=f"{prefix}-{sequence:04d}",
                    track=track,
                    topic=topic,
                    title=f"Open timetables for small towns {sequence}",
                    licence="MIT",
                    repository_url=f"https://codeberg.org/rush/project-{sequence}",
                    total_hours=hours,
                    requested_amount=requested,
                    summary=text(60, 7),
                )
            )
    Application.objects.bulk_create(drafts, batch_size=500)
    Call.objects.filter(pk=call.pk).update(last_sequence=sequence)
    call.last_sequence = sequence
    Answer.objects.bulk_create(
        (support.answer(draft, question) for draft in drafts for question in questions),
        batch_size=2000,
    )
    PlannedMilestone.objects.bulk_create(
        (
            PlannedMilestone(application=draft, position=index, **milestone)
            for draft in drafts
            for index, milestone in enumerate(milestones, start=1)
        ),
        batch_size=1000,
    )
    content_type = ContentType.objects.get_for_model(Application)
    TransitionLog.objects.bulk_create(
        (
            TransitionLog(
                content_type=content_type,
                object_id=draft.pk,
                action=events.DRAFT_STARTED,
                actor_id=draft.owner_id,
                to_state=ApplicationState.DRAFT,
                visible_to_applicant=True,
            )
            for draft in drafts
        ),
        batch_size=1000,
    )
    for position, person in enumerate(owners):
        person["drafts"] = [
            draft.pk for draft in drafts[position * per_owner : (position + 1) * per_owner]
        ]
    if not drafts:
        return
    sample = Application.objects.select_related("call").get(pk=drafts[-1].pk)
    if errors := completeness_errors(sample):
        raise RuntimeError(f"seeded drafts are not complete: {errors}")


def proposal_answers(call) -> list[tuple[str, str]]:
    """The call's track chosen (individual, 6 months) and its questions answered, as the
    edit form posts them."""
    from grants.models import Question

    track = support.usual_track(call)
    questions = Question.objects.filter(call=call).order_by("position")
    return [("track", str(track.pk)), *support.posted_answers(questions)]


def proposal(topic_id: int, seed_number: int, csrf: str, version: int, answers) -> list:
    """The whole edit form, complete and within every limit, as a browser posts it:
    (field, value) pairs, since a multiple choice sends its field once per option; the
    track and the questions' answers are ``answers`` (proposal_answers)."""
    data = {
        "csrfmiddlewaretoken": csrf,
        "version": str(version),
        "title": f"Open timetables for small towns {seed_number}",
        "summary": text(60, seed_number),
        "topic": str(topic_id),
        "licence": "MIT",
        "repository_url": f"https://codeberg.org/rush/project-{seed_number}",
        "milestones-TOTAL_FORMS": "5",
        "milestones-INITIAL_FORMS": "0",
        "team-TOTAL_FORMS": "3",
        "team-INITIAL_FORMS": "0",
        "save": "",
    }
    for index in range(3):
        data |= {
            f"milestones-{index}-title": f"Milestone {index + 1}",
            f"milestones-{index}-deliverable": f"Release {index + 1} with documentation",
            f"milestones-{index}-month": str(index * 2 + 1),
            f"milestones-{index}-hours": "250",
        }
    return [*data.items(), *answers]


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
    """POST and wait for the answer; returns its status, Location and messages cookie (the
    confirmation a browser shows on the next page)."""
    started = time.perf_counter()
    async with session.post(url, data=data, headers=headers, allow_redirects=False) as response:
        await response.read()
        stats.record(kind, started)
        message = response.cookies.get("messages")
        return response.status, response.headers.get("Location", ""), message


async def get(session, url, headers, stats, kind, message=None):
    """GET the page a POST redirected to, as a browser does (with the message cookie)."""
    if message is not None:
        headers = {**headers, "Cookie": f"{headers['Cookie']}; messages={message.value}"}
    started = time.perf_counter()
    async with session.get(url, headers=headers, allow_redirects=False) as response:
        await response.read()
        stats.record(kind, started)
        return response.status


async def baseline_client(session, base, deadline, stats):
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.1"}
    while time.monotonic() < deadline:
        try:
            status, _, _ = await post(
                session, f"{base}/rush/baseline/", {}, headers, stats, "insert"
            )
            if status != 200:
                stats.errors.append(f"baseline: HTTP {status}")
        except Exception as error:  # noqa: BLE001 - counted as an error of the run
            stats.errors.append(f"baseline: {error!r}")


def browser_headers(base, person):
    """What a signed-in browser sends behind the reverse proxy."""
    origin = f"https://{HOST}:{base.rsplit(':', 1)[1]}"
    return {
        "Cookie": f"sessionid={person['session']}; csrftoken={person['csrf']}",
        "X-Forwarded-Proto": "https",
        "X-Forwarded-For": f"198.51.100.{person['seed'] % 250 + 1}",
        "Origin": origin,
        "Referer": f"{origin}/",
    }


async def submitter(session, deadline, *, base, drafts, stats):
    """Submit complete drafts, each as its owner, one after another, taking the next one
    from ``drafts`` (shared by all clients). The POST alone; a browser would then load the
    application's page."""
    while time.monotonic() < deadline:
        next_draft = next(drafts, None)
        if next_draft is None:
            stats.errors.append("submitter: out of drafts (raise --drafts)")
            return
        person, pk = next_draft
        try:
            status, location, _ = await post(
                session,
                f"{base}/applications/{pk}/submit/",
                {"csrfmiddlewaretoken": person["csrf"], "version": "1"},
                browser_headers(base, person),
                stats,
                "submit",
            )
            if (status, location) != (302, f"/applications/{pk}/"):
                stats.errors.append(f"submit: HTTP {status} → {location}")
                continue
            stats.submitted.append(pk)
        except Exception as error:  # noqa: BLE001 - counted as an error of the run
            stats.errors.append(f"submitter: {error!r}")


async def applicant(
    session, deadline, *, base, person, call, topic_id, answers, stats, think_time, follow=False
):
    """Start a draft, save the whole form, submit; with ``follow``, load the page each POST
    redirects to, as a browser does."""
    headers = browser_headers(base, person)
    token = {"csrfmiddlewaretoken": person["csrf"]}

    async def pause():
        if think_time:
            await asyncio.sleep(think_time)

    async def page(location, kind, message):
        if follow:
            status = await get(session, base + location, headers, stats, kind, message)
            if status != 200:
                stats.errors.append(f"{kind}: HTTP {status}")

    while time.monotonic() < deadline:
        try:
            await pause()
            status, location, message = await post(
                session, f"{base}/calls/{call.slug}/apply/", token, headers, stats, "start"
            )
            match = re.fullmatch(r"/applications/(\d+)/edit/", location)
            if status != 302 or not match:
                stats.errors.append(f"start: HTTP {status} → {location}")
                continue
            pk = int(match[1])
            edit = f"/applications/{pk}/edit/"
            await page(edit, "edit_page", message)
            data = proposal(topic_id, person["seed"], person["csrf"], version=1, answers=answers)
            await pause()
            status, location, message = await post(
                session, base + edit, data, headers, stats, "save"
            )
            if (status, location) != (302, edit):
                stats.errors.append(f"save: HTTP {status} → {location}")
                continue
            await page(edit, "edit_page", message)
            await pause()
            status, location, message = await post(
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
            await page(location, "detail_page", message)
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
        "drafts_left": Application.objects.filter(call=call, state="draft").count(),
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
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)  # as deployed
    drafts = args.drafts or int(DRAFTS_PER_SECOND * (args.duration + args.warm_up))
    call, topic, people, owners = seed(args.users, drafts)
    connection.close()

    base = f"http://{HOST}:{args.port}"

    def baseline_clients(stats):
        return [lambda s, d: baseline_client(s, base, d, stats) for _ in range(args.users)]

    def submitters(stats, owners):
        drafts = iter([(person, pk) for person in owners for pk in person["drafts"]])
        return [
            functools.partial(submitter, base=base, drafts=drafts, stats=stats)
            for _ in range(args.users)
        ]

    answers = proposal_answers(call)

    def applicants(stats, think_time, follow):
        return [
            functools.partial(
                applicant,
                base=base,
                person=person,
                call=call,
                topic_id=topic.pk,
                answers=answers,
                stats=stats,
                think_time=think_time,
                follow=follow,
            )
            for person in people
        ]

    # The warm-up's submissions use the first drafts (in proportion to its time), phase 2
    # the rest.
    warm_share = len(owners) * args.warm_up / 2 / (args.duration + args.warm_up)
    warm_owners, owners = owners[: int(warm_share) + 1], owners[int(warm_share) + 1 :]
    processes, log = start_services(args, env, scratch)
    meter = CpuMeter(
        {
            "gunicorn": processes[0].pid,
            "postgresql": postmaster_pid(args.database_url),
            "background_worker": processes[1].pid,
        }
    )
    cpu = {}

    def phase(name, clients, phase_args=args):
        before = meter.read()
        elapsed = asyncio.run(run_phase(phase_args, clients))
        cpu[name] = (before, meter.read())
        return elapsed

    try:
        warm = Stats()
        warm_args = argparse.Namespace(**{**vars(args), "duration": args.warm_up / 2})
        phase("warm_up", baseline_clients(warm), warm_args)
        phase("warm_up", submitters(warm, warm_owners), warm_args)

        baseline = Stats()
        baseline_time = phase("baseline", baseline_clients(baseline))
        submits = Stats()
        submit_time = phase("submit", submitters(submits, owners))
        loop_args = argparse.Namespace(**{**vars(args), "duration": args.loop_duration})
        rush = Stats()
        rush_time = phase("rush", applicants(rush, 0.0, follow=False), loop_args)
        paced = Stats()
        paced_time = phase("paced", applicants(paced, args.think_time, follow=True), loop_args)
        time.sleep(3)  # let the worker take the last confirmation mails
    finally:
        stop_services(processes, log)

    def cpu_ms(name, requests):
        return meter.per_request(*cpu[name], requests)

    everything = Stats()
    everything.submitted = warm.submitted + submits.submitted + rush.submitted + paced.submitted
    checks = check_database(call, everything)
    all_paced = [value for values in paced.latencies.values() for value in values]
    paced_posts = [
        value for kind in ("start", "save", "submit") for value in paced.latencies.get(kind, [])
    ]
    all_rush = [value for values in rush.latencies.values() for value in values]
    baseline_rps = len(baseline.latencies.get("insert", [])) / baseline_time
    submit_rps = len(submits.latencies.get("submit", [])) / submit_time
    rush_submit_rate = len(rush.submitted) / rush_time
    rush_rps = len(all_rush) / rush_time
    p95 = percentile(all_paced, 0.95)
    errors = warm.errors + baseline.errors + submits.errors + rush.errors + paced.errors
    result = {
        "benchmark": "deadline_rush",
        "setup": {
            "server": f"gunicorn, {args.workers} sync worker(s) x {args.threads} thread(s)",
            "settings": "config.settings.production (+ the baseline URL)",
            "database": "PostgreSQL",
            "prepared_statements": bool(
                settings.DATABASES["default"].get("OPTIONS", {}).get("server_side_binding")
            ),
            "cpu_cores": os.cpu_count(),
            "load_generator": "asyncio + aiohttp on the same machine (shares the cores)",
            "clients": args.users,
            "duration_s": args.duration,
            "loop_duration_s": args.loop_duration,
            "background_worker": "run_worker, running (dummy e-mail backend)",
            "seeded_complete_drafts": drafts,
        },
        "1_baseline_one_insert": {
            "throughput_rps": round(baseline_rps, 1),
            **summary(baseline.latencies.get("insert", [])),
            "cpu_ms_per_request": cpu_ms("baseline", len(baseline.latencies.get("insert", []))),
            "errors": len(baseline.errors),
        },
        "2_submit": {
            "what": "POST /applications/<id>/submit/ of complete drafts, the POST alone "
            "(a browser then loads the application's page: see 4_paced_rush)",
            "submissions": len(submits.submitted),
            "throughput_rps": round(submit_rps, 1),
            **summary(submits.latencies.get("submit", [])),
            "cpu_ms_per_request": cpu_ms("submit", len(submits.latencies.get("submit", []))),
            "errors": len(submits.errors),
            "first_errors": submits.errors[:5],
        },
        "3_rush_loop": {
            "what": "start + save the whole form + submit, per applicant, no pause",
            "submissions": len(rush.submitted),
            "submissions_per_s": round(rush_submit_rate, 1),
            "request_throughput_rps": round(rush_rps, 1),
            "all_requests": summary(all_rush),
            "by_request": {kind: summary(values) for kind, values in rush.latencies.items()},
            "cpu_ms_per_submission": cpu_ms("rush", len(rush.submitted)),
            "errors": len(rush.errors),
            "first_errors": rush.errors[:5],
        },
        "4_paced_rush": {
            "what": "the loop of 3, each applicant pausing before each POST, and loading "
            "the page each POST redirects to, as a browser does",
            "think_time_s": args.think_time,
            "submissions": len(paced.submitted),
            "request_throughput_rps": round(len(all_paced) / paced_time, 1),
            "all_requests": summary(all_paced),
            "posts_only": summary(paced_posts),
            "by_request": {kind: summary(values) for kind, values in paced.latencies.items()},
            "cpu_ms_per_submission": cpu_ms("paced", len(paced.submitted)),
            "errors": len(paced.errors),
            "first_errors": paced.errors[:5],
        },
        "ratios": {
            "submit_posts_vs_baseline": round(submit_rps / baseline_rps, 3),
            # Each submission of the loop is three requests (start, save, submit).
            "rush_loop_submissions_vs_baseline": round(rush_submit_rate / baseline_rps, 3),
            "rush_loop_requests_vs_baseline": round(rush_rps / baseline_rps, 3),
        },
        "database_checks": checks,
        "targets": {
            "submit_throughput_at_least_half_of_baseline": submit_rps / baseline_rps
            >= TARGET_RATIO,
            "p95_at_most_300_ms_at_a_human_pace": p95 is not None and p95 <= TARGET_P95_MS,
            "zero_errors": not errors,
            "nothing_lost_or_duplicated": checks["lost"] == 0
            and checks["submitted_without_confirmation"] == 0
            and checks["duplicated_confirmations"] == 0
            and checks["applications_with_more_than_one_submission_log"] == 0
            and checks["duplicate_references"] == 0
            and checks["applications_without_submitted_at"] == 0
            and checks["confirmation_mails_queued"] == checks["submitted_in_database"],
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
