"""The selection record of a decided call as a tagged PDF (PDF/UA-1), in German or English
(the *Auswahlprotokoll*): the jury, the conflicts declared (counts by kind, and where each
juror abstained), the method, the ranking with its intervals, the minutes of the jury's
discussion (each application's rapporteur, summary and number of comments; the comments
themselves stay with the jury), the funding lines with grey zone, moves and lottery, every
decision with its reason, and the deviations from the line.

Made from review.models.SelectionRecord, which keeps everything as it was at decision time,
so the same record gives the same bytes (the PDF's date is the record's): its SHA-256 in
the log identifies the document. The minutes are read from the discussion itself, which
nobody changes once the jury has closed (review.rules: summaries and comments are written
only in the discussion phase)."""

from collections import Counter, defaultdict

from django.template.loader import render_to_string
from django.utils import translation

from core.pdf import render_pdf
from grants.models import Application
from review.models import ConflictOfInterest, JuryMember
from review.queries import discussion_minutes
from review.states import ConflictKind, ConflictStatus

# Conflicts that kept a juror away from an application (a dismissed suggestion did not).
ABSTAINING = (ConflictStatus.DECLARED, ConflictStatus.HARD)


def _jury_and_conflicts(call) -> dict:
    members = sorted(
        member.user.full_name
        for member in JuryMember.objects.filter(jury__call=call, user__isnull=False).select_related(
            "user"
        )
    )
    conflicts = list(
        ConflictOfInterest.objects.filter(application__call=call, status__in=ABSTAINING)
        .select_related("juror", "application")
        .only("kind", "status", "juror__full_name", "application__reference", "application__state")
    )
    kinds = Counter(
        ConflictKind(conflict.kind).label if conflict.kind else str(ConflictStatus.HARD.label)
        for conflict in conflicts
    )
    abstained = defaultdict(list)
    for conflict in conflicts:
        abstained[conflict.juror.full_name].append(conflict.application.reference)
    return {
        "members": members,
        "conflict_count": len(conflicts),
        "conflict_kinds": sorted(kinds.items()),
        "abstained": sorted((name, sorted(refs)) for name, refs in abstained.items()),
    }


def minutes(record) -> list[dict]:
    """Each discussed application (a summary or a comment), in the order of the record's
    ranking, then by reference; named as the record names it."""
    discussed = discussion_minutes(record.call)
    rows = [*record.ranking.get("rows", []), *record.ranking.get("unreviewed", [])]
    named = {row["id"]: row for row in rows if "id" in row}
    missing = [pk for pk in discussed if pk not in named]
    if missing:  # not in the record's ranking (withdrawn before it was taken)
        named |= {
            row["id"]: row
            for row in Application.objects.filter(pk__in=missing).values("id", "reference", "title")
        }
    order = {row["id"]: index for index, row in enumerate(rows) if "id" in row}
    ranked = sorted(discussed, key=lambda pk: (order.get(pk, len(order)), named[pk]["reference"]))
    return [
        {"reference": named[pk]["reference"], "title": named[pk]["title"], **discussed[pk]}
        for pk in ranked
    ]


def deviations(record) -> list[dict]:
    """Where the selection departed from the ranking's line, with the reasons: applications
    moved across a line by hand, and decisions that do not follow the line."""
    moved = [
        {"reference": move["reference"], "what": move["direction"], "kind": "move",
         "reason": move["reason"], "actor": move["actor"], "at": move["at"]}
        for snapshot in record.lines.values()
        for move in snapshot.get("moves", [])
    ]  # fmt: skip
    decided = [
        {"reference": item["reference"], "what": item["decision"], "kind": "decision",
         "reason": item["reason"], "actor": item["actor"], "at": item["at"]}
        for item in record.decisions
        if item.get("follows_line") is False
    ]  # fmt: skip
    return moved + decided


def selection_record_html(record, language: str) -> str:
    call = record.call
    with translation.override(language):
        return render_to_string(
            "reporting/pdf/selection_record.html",
            {
                "record": record,
                "call": call,
                "fund_name": call.fund.name,
                "language": language,
                "deviations": deviations(record),
                "minutes": minutes(record),
                **_jury_and_conflicts(call),
            },
        )


def selection_record_pdf(record, language: str) -> bytes:
    return render_pdf(selection_record_html(record, language)).content
