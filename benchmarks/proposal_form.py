"""Benchmark: the proposal edit page of a call with 30 questions of every kind (DESIGN.md:
"≤ 10 ms CPU to render").

Run from the project root:  .venv/bin/python benchmarks/proposal_form.py [--profile]

A fresh temporary SQLite database (or BENCHMARK_DATABASE_URL), an open call with its six
default questions and 24 more (short and long text, choices, numbers, amounts, dates, web
addresses, yes/no, a file, one shown only after a given answer), and a draft that answers
every one of them. Measures, per GET of the edit page (median of 30 after a warm-up),
the process's CPU time of the whole request and of the page's template rendering alone
(the outermost template render, widgets included), and the SQL queries. ``--profile``
prints cProfile's table of one request instead. Prints JSON.
"""

import argparse
import cProfile
import json
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import support  # noqa: E402

REQUESTS = 30
WARM_UP = 5
TARGET_RENDER_CPU_MS = 10


def set_up():
    from accounts.models import User
    from grants.models import Answer, Application, Fund, PlannedMilestone, Topic

    fund = Fund.objects.create(name="Civic Tech Fund", reference_prefix="CTF")
    topic = Topic.objects.create(
        fund=fund, slug="open-data", name_de="Open Data", name_en="Open Data"
    )
    call = support.open_call(fund)
    questions = support.add_thirty_questions(call)
    owner = User.objects.create_user("applicant@example.org", full_name="Ada Applicant")
    application = Application.objects.create(
        call=call,
        owner=owner,
        reference="CTF-2026-1-0001",
        title="Open timetables for small towns",
        summary=" ".join(["open timetables for small towns"] * 20),
        track="individual_6",
        topic=topic,
        licence="MIT",
        repository_url="https://codeberg.org/rush/timetables",
    )
    PlannedMilestone.objects.bulk_create(
        PlannedMilestone(
            application=application,
            position=index,
            title=f"Milestone {index}",
            deliverable=f"Release {index} with documentation",
            month=index * 2 - 1,
            hours=250,
        )
        for index in (1, 2, 3)
    )
    Answer.objects.bulk_create(support.answer(application, question) for question in questions)
    return owner, application, len(questions)


class RenderTimer:
    """CPU time spent in the outermost template render (the page; the widgets' templates
    and includes inside it count with it)."""

    def __init__(self):
        from django.template.backends.django import Template

        self.depth, self.spent, self.original = 0, 0.0, Template.render
        timer = self

        def render(template, *args, **kwargs):
            timer.depth += 1
            started = time.process_time()
            try:
                return timer.original(template, *args, **kwargs)
            finally:
                timer.depth -= 1
                if timer.depth == 0:
                    timer.spent += time.process_time() - started

        Template.render = render


def measure(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timer = RenderTimer()
    for _ in range(WARM_UP):
        assert client.get(url).status_code == 200
    request_cpu, render_cpu = [], []
    for _ in range(REQUESTS):
        timer.spent = 0.0
        started = time.process_time()
        response = client.get(url)
        request_cpu.append((time.process_time() - started) * 1000)
        render_cpu.append(timer.spent * 1000)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return {
        "request_cpu_ms": round(statistics.median(request_cpu), 2),
        "render_cpu_ms": round(statistics.median(render_cpu), 2),
        "queries": len(captured),
        "page_bytes": len(response.content),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--profile", action="store_true", help="print cProfile's table")
    parser.add_argument("--lines", type=int, default=40)
    args = parser.parse_args()
    path = support.configure("config.settings.test")
    try:
        from django.test import Client
        from django.urls import reverse

        owner, application, questions = set_up()
        client = Client()
        client.force_login(owner)
        url = reverse("application_edit", args=[application.pk])
        if args.profile:
            for _ in range(WARM_UP):
                client.get(url)
            profile = cProfile.Profile()
            profile.runcall(client.get, url)
            pstats.Stats(profile).sort_stats("cumulative").print_stats(args.lines)
            return
        result = {"questions": questions, **measure(client, url)}
        result["target_render_cpu_ms"] = TARGET_RENDER_CPU_MS
        result["meets_target"] = result["render_cpu_ms"] <= TARGET_RENDER_CPU_MS
        print(json.dumps(result, indent=2))
    finally:
        Path(path).unlink(missing_ok=True)


if __name__ == "__main__":
    main()
