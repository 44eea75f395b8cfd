"""The executive summary names a few examples, not all: three collaboration cases and the
reasons of three late projects (pure functions, no database)."""

import datetime as dt
from types import SimpleNamespace

from django.utils import translation

from reporting.report import executive
from reporting.tables import Column, Table

PERIOD = {
    "repositories": 2, "releases": 5, "datasets": 2, "users_reached": 300, "public_bodies": 5,
    "milestones_due": 6, "on_time": 1, "late": 5,
}  # fmt: skip


def test_three_of_five_collaboration_cases_are_named():
    cases = [SimpleNamespace(body=f"Body {n}", kind="Uses it", title=f"Project {n}") for n in
             range(1, 6)]  # fmt: skip

    with translation.override("en"):
        text = executive.delivered(PERIOD, cases).text

    assert text.endswith(
        "5 public bodies work with the projects, for example: Body 1 – Uses it: Project 1; "
        "Body 2 – Uses it: Project 2; Body 3 – Uses it: Project 3."
    )


def test_what_was_delivered_counts_in_singular_and_plural():
    one = {**PERIOD, "repositories": 1, "releases": 1, "datasets": 1, "users_reached": 1}

    with translation.override("en"):
        singular = executive.delivered(one, []).text
        plural = executive.delivered(PERIOD, []).text
    with translation.override("de"):
        german = executive.delivered(one, []).text

    assert singular.startswith(
        "The projects released 1 code repository and 1 release, opened 1 dataset under open "
        "licences and reached 1 user. "
    )
    assert plural.startswith(
        "The projects released 2 code repositories and 5 releases, opened 2 datasets under open "
        "licences and reached 300 users. "
    )
    assert german.startswith(
        "Die Projekte haben 1 Code-Repository und 1 Release veröffentlicht, 1 Datensatz unter "
        "offenen Lizenzen geöffnet und 1 Nutzerin oder Nutzer erreicht. "
    )


def test_the_reasons_of_three_late_projects_are_named_and_unexplained_ones_skipped():
    rows = [[f"REF{n}", f"Project {n}", f"Reason {n}."] for n in range(1, 6)]
    rows.insert(1, ["REF0", "Project 0", "No reason given."])
    delays = Table(key="delays", title="Delays", rows=rows,
                   columns=[Column("reference", "Reference"), Column("title", "Project"),
                            Column("reason", "Reason")])  # fmt: skip

    with translation.override("en"):
        text = executive.late(PERIOD, delays, dt.date(2026, 6, 15)).text

    assert text == (
        "6 milestones due by 15 June 2026: 1 reported on time, 5 late. Reasons given: "
        "Project 1 (REF1): Reason 1.; Project 2 (REF2): Reason 2.; Project 3 (REF3): Reason 3."
    )
