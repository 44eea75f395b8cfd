"""Set-up shared by the benchmark scripts."""

import logging
import os
import sys
import tempfile
from datetime import date
from decimal import Decimal


def configure(settings_module: str) -> str:
    """Django with ``settings_module`` on a fresh temporary SQLite database (or on
    BENCHMARK_DATABASE_URL), migrated. Returns the SQLite file's path.

    The benchmarks print their figures as JSON on stdout: the request log is off, and any
    other log line goes to stderr. The test settings' extra checks that a deployed server
    does not make are switched off."""
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    handle, path = tempfile.mkstemp(prefix="ctf-benchmark-", suffix=".sqlite3")
    os.close(handle)
    os.environ["DATABASE_URL"] = os.environ.get("BENCHMARK_DATABASE_URL") or f"sqlite:///{path}"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.INBOX_COUNT_CHECK_REUSE = False
    # The request log writes to stdout, where the scripts print their JSON; warnings and
    # errors still show, on stderr.
    logging.disable(logging.INFO)
    _log_to_stderr()
    call_command("migrate", verbosity=0, interactive=False)
    return path


# The caps of today's four tracks, as the demo and the design have them.
TRACK_CAPS = {
    "cap_individual_6": Decimal("47500"),
    "cap_individual_10": Decimal("79167"),
    "cap_team_6": Decimal("95000"),
    "cap_team_10": Decimal("158000"),
}
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


def open_call(fund, **fields):
    """A call of ``fund`` open for 30 more days with today's four tracks; ``fields`` override."""
    from django.utils import timezone

    from grants.models import Call

    now = timezone.now()
    values = {
        "slug": "2026-round-1",
        "year": 2026,
        "round_number": 1,
        "title_de": "Runde 1",
        "title_en": "Round 1",
        "opens_at": now - timezone.timedelta(days=30),
        "closes_at": now + timezone.timedelta(days=30),
        "budget": Decimal("1500000"),
        "state": "open",
        **TRACK_CAPS,
    }
    return Call.objects.create(fund=fund, **(values | fields))


def add_thirty_questions(call) -> list:
    """The call's six default questions and 24 more of every kind: every other one required
    (the file question never, so that a draft is complete without an upload), and one short
    text shown only after a "yes"."""
    from grants.models import Question
    from grants.services.questions import add_default_questions

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
                    required=number % 2 == 0 and kind != "file",
                    position=position,
                    word_limit=limit,
                    options=OPTIONS if "choice" in kind else [],
                )
            )
    yes_no = next(q for q in questions if q.kind == "yes_no")
    conditional = next(q for q in questions if q.kind == "text")
    conditional.condition_question, conditional.condition_value = yes_no, "yes"
    conditional.save()
    return questions


def _long_text(question) -> str:
    words = ["words", "of", "a", "real", "answer"] * 30
    return " ".join(words[: (question.word_limit or len(words)) - 5])


def answer(application, question):
    """A stored answer to ``question`` within its limits (none to a file question)."""
    from grants.models import Answer

    values = {
        "long_text": {"text": _long_text(question)},
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


def posted_answers(questions) -> list[tuple[str, str]]:
    """The same answers as a browser posts them (field, value) pairs; no file."""
    values = {
        "text": ["A short answer"],
        "choice": ["option-2"],
        "multiple_choice": ["option-1", "option-3"],
        "number": ["12"],
        "amount": ["1250.50"],
        "date": ["2027-03-01"],
        "url": ["https://example.org/plan"],
        "yes_no": ["yes"],
        "file": [],
    }
    return [
        (question.field_name, value)
        for question in questions
        for value in (
            [_long_text(question)] if question.kind == "long_text" else values[question.kind]
        )
    ]


def _log_to_stderr() -> None:
    loggers = [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]
    for logger in loggers:
        for handler in getattr(logger, "handlers", []):
            if isinstance(handler, logging.StreamHandler) and handler.stream is sys.stdout:
                handler.setStream(sys.stderr)
