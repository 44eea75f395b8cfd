"""Benchmark: the ministry's reports at scale, and the 360Giving export.

Run from the project root:  .venv/bin/python benchmarks/reporting.py

On a fresh temporary SQLite database (or BENCHMARK_DATABASE_URL) with the dev settings:

1. 10 decided calls with 10,000 applications and 1,000 signed grants (4 milestones each,
   with payments, reports, links, collaborations, final reports and change requests).
   The summary report over all of it: data + pandas time (reporting.data.load and the
   report's tables and charts) and WeasyPrint time (HTML and PDF). Targets (DESIGN.md):
   at most 5 s in total, data + pandas at most 20 % of it, peak memory at most 500 MB.
2. The appendix: one call's report (100 projects) with and without the one-page-per-project
   appendix; the difference is the cost per 100 projects and per 10 appendix pages (target:
   at most 1 s per 10 pages).
3. The 360Giving export of 1,000 and then of 10,000 grants (9,000 more signed, with the
   same history): time (target ≤ 3 s for 10,000) and peak memory, which must stay flat.
   The URLconf is loaded before the clock starts, as it is in a running server.

Each measurement runs in a fresh Python process (its peak resident memory is its own).
Prints JSON.
"""

import datetime as dt
import json
import os
import resource
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import support  # noqa: E402

CALLS = 10
APPLICATIONS_PER_CALL = 1000
GRANTS_PER_CALL = 100
MILESTONES = 4
TARGETS = {"summary_total_seconds": 5.0, "data_share": 0.20, "peak_memory_mb": 500,
           "export_10000_seconds": 3.0, "appendix_seconds_per_10_pages": 1.0}  # fmt: skip


