"""The executive summary: one page in words, written from the figures of the report (what
was funded, what it delivered, what is late and why, what changed since the period before,
plan against actual, targets). Every number comes from the tables beside it."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.formats import euro
from reporting.report.labels import label, value_of
from reporting.summaries import (
    counted,
    datasets_text,
    decided_sentence,
    milestones_sentence,
    money_sentence,
    period_text,
    received_sentence,
    repositories_text,
    span_text,
)
from reporting.tables import Change, Table, format_cell, format_count, format_percent

CASES_NAMED = 3
REASONS_NAMED = 3
CHANGES_NAMED = ("received", "approved", "committed", "disbursed", "late", "repositories")


@dataclass
class Paragraph:
    heading: str
    text: str


def funded(period: dict, selection) -> Paragraph:
    text = " ".join(
        [
            received_sentence(period, period_text(selection.date_from, selection.date_to)),
            decided_sentence(period),
            money_sentence(period),
        ]
    )
    return Paragraph(_("What was funded"), text)


def delivered(period: dict, cases: list) -> Paragraph:
    sentences = [
        _(
            "The projects released %(repositories)s and %(releases)s, opened %(datasets)s "
            "under open licences and reached %(users)s."
        )
        % {
            "repositories": repositories_text(period["repositories"]),
            "releases": counted(
                ngettext("%(count)s release", "%(count)s releases", period["releases"]),
                period["releases"],
            ),
            "datasets": datasets_text(period["datasets"]),
            "users": counted(
                ngettext("%(count)s user", "%(count)s users", period["users_reached"]),
                period["users_reached"],
            ),
        }
    ]
    if cases:
        named = "; ".join(
            _("%(body)s – %(kind)s: %(title)s") % {"body": c.body, "kind": c.kind, "title": c.title}
            for c in cases[:CASES_NAMED]
        )
        sentences.append(
            ngettext(
                "%(count)s public body works with the projects, for example: %(named)s.",
                "%(count)s public bodies work with the projects, for example: %(named)s.",
                period["public_bodies"],
            )
            % {"count": format_count(period["public_bodies"]), "named": named}
        )
    else:
        sentences.append(_("No public body reported working with a project in this period."))
    return Paragraph(_("What it delivered"), " ".join(sentences))


def late(period: dict, delays: Table, today) -> Paragraph:
    sentences = [milestones_sentence(period, today)]
    explained = [row for row in delays.rows if row[-1] != _("No reason given.")]
    if explained:
        reasons = "; ".join(
            _("%(project)s (%(reference)s): %(reason)s")
            % {"project": row[1], "reference": row[0], "reason": row[-1]}
            for row in explained[:REASONS_NAMED]
        )
        sentences.append(_("Reasons given: %(reasons)s") % {"reasons": reasons})
    return Paragraph(_("What is late and why"), " ".join(sentences))


def changed(now: dict, before: dict, compared) -> Paragraph:
    current, previous = compared
    parts = []
    for name in CHANGES_NAMED:
        new, old = value_of(name, now[name]), value_of(name, before[name])
        kind = "euro" if name in ("committed", "disbursed") else "count"
        parts.append(
            _("%(figure)s %(new)s (before: %(old)s, %(change)s)")
            % {
                "figure": label(name),
                "new": format_cell(new, kind),
                "old": format_cell(old, kind),
                "change": str(Change(new - old, kind)),
            }
        )
    text = _("%(current)s against %(previous)s: %(changes)s.") % {
        "current": span_text(current.start, current.end),
        "previous": span_text(previous.start, previous.end),
        "changes": "; ".join(parts),
    }
    return Paragraph(_("What changed since the period before"), text)


def planned(plan_table: Table) -> Paragraph:
    budget = sum((row[1] for row in plan_table.rows), start=0)
    committed = sum((row[2] for row in plan_table.rows), start=0)
    disbursed = sum((row[4] for row in plan_table.rows), start=0)
    if not budget:
        return Paragraph(_("Plan against actual"), _("No call of this selection has a budget."))
    text = _(
        "Of the budgets of %(budget)s, %(committed)s (%(share)s) are committed and "
        "%(disbursed)s paid, up to the end of the period."
    ) % {
        "budget": euro(budget),
        "committed": euro(committed),
        "share": format_percent(float(committed / budget)),
        "disbursed": euro(disbursed),
    }
    return Paragraph(_("Plan against actual"), text)


def against_targets(targets: Table) -> Paragraph | None:
    if not targets.rows:
        return None
    reached = sum(1 for row in targets.rows if row[-1] is not None and row[-1] >= 1)
    text = ngettext(
        "%(reached)s of %(count)s target set by the fund's staff is reached.",
        "%(reached)s of %(count)s targets set by the fund's staff are reached.",
        len(targets.rows),
    ) % {"reached": format_count(reached), "count": format_count(len(targets.rows))}
    return Paragraph(_("Targets"), text)
