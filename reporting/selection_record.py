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
from django.utils.translation import gettext as _

from core.pdf import render_pdf
from grants.models import Application
from grants.states import ApplicationStateGroup
from review.discussion_queries import discussion_minutes
from review.models import ConflictOfInterest, JuryMember
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


def selection_record_html(record, language: str, *, for_ministry: bool = False) -> str:
    call = record.call
    with translation.override(language):
        parts = (
            MinistryVersion(record).parts()
            if for_ministry
            else {
                "ranking": record.ranking,
                "lines": record.lines,
                "decisions": record.decisions,
                "deviations": deviations(record),
                "minutes": minutes(record),
                **_jury_and_conflicts(call),
            }
        )
        return render_to_string(
            "reporting/pdf/selection_record.html",
            {
                "record": record,
                "call": call,
                "fund_name": call.fund.name,
                "language": language,
                "ministry": for_ministry,
                **parts,
            },
        )


def selection_record_pdf(record, language: str, *, for_ministry: bool = False) -> bytes:
    return render_pdf(selection_record_html(record, language, for_ministry=for_ministry)).content


class MinistryVersion:
    """The record as the ministry reads it: its purpose covers funded projects only
    (DESIGN.md, and the privacy inventory), so only applications funded now (a signed
    agreement: grants.states FUNDED_ONWARDS) are named; every other one is an anonymous row
    with its rank, interval and decision, without reference, title, amount or reason. No
    scores, no minutes, no names of people (jurors are counted, staff are "programme
    staff"). Call inside the language the record is rendered in."""

    def __init__(self, record):
        self.record = record
        ids = {row["id"] for row in record.ranking.get("rows", []) if "id" in row}
        ids |= {item["id"] for item in record.decisions if "id" in item}
        self.funded = set(
            Application.objects.filter(
                pk__in=ids, state__in=ApplicationStateGroup.FUNDED_ONWARDS
            ).values_list("reference", flat=True)
        )
        self.unnamed = _("not funded, not named")
        self.staff = _("programme staff")

    def named(self, reference):
        return reference if reference in self.funded else self.unnamed

    def row(self, row, *keys):
        """A row of a ranking or line: all of it if funded, else only ``keys``."""
        if row.get("reference") in self.funded:
            return row
        return {key: row.get(key) for key in keys} | {"reference": self.unnamed, "title": ""}

    def parts(self) -> dict:
        record = self.record
        last_decision = {item.get("reference"): item["decision"] for item in record.decisions}
        ranking = dict(record.ranking)
        ranking["rows"] = [
            self.row(row, "rank", "low", "high", "expected_rank")
            | {"decision": last_decision.get(row.get("reference"))}
            for row in record.ranking.get("rows", [])
        ]
        conflicts = _jury_and_conflicts(record.call)
        return {
            "ranking": ranking,
            "lines": {key: self.line(line) for key, line in record.lines.items()},
            "decisions": [
                self.row(item, "decision", "line_status", "follows_line", "at")
                | {"actor": self.staff}
                for item in record.decisions
            ],
            "deviations": [
                self.row(item, "what", "kind", "at") | {"actor": self.staff}
                for item in deviations(record)
            ],
            "minutes": [],
            "member_count": len(conflicts["members"]),
            "conflict_count": conflicts["conflict_count"],
            "conflict_kinds": conflicts["conflict_kinds"],
        }

    def line(self, line) -> dict:
        named = self.named
        lottery = line.get("lottery")
        if lottery:
            lottery = lottery | {
                "winners": [named(reference) for reference in lottery.get("winners", [])],
                "order": [
                    entry | {"reference": named(entry["reference"])}
                    for entry in lottery.get("order", [])
                ],
            }
        return line | {
            "drawn_by": self.staff,
            "first_out": named(line["first_out"]) if line.get("first_out") else None,
            "grey_zone": [named(reference) for reference in line.get("grey_zone", [])],
            "fits_remaining": [named(reference) for reference in line.get("fits_remaining", [])],
            "rows": [
                self.row(row, "rank", "low", "high", "status", "grey")
                for row in line.get("rows", [])
            ],
            "moves": [
                self.row(move, "direction", "at") | {"actor": self.staff}
                for move in line.get("moves", [])
            ],
            "lottery": lottery,
        }