def peak_mb() -> float:
    """This process's peak resident memory. From VmHWM, the high-water mark of its own
    memory map: ru_maxrss carries over the parent's peak through fork and exec on Linux,
    so a measuring process started by a big parent would report the parent's peak."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


# Data --------------------------------------------------------------------------------------


def populate():
    from django.contrib.auth.models import Group

    from accounts.models import User
    from accounts.roles import Role
    from grants.models import Application, Call, Fund, Topic
    from grants.services.tracks import add_default_tracks

    fund = Fund.objects.create(name="Civic Tech Fund", reference_prefix="CTF")
    topics = [
        Topic.objects.create(fund=fund, slug=slug, name_de=de, name_en=en)
        for slug, de, en in (
            ("open-data", "Offene Daten", "Open Data"),
            ("civic-tech", "Civic Tech", "Civic Tech"),
            ("data-security", "Datensicherheit", "Data Security"),
        )
    ]
    staff = User.objects.create_user("staff@fund.example", full_name="Sam Staff")
    staff.groups.add(Group.objects.get(name=Role.STAFF))
    owners = User.objects.bulk_create(
        User(email=f"applicant{n}@example.org", full_name=f"Applicant {n}", password="!")
        for n in range(CALLS * APPLICATIONS_PER_CALL)
    )
    states = ["rejected"] * 6 + ["ineligible"] * 2 + ["withdrawn", "waitlisted"]
    grant_states = ["completed", "completed", "final_report_due", "funded", "terminated"]
    applications = []
    for index in range(CALLS):
        year, number = 2022 + index // 3, index % 3 + 1
        closes = dt.datetime(year, 4 * number - 2, 15, tzinfo=dt.UTC)
        call = Call.objects.create(
            fund=fund, slug=f"{year}-{number}", year=year, round_number=number,
            title_de=f"Förderrunde {year}/{number}", title_en=f"Funding round {year}/{number}",
            opens_at=closes - dt.timedelta(days=60), closes_at=closes, budget=Decimal("10000000"),
            state="decided",
        )  # fmt: skip
        tracks = {track.key: track for track in add_default_tracks(call)}
        for n in range(APPLICATIONS_PER_CALL):
            serial = index * APPLICATIONS_PER_CALL + n
            funded = n < GRANTS_PER_CALL
            applications.append(
                Application(
                    call=call,
                    owner=owners[serial],
                    reference=f"CTF-{year}-{number}-{n + 1:04d}",
                    title=f"Prototype {serial} for open municipal data",
                    summary="A prototype that turns municipal records into open data. " * 4,
                    track=tracks["team_6" if n % 2 else "individual_10"],
                    topic=topics[serial % 3],
                    state=grant_states[n % 5] if funded else states[n % len(states)],
                    total_hours=900,
                    requested_amount=Decimal(30000 + (serial * 7919) % 120000),
                    awarded_amount=Decimal(30000 + (serial * 7919) % 120000) if funded else None,
                    submitted_at=closes - dt.timedelta(minutes=n * 37),
                    decided_at=closes + dt.timedelta(days=70) if funded else None,
                    repository_url=f"https://codeberg.org/bench/p{serial}",
                )  # fmt: skip
            )
    applications = Application.objects.bulk_create(applications, batch_size=2000)
    add_grants([a for a in applications if a.awarded_amount is not None], staff)
    return applications, staff


def add_grants(applications, staff):
    """Grants for ``applications`` (their awarded amount set) with milestones, payments,
    reports, links, collaborations, final reports and change requests."""
    from grants.models import (
        ChangeRequest,
        FinalReport,
        GovernmentCollaboration,
        Grant,
        Milestone,
        MilestoneReport,
        Payment,
        ReportLink,
    )

    grants = Grant.objects.bulk_create(
        (
            Grant(
                application=application,
                funding_reference=f"B{application.pk:08d}",
                amount=application.awarded_amount,
                months=6,
                starts_on=application.decided_at.date() + dt.timedelta(days=30),
                ends_on=application.decided_at.date() + dt.timedelta(days=210),
                prepared_by=staff,
                offered_at=application.decided_at,
                accepted_at=application.decided_at + dt.timedelta(days=10),
                accepted_by_id=application.owner_id,
                publication_consent=application.pk % 3 != 0,
            )  # fmt: skip
            for application in applications
        ),
        batch_size=2000,
    )
    milestones = Milestone.objects.bulk_create(
        (
            Milestone(
                grant=grant,
                position=position,
                title=f"Milestone {position}",
                deliverable="Release",
                due_on=grant.starts_on + dt.timedelta(days=45 * position),
                amount=(grant.amount / MILESTONES).quantize(Decimal("0.01")),
                state="paid" if position < 3 else "planned",
                first_reported_at=dt.datetime.combine(
                    grant.starts_on + dt.timedelta(days=45 * position + position % 2 * 5),
                    dt.time(12),
                    tzinfo=dt.UTC,
                )
                if position < 3
                else None,
                accepted_at=dt.datetime.combine(
                    grant.starts_on + dt.timedelta(days=45 * position + 8),
                    dt.time(12),
                    tzinfo=dt.UTC,
                )
                if position < 3
                else None,
            )  # fmt: skip
            for grant in grants
            for position in range(1, MILESTONES + 1)
        ),
        batch_size=4000,
    )
    done = [m for m in milestones if m.state == "paid"]
    Payment.objects.bulk_create(
        (
            Payment(
                grant_id=m.grant_id,
                milestone=m,
                kind=kind,
                amount=m.amount,
                created_by=staff,
                paid_on=m.due_on + dt.timedelta(days=15) if kind == "paid" else None,
            )  # fmt: skip
            for m in done
            for kind in ("released", "paid")
        ),
        batch_size=4000,
    )
    reports = MilestoneReport.objects.bulk_create(
        (
            MilestoneReport(
                milestone=m,
                version=1,
                delivered="Delivered.",
                problems="The partner city delivered data late." if m.pk % 2 else "",
                releases=2,
                security_audits=m.pk % 2,
                vulnerabilities_fixed=m.pk % 5,
                users_reached=100 * m.position,
                organisations_reached=m.position,
                contributors=3,
                submitted_at=m.first_reported_at,
            )  # fmt: skip
            for m in done
        ),
        batch_size=4000,
    )
    ReportLink.objects.bulk_create(
        (
            ReportLink(
                report=r,
                kind=kind,
                url=f"https://{host}.example/{r.milestone.grant_id}",
                licence=licence,
            )  # fmt: skip
            for r in reports
            for kind, host, licence in (
                ("repository", "code", "MIT"),
                ("dataset", "data", "CC-BY-4.0"),
            )
        ),
        batch_size=4000,
    )
    GovernmentCollaboration.objects.bulk_create(
        (
            GovernmentCollaboration(
                report=r,
                body=f"Stadt {r.milestone.grant_id % 40}",
                level="municipal",
                kind="adopts",
            )  # fmt: skip
            for r in reports
            if r.milestone.grant_id % 3 == 0
        ),
        batch_size=4000,
    )
    FinalReport.objects.bulk_create(
        (
            FinalReport(
                grant=grant,
                state="accepted",
                summary="Finished and in use.",
                submitted_at=dt.datetime.combine(grant.ends_on, dt.time(12), tzinfo=dt.UTC),
                follow_up_funding=Decimal("25000") if grant.pk % 4 == 0 else None,
                follow_up_funder="Land NRW" if grant.pk % 4 == 0 else "",
            )  # fmt: skip
            for grant in grants
            if grant.application.state == "completed"
        ),
        batch_size=2000,
    )
    by_grant = {m.grant_id: m for m in milestones if m.position == 3}
    ChangeRequest.objects.bulk_create(
        (
            ChangeRequest(
                grant=grant,
                kind="milestone_date",
                milestone=by_grant[grant.pk],
                old_date=by_grant[grant.pk].due_on,
                new_date=by_grant[grant.pk].due_on + dt.timedelta(days=21),
                reason="A team member was ill.",
                requested_by_id=grant.application.owner_id,
                state="approved",
            )  # fmt: skip
            for grant in grants[::10]
        ),
        batch_size=2000,
    )
    return grants


def sign_more_grants(staff, count):
    """``count`` more unfunded applications become signed grants with the same history as
    the first (for the export at 10,000)."""
    from django.db.models import F

    from grants.models import Application

    ids = list(
        Application.objects.filter(awarded_amount__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)[:count]
    )
    Application.objects.filter(pk__in=ids).update(
        state="funded",
        awarded_amount=F("requested_amount"),
        decided_at=F("submitted_at") + dt.timedelta(days=90),
    )
    add_grants(list(Application.objects.filter(pk__in=ids)), staff)


# Measurements (each in its own process) ----------------------------------------------------


def measure_report(call: str, appendix: bool) -> dict:
    from django.utils import timezone, translation

    from reporting import data
    from reporting.filters import ReportFilter
    from reporting.pdf import render_pdf, report_html
    from reporting.project_texts import load_project_texts
    from reporting.report import appendix_grant_ids, build_report

    # The translation catalogues load once per process (a server or worker has them).
    translation.activate("en")
    selection = ReportFilter(call=call)
    started = time.perf_counter()
    loaded = data.load()
    today = timezone.localdate()
    texts = load_project_texts(appendix_grant_ids(loaded, selection, today)) if appendix else None
    report = build_report(loaded, selection, language="en", today=today, made_at=timezone.now(),
                          fund_name=loaded.fund_name, appendix=appendix, texts=texts)  # fmt: skip
    data_seconds = time.perf_counter() - started
    started = time.perf_counter()
    rendered = render_pdf(report_html(report))
    weasyprint_seconds = time.perf_counter() - started
    total = data_seconds + weasyprint_seconds
    return {
        "applications": len(loaded.frames.applications),
        "grants": len(loaded.frames.grants),
        "projects_in_report": report.project_count,
        "pages": rendered.pages,
        "data_pandas_seconds": round(data_seconds, 2),
        "weasyprint_seconds": round(weasyprint_seconds, 2),
        "total_seconds": round(total, 2),
        "data_share": round(data_seconds / total, 3),
        "peak_memory_mb": peak_mb(),
    }


def measure_export() -> dict:
    from django.urls import reverse

    from reporting.opendata import stream_360giving

    reverse("transparency")  # the URLconf (it imports WeasyPrint): loaded in a running server
    started = time.perf_counter()
    size = grants = 0
    with open(os.devnull, "w", encoding="utf-8") as sink:
        for piece in stream_360giving():
            sink.write(piece)
            size += len(piece.encode())
            grants += 1
    return {
        "grants": grants - 2,
        "seconds": round(time.perf_counter() - started, 2),
        "megabytes": round(size / 1e6, 1),
        "peak_memory_mb": peak_mb(),
    }


def measure_baseline() -> dict:
    """What the measuring process holds before it measures: Django, pandas, WeasyPrint."""
    import reporting.opendata  # noqa: F401
    import reporting.pdf  # noqa: F401
    import reporting.report  # noqa: F401

    return {"peak_memory_mb": peak_mb()}


def in_subprocess(what: str, *args) -> dict:
    result = subprocess.run(  # noqa: S603 (this very script, our arguments)
        [sys.executable, __file__, "--measure", what, *args],
        capture_output=True,
        text=True,
        env={**os.environ},
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main():
    if "--measure" in sys.argv:
        what, *args = sys.argv[sys.argv.index("--measure") + 1 :]
        os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
        import django

        django.setup()
        result = {
            "summary": lambda: measure_report("", False),
            "call": lambda: measure_report(args[0], args[1] == "appendix"),
            "export": measure_export,
            "baseline": measure_baseline,
        }[what]()
        print(json.dumps(result))
        return
    path = support.configure("config.settings.dev")
    try:
        started = time.perf_counter()
        _applications, staff = populate()
        populate_seconds = round(time.perf_counter() - started, 1)
        os.environ["DJANGO_LOG_LEVEL"] = "ERROR"
        baseline = in_subprocess("baseline")
        summary = in_subprocess("summary")
        one_call = in_subprocess("call", "2022-1", "summary")
        with_appendix = in_subprocess("call", "2022-1", "appendix")
        export_1000 = in_subprocess("export")
        print(json.dumps({"summary": summary, "one_call": one_call, "appendix": with_appendix,
                          "export_1000": export_1000}), file=sys.stderr)  # fmt: skip
        sign_more_grants(staff, 9000)
        export_10000 = in_subprocess("export")
        summary_10000 = in_subprocess("summary")
        appendix_seconds = with_appendix["total_seconds"] - one_call["total_seconds"]
        # DESIGN.md's target is per 10 pages the appendix adds (a project may take two).
        appendix_pages = with_appendix["pages"] - one_call["pages"]
        per_10_pages = round(appendix_seconds * 10 / max(appendix_pages, 1), 2)
        print(
            json.dumps(
                {
                    "populate_seconds": populate_seconds,
                    "load_average_1_min": round(os.getloadavg()[0], 2),
                    "process_baseline_memory_mb": baseline["peak_memory_mb"],
                    "summary_report": summary,
                    "summary_meets_targets": summary["total_seconds"]
                    <= TARGETS["summary_total_seconds"]
                    and summary["data_share"] <= TARGETS["data_share"]
                    and summary["peak_memory_mb"] <= TARGETS["peak_memory_mb"],
                    "one_call_without_appendix": one_call,
                    "one_call_with_appendix": with_appendix,
                    "appendix_seconds_per_100_projects": round(
                        appendix_seconds * 100 / max(with_appendix["projects_in_report"], 1), 2
                    ),
                    "appendix_pages": appendix_pages,
                    "appendix_seconds_per_10_pages": per_10_pages,
                    "appendix_meets_target": per_10_pages
                    <= TARGETS["appendix_seconds_per_10_pages"],
                    "export_360giving_1000": export_1000,
                    "export_360giving_10000": export_10000,
                    "export_meets_target": export_10000["seconds"]
                    <= TARGETS["export_10000_seconds"],
                    "export_memory_growth_mb": round(
                        export_10000["peak_memory_mb"] - export_1000["peak_memory_mb"], 1
                    ),
                    "summary_report_with_10000_grants": summary_10000,
                    "targets": TARGETS,
                },
                indent=2,
            )
        )
    finally:
        if not os.environ.get("BENCHMARK_DATABASE_URL"):
            Path(path).unlink(missing_ok=True)


if __name__ == "__main__":
    main()
