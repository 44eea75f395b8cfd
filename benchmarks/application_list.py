"""Benchmark: the staff application list with 100 and with 10,000 applications in one call.

Run from the project root:  .venv/bin/python benchmarks/application_list.py

Uses a fresh temporary SQLite database (or DATABASE_URL if BENCHMARK_DATABASE_URL is given),
signs a staff member in with an MFA session, and measures the server time of the list page
(median of 25 requests after warm-up, through django.test.Client; wall-clock time, plus the
process's CPU time, which is steadier on a busy machine) and its number of SQL queries.
Target (DESIGN.md): time at 10,000 ≤ 1.5 × time at 100, same number of queries.

The planner's statistics are refreshed (ANALYZE) after each bulk load, as PostgreSQL's
autovacuum does; pass --no-analyze to measure without them. Prints JSON.
"""

import json
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import support  # noqa: E402

REQUESTS = 25
WARM_UP = 5
TARGET_RATIO = 1.5
OTHER_SORTS = ("-submitted", "title", "-amount")


def configure():
    return support.configure("config.settings.test")


def staff_client(staff):
    """A test client signed in as ``staff`` as if the MFA step had been passed (the way
    tests/factories.mark_session_mfa does, with the session keys allauth reads). The gate
    counts a session only while the authenticator it used exists, so staff get one."""
    from allauth.account.internal.flows import login as allauth_login
    from allauth.mfa.totp.internal.auth import TOTP
    from django.test import Client
    from django.utils import timezone

    totp = TOTP.activate(staff, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP").instance
    client = Client()
    client.force_login(staff)
    session = client.session
    now = timezone.now().timestamp()
    session[allauth_login.AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": now, "email": staff.email},
        {"method": "mfa", "at": now, "type": "totp", "id": totp.pk},
    ]
    session[allauth_login._AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(staff.pk)
    session.save()
    return client


def set_up():
    from django.contrib.auth.models import Group

    from accounts.models import User
    from accounts.roles import Role
    from grants.models import Fund, Topic

    fund = Fund.objects.create(name="Civic Tech Fund", reference_prefix="CTF")
    topics = [
        Topic.objects.create(fund=fund, slug=slug, name_de=name, name_en=name)
        for slug, name in (
            ("open-data", "Open Data"),
            ("civic-tech", "Civic Tech"),
            ("data-security", "Data Security"),
        )
    ]
    call = support.open_call(fund)
    staff = User.objects.create_user("staff@fund.example", full_name="Sam Staff")
    staff.groups.add(Group.objects.get(name=Role.STAFF))
    return call, topics, staff


STATES = (
    ["submitted"] * 10
    + ["eligible"] * 5
    + ["ineligible"] * 2
    + ["in_review"] * 2
    + ["withdrawn"]
    + ["draft"] * 3
)
TRACKS = ("individual_6", "individual_10", "team_6", "team_10")
WORDS = ("open", "data", "for", "municipal", "transport", "timetables", "civic", "prototype")


def full_texts():
    """Realistic row width: every text section filled up to its word limit."""
    from grants.states import WORD_LIMITS

    return {
        name: " ".join(WORDS[i % len(WORDS)] for i in range(limit))
        for name, limit in WORD_LIMITS.items()
    }


def add_applications(call, topics, start, count):
    """``count`` applications (and their owners) in a few bulk INSERTs; a few have an open
    question, as in a real round."""
    from django.utils import timezone

    from accounts.models import User
    from grants.models import Application, InformationRequest

    now = timezone.now()
    texts = full_texts()
    owners = User.objects.bulk_create(
        User(email=f"applicant{n}@example.org", full_name=f"Applicant {n}", password="!")
        for n in range(start, start + count)
    )
    applications = Application.objects.bulk_create(
        Application(
            call=call,
            owner=owner,
            reference=f"CTF-2026-1-{n:05d}",
            title=f"Prototype number {n} for open municipal data",
            **texts,
            track=TRACKS[n % len(TRACKS)],
            topic=topics[n % len(topics)],
            state=STATES[n % len(STATES)],
            total_hours=900,
            requested_amount=Decimal(30000 + (n * 7919) % 120000),
            submitted_at=None
            if STATES[n % len(STATES)] == "draft"
            else now - timezone.timedelta(minutes=n),
        )
        for n, owner in zip(range(start, start + count), owners, strict=True)
    )
    InformationRequest.objects.bulk_create(
        InformationRequest(
            application=application,
            question="Please explain the budget.",
            due_on=now.date(),
            asked_by=owner,
        )
        for application, owner in zip(applications, owners, strict=True)
        if application.state == "submitted" and application.pk % 20 == 0
    )


def measure(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(WARM_UP):
        response = client.get(url)
        assert response.status_code == 200, response.status_code
    timings, cpu_timings = [], []
    for _ in range(REQUESTS):
        started, cpu_started = time.perf_counter(), time.process_time()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        cpu_timings.append((time.process_time() - cpu_started) * 1000)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return {
        "median_ms": round(statistics.median(timings), 2),
        "median_cpu_ms": round(statistics.median(cpu_timings), 2),
        "queries": len(captured),
    }


def analyze():
    """Refresh the planner's statistics after a bulk load, as PostgreSQL's autovacuum does
    after large inserts (VACUUM also sets the visibility map, so that counts can be answered
    from the (call, state) index alone), and as `PRAGMA optimize` does for SQLite. Without
    statistics both databases guess that a call has few rows and sort all of them instead
    of walking the index of the sort column."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def main():
    refresh_statistics = "--no-analyze" not in sys.argv[1:]
    path = configure()
    try:
        from django.urls import reverse

        call, topics, staff = set_up()
        client = staff_client(staff)
        url = reverse("staff_application_list", kwargs={"slug": call.slug})
        add_applications(call, topics, 1, 100)
        if refresh_statistics:
            analyze()
        small = measure(client, url)
        small_sorts = {sort: measure(client, f"{url}?sort={sort}") for sort in OTHER_SORTS}
        add_applications(call, topics, 101, 9_900)
        if refresh_statistics:
            analyze()
        large = measure(client, url)
        large_sorts = {sort: measure(client, f"{url}?sort={sort}") for sort in OTHER_SORTS}
        print(
            json.dumps(
                {
                    "rows_100": small,
                    "rows_10000": large,
                    "time_ratio": ratio(large, small, "median_ms"),
                    "cpu_time_ratio": ratio(large, small, "median_cpu_ms"),
                    "same_query_count": small["queries"] == large["queries"],
                    "target_ratio": TARGET_RATIO,
                    # For information: the list sorted by other columns (10,000 : 100).
                    "other_sorts_cpu_time_ratio": {
                        sort: ratio(large_sorts[sort], small_sorts[sort], "median_cpu_ms")
                        for sort in OTHER_SORTS
                    },
                    "statistics_refreshed": refresh_statistics,
                },
                indent=2,
            )
        )
    finally:
        if not os.environ.get("BENCHMARK_DATABASE_URL"):
            Path(path).unlink(missing_ok=True)


def ratio(large, small, key):
    return round(large[key] / small[key], 2)


if __name__ == "__main__":
    main()
