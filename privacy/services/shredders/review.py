"""Reviews: what jurors and staff wrote about proposals. Scores stay (the call's selection
record counts them); the comments, notes on conflicts of interest (and why the system
suggested them), reasons for moves across the funding line and the staff's comments become
the marker, and so do the log entries that carry them and the titles and reasons kept in
the funding lines' rankings and the calls' selection records. The jury's discussion goes
with the proposal (every comment, the rapporteur's summary) and with a juror's reviews
(what that juror wrote in the discussion of the same applications)."""

from django.db.models import Q

from grants.models import (
    Application,
    ChangeRequest,
    FinalReport,
    Grant,
    InternalComment,
    MilestoneReport,
)
from privacy.kinds import DataKind
from privacy.services.shredders.base import MARK, json_map, mark, redact_log
from review import events as review_events
from review.models import (
    Assignment,
    ConflictOfInterest,
    DiscussionComment,
    DiscussionSummary,
    FundingLine,
    FundingLineMove,
    Jury,
    Review,
    Score,
    SelectionRecord,
)
from workflow.audit import redact_entries
from workflow.models import TransitionLog

# Log entries on a jury or a funding line that name an application by its reference.
ABOUT_AN_APPLICATION = (
    review_events.CONFLICT_DECLARED,
    review_events.CONFLICT_DISMISSED,
    review_events.LINE_MOVED,
)


class ReviewShredder:
    kind = DataKind.REVIEW

    def shred(self, scope, *, actor=None) -> int:
        changed = 0
        if scope.applications:
            changed += self._of_applications(scope.applications)
        if scope.reviews:
            changed += self._reviews(Review.objects.filter(pk__in=scope.reviews))
        if scope.conflicts:
            conflicts = ConflictOfInterest.objects.filter(pk__in=scope.conflicts)
            changed += self._conflicts(conflicts)
        return changed

    def _of_applications(self, ids) -> int:
        applications = Application.objects.filter(pk__in=ids)
        grants = Grant.objects.filter(application__in=ids)
        changed = mark(applications, "screening_note", "decision_feedback")
        changed += mark(InternalComment.objects.filter(application__in=ids), "body")
        changed += mark(grants, "termination_reason")
        changed += mark(ChangeRequest.objects.filter(grant__in=grants), "decision_note")
        changed += mark(
            MilestoneReport.objects.filter(milestone__grant__in=grants), "review_comment"
        )
        changed += mark(FinalReport.objects.filter(grant__in=grants), "review_comment")
        changed += mark(
            Assignment.objects.filter(application__in=ids).exclude(release_reason=""),
            "release_reason",
        )
        changed += mark(FundingLineMove.objects.filter(application__in=ids), "reason")
        changed += self._reviews(Review.objects.filter(assignment__application__in=ids))
        changed += _discussion(
            DiscussionComment.objects.filter(application__in=ids),
            DiscussionSummary.objects.filter(application__in=ids),
        )
        changed += self._conflicts(ConflictOfInterest.objects.filter(application__in=ids))
        references = list(applications.values_list("reference", flat=True))
        changed += redact_entries(self._entries_naming(references))
        changed += self._snapshots(set(ids), set(references))
        return changed

    def _snapshots(self, ids, references) -> int:
        """The titles and reasons of these applications in the rankings funding lines were
        drawn on and in their calls' selection records; ranks, scores and amounts stay."""
        calls = Application.objects.filter(pk__in=ids).values("call_id")
        changed = json_map(
            FundingLine.objects.filter(call__in=calls), "ranking", lambda rows: _erased(rows, ids)
        )
        records = SelectionRecord.objects.filter(call__in=calls)
        changed += json_map(records, "ranking", lambda ranking: _ranking(ranking, ids))
        changed += json_map(
            records, "decisions", lambda rows: _erased(rows, ids, "title", "reason")
        )
        changed += json_map(records, "lines", lambda lines: _lines(lines, ids, references))
        return changed

    def _reviews(self, reviews) -> int:
        changed = mark(reviews, "comment_for_staff", "comment_for_applicant")
        changed += mark(Score.objects.filter(review__in=reviews), "comment")
        changed += redact_log((Review, list(reviews.values_list("pk", flat=True))))
        changed += self._discussion_by_jurors(reviews)
        return changed

    def _discussion_by_jurors(self, reviews) -> int:
        """What the reviews' jurors wrote in the discussion of the same applications."""
        pairs = Q(pk__in=[])
        summaries = Q(pk__in=[])
        for juror, application in reviews.values_list(
            "assignment__juror_id", "assignment__application_id"
        ):
            pairs |= Q(author_id=juror, application_id=application)
            summaries |= Q(rapporteur_id=juror, application_id=application)
        return _discussion(
            DiscussionComment.objects.filter(pairs), DiscussionSummary.objects.filter(summaries)
        )

    def _conflicts(self, conflicts) -> int:
        changed = mark(conflicts, "note")
        changed += conflicts.exclude(reasons={}).update(reasons={})
        pairs = conflicts.values_list("juror_id", "application__reference")
        entries = TransitionLog.objects.none()
        for juror, reference in pairs:
            entries |= self._entries_naming([reference]).filter(
                Q(actor_id=juror) | Q(action=review_events.CONFLICT_DISMISSED)
            )
        changed += redact_entries(entries)
        return changed

    def _entries_naming(self, references):
        """Entries on juries and funding lines about the given applications."""
        return TransitionLog.objects.filter(
            content_type__app_label="review",
            content_type__model__in=(Jury._meta.model_name, FundingLine._meta.model_name),
            action__in=ABOUT_AN_APPLICATION,
            data__application__in=list(references),
        )


def _discussion(comments, summaries) -> int:
    """Comments and summaries become the marker, with their log entries' notes."""
    changed = mark(comments, "body") + mark(summaries, "text")
    changed += redact_log(
        (DiscussionComment, list(comments.values_list("pk", flat=True))),
        (DiscussionSummary, list(summaries.values_list("pk", flat=True))),
    )
    return changed


def _erased(rows, ids, *keys, match="id"):
    """``rows`` with the texts under ``keys`` (the title by default) of the rows whose
    ``match`` is in ``ids`` replaced by the marker."""
    keys = keys or ("title",)
    return [
        row | {key: MARK for key in keys if row.get(key)} if row.get(match) in ids else row
        for row in rows
    ]


def _ranking(ranking, ids):
    parts = {
        part: _erased(ranking[part], ids) for part in ("rows", "unreviewed") if part in ranking
    }
    return ranking | parts


def _lines(lines, ids, references):
    erased = {}
    for key, line in lines.items():
        erased[key] = dict(line)
        if "rows" in line:
            erased[key]["rows"] = _erased(line["rows"], ids)
        if "moves" in line:
            erased[key]["moves"] = _erased(line["moves"], references, "reason", match="reference")
    return erased
