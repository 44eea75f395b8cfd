"""The migration that makes the proposal's narrative sections questions of each call: every
text of every application reads the same before and after (an answer per non-empty
section, as stored, byte for byte), and back again when it is reversed. Runs on SQLite and,
with DATABASE_URL, on PostgreSQL."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

MIGRATION = ("grants", "0011_questions_per_call")
SECTIONS = (
    "societal_challenge",
    "technical_approach",
    "prior_work",
    "similar_approaches",
    "target_group",
    "team_experience",
)
# Texts as people type them: umlauts, emoji, line breaks, spaces at the ends, HTML as text,
# a long one, and an empty section (which gets no answer).
TEXTS = (
    "Öffentliche Daten sind schwer nachzunutzen. 🚆",
    "  Python\r\nGTFS\n\nund ein statischer Generator.  ",
    "<script>alert(1)</script> & “quotes”",
    "word " * 3000,
    "",
    "Zehn Jahre Open-Data-Arbeit.",
)


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


def _before():
    executor = MigrationExecutor(connection)
    return executor.loader.get_migration(*MIGRATION).dependencies[0]


@pytest.mark.django_db(transaction=True)
def test_every_section_text_becomes_the_same_answer_and_back():
    old = _migrate(_before())
    Fund = old.get_model("grants", "Fund")
    Call = old.get_model("grants", "Call")
    Application = old.get_model("grants", "Application")
    User = old.get_model("accounts", "User")
    fund = Fund.objects.create(name="Fund", reference_prefix="CTF")
    owner = User.objects.create(email="owner@example.org")
    calls = [
        Call.objects.create(
            fund=fund, slug=f"round-{n}", year=2026, round_number=n, title_de="R", title_en="R"
        )
        for n in (1, 2)
    ]
    before = {}
    for number in range(3):
        texts = dict(zip(SECTIONS, TEXTS[number:] + TEXTS[:number], strict=True))
        application = Application.objects.create(
            call=calls[number % 2], owner=owner, reference=f"CTF-{number}", **texts
        )
        before[application.pk] = texts

    new = _migrate(MIGRATION)
    Answer = new.get_model("grants", "Answer")
    Question = new.get_model("grants", "Question")
    after = {pk: {} for pk in before}
    for pk, key, text in Answer.objects.values_list("application_id", "question__key", "text"):
        after[pk][key] = text
    assert after == {
        pk: {key: text for key, text in texts.items() if text} for pk, texts in before.items()
    }
    assert sorted(Question.objects.values_list("call__slug", "key", "position")) == sorted(
        (call.slug, key, position)
        for call in calls
        for position, key in enumerate(SECTIONS, start=1)
    )

    reverted = _migrate(_before())
    Application = reverted.get_model("grants", "Application")
    assert {
        row["pk"]: {key: row[key] for key in SECTIONS}
        for row in Application.objects.values("pk", *SECTIONS)
    } == before
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes("grants")[0])
