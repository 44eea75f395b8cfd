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
import logging
import pstats
import statistics
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import support  # noqa: E402

REQUESTS = 30
WARM_UP = 5
TARGET_RENDER_CPU_MS = 10
OPTIONS = [{"key": f"option-{n}", "de": f"Möglichkeit {n}", "en": f"Option {n}"} for n in (1, 2, 3)]
# (kind, how many, word limit): with the six default long texts, 30 questions.
EXTRA_QUESTIONS = (
    ("long_text", 4, 150),
    ("text", 4, 20),
    ("choice", 3, None),
    ("multiple_choice", 3, None),
    ("number", 2, None),
    ("amount", 2, None),
    ("date", 2, None),
    ("url", 2, None),
    ("yes_no", 1, None),
    ("file", 1, None),
)


def set_up():
    from django.utils import timezone

    from accounts.models import User
    from grants.models import Answer, Application, Call, Fund, PlannedMilestone, Question, Topic
    from grants.services.questions import add_default_questions
    from grants.services.tracks import add_default_tracks

    fund = Fund.objects.create(name="Civic Tech Fund", reference_prefix="CTF")
    topic = Topic.objects.create(
        fund=fund, slug="open-data", name_de="Open Data", name_en="Open Data"
    )
    now = timezone.now()
    call = Call.objects.create(
        fund=fund,
        slug="2026-round-1",
        year=2026,
        round_number=1,
        title_de="Runde 1",
        title_en="Round 1",
        opens_at=now - timezone.timedelta(days=30),
        closes_at=now + timezone.timedelta(days=30),
        budget=Decimal("1500000"),
        state="open",
    )
    questions = add_default_questions(call)
    position = len(questions)
    for kind, count, limit in EXTRA_QUESTIONS:
        for number in range(count):
            position += 1
            questions.append(
                Question.objects.create(
                    call=call,
                    key=f"{kind.replace('_', '-')}-{number}",
                    kind=kind,
                    label_de=f"Frage {position}: Wie beschreiben Sie diesen Teil Ihres Projekts?",
                    label_en=f"Question {position}: how would you describe this part of it?",
                    help_de="Ein, zwei Sätze genügen.",
                    help_en="One or two sentences are enough.",
                    required=number % 2 == 0,
                    position=position,
                    word_limit=limit,
                    options=OPTIONS if "choice" in kind else [],
                )
            )
    yes_no = next(q for q in questions if q.kind == "yes_no")
    conditional = next(q for q in questions if q.kind == "text")
    conditional.condition_question, conditional.condition_value = yes_no, "yes"
    conditional.save()
    owner = User.objects.create_user("applicant@example.org", full_name="Ada Applicant")
    application = Application.objects.create(
        call=call,
        owner=owner,
        reference="CTF-2026-1-0001",
        title="Open timetables for small towns",
        summary=" ".join(["open timetables for small towns"] * 20),
        track=add_default_tracks(call)[0],
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
    Answer.objects.bulk_create(answer(application, question) for question in questions)
    return owner, application, len(questions)


def answer(application, question):
    from grants.models import Answer

    values = {
        "long_text": {"text": " ".join(["words of a real answer"] * 30)},
        "text": {"text": "A short answer"},
        "choice": {"choices": ["option-2"]},
        "multiple_choice": {"choices": ["option-1", "option-3"]},
        "number": {"number": Decimal(12)},
        "amount": {"number": Decimal("1250.50")},
        "date": {"date": date(2027, 3, 1)},
        "url": {"text": "https://example.org/plan"},
        "yes_no": {"boolean": True},
        "file": {},
    }[question.kind]
    return Answer(application=application, question=question, **values)


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

        logging.disable(logging.INFO)  # one request log line per request otherwise
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
