"""Proposal content: what applicants and grantees wrote and uploaded. Drafts never
submitted are deleted; submitted proposals (and, for funded ones, their grant's reports and
changes) keep their row, state, dates, amounts and counts, while their texts become the
marker and their files leave the storage."""

from collections import Counter

from django.utils import timezone

from grants.models import (
    Answer,
    Application,
    Attachment,
    Call,
    ChangeRequest,
    FinalReport,
    GovernmentCollaboration,
    Grant,
    InformationRequest,
    InternalComment,
    Message,
    Milestone,
    MilestoneReport,
    PlannedMilestone,
    ProofOfUse,
    ReportLink,
    StatementLine,
)
from grants.states import WORD_LIMITS
from privacy.events import DRAFTS_DELETED
from privacy.kinds import DataKind
from privacy.queries import never_submitted
from privacy.services.shredders.bank import delete_agreement_files
from privacy.services.shredders.base import MARK, clear, delete_files, json_map, mark, redact_log
from reporting.models import ArchivedReport
from workflow.audit import log_event

TEXTS = ("title", *WORD_LIMITS)
# A link's address is replaced by one that keeps the count: the same address reported twice
# for a project stays one address (reporting counts repositories once per project).
LINK_STAND_IN = "https://anonymised.invalid/{grant}/{number}"


class ProposalShredder:
    kind = DataKind.PROPOSAL

    def shred(self, scope, *, actor=None) -> int:
        return self._delete_drafts(scope.drafts, actor) + self._anonymise(scope.applications)

    def _delete_drafts(self, ids, actor) -> int:
        drafts = never_submitted(Application.objects.filter(pk__in=ids))
        per_call = Counter(drafts.values_list("call_id", flat=True))
        ids = list(drafts.values_list("pk", flat=True))
        if not ids:
            return 0
        attachments = Attachment.objects.filter(application__in=ids)
        files = list(attachments.values_list("stored_name", flat=True))
        redact_log((Application, ids))  # counted with the drafts
        # Rows that protect the application from deletion (none is expected on a draft).
        for model in (Answer, Attachment, Message, InformationRequest, InternalComment):
            model.objects.filter(application__in=ids).delete()
        deleted = len(ids)
        drafts.delete()  # team members and planned milestones go with it (CASCADE)
        delete_files(files)
        for call in Call.objects.filter(pk__in=per_call):
            log_event(
                subject=call, action=DRAFTS_DELETED, actor=actor, data={"count": per_call[call.pk]}
            )
        return deleted

    def _anonymise(self, ids) -> int:
        if not ids:
            return 0
        applications = Application.objects.filter(pk__in=ids)
        grants = Grant.objects.filter(application__in=ids)
        milestones = Milestone.objects.filter(grant__in=grants)
        reports = MilestoneReport.objects.filter(milestone__in=milestones)
        finals = FinalReport.objects.filter(grant__in=grants)
        changes = ChangeRequest.objects.filter(grant__in=grants)
        requests = InformationRequest.objects.filter(application__in=ids)
        changed = mark(applications, *TEXTS) + clear(
            applications.exclude(repository_url=""), repository_url=""
        )
        # The answers to the call's questions: texts become the marker, the rest is cleared.
        answers = Answer.objects.filter(application__in=ids)
        changed += mark(answers, "text") + clear(
            answers.exclude(choices=[], number=None, date=None, boolean=None),
            choices=[],
            number=None,
            date=None,
            boolean=None,
        )
        changed += mark(
            PlannedMilestone.objects.filter(application__in=ids), "title", "deliverable"
        )
        changed += mark(requests, "question", "answer")
        changed += mark(Message.objects.filter(application__in=ids), "body")
        changed += mark(milestones, "title", "deliverable")
        changed += mark(reports, "delivered", "problems")
        changed += mark(GovernmentCollaboration.objects.filter(report__in=reports), "description")
        changed += mark(finals, "summary", "contribution", "next_steps")
        changed += json_map(finals, "milestone_results", _results_without_text)
        changed += json_map(finals, "public_links", lambda links: [MARK for _link in links])
        changed += mark(changes, "reason")
        changed += self._proofs_of_use(finals)
        changed += delete_agreement_files(grants)
        changed += self._links(reports)
        changed += self._files(Attachment.objects.filter(application__in=ids))
        changed += self._archived_reports(grants)
        changed += redact_log(
            (Application, ids),
            (Grant, list(grants.values_list("pk", flat=True))),
            (Milestone, list(milestones.values_list("pk", flat=True))),
            (ChangeRequest, list(changes.values_list("pk", flat=True))),
            (FinalReport, list(finals.values_list("pk", flat=True))),
        )
        return changed

    def _proofs_of_use(self, finals) -> int:
        proofs = ProofOfUse.objects.filter(final_report__in=finals)
        lines = StatementLine.objects.filter(proof__in=proofs)
        changed = mark(lines, "name", "role", "payee", "purpose", "query", "answer")
        changed += json_map(
            proofs, "variance_reasons", lambda reasons: dict.fromkeys(reasons, MARK)
        )
        archived = proofs.exclude(stored_name="")
        files = list(archived.values_list("stored_name", flat=True))
        changed += archived.update(stored_name="")
        delete_files(files)
        return changed + redact_log((StatementLine, list(lines.values_list("pk", flat=True))))

    def _links(self, reports) -> int:
        """Each distinct address of a project becomes a stand-in numbered within it."""
        changed = 0
        numbers: dict[tuple[int, str], int] = {}
        rows = ReportLink.objects.filter(report__in=reports).order_by("pk")
        for pk, url, grant in rows.values_list("pk", "url", "report__milestone__grant_id"):
            if url.startswith(LINK_STAND_IN.split("{")[0]):
                continue
            key = (grant, url.strip().rstrip("/"))
            number = numbers.setdefault(key, len([k for k in numbers if k[0] == grant]) + 1)
            ReportLink.objects.filter(pk=pk).update(
                url=LINK_STAND_IN.format(grant=grant, number=number)
            )
            changed += 1
        return changed

    def _files(self, attachments) -> int:
        files = list(attachments.exclude(original_name=MARK).values_list("stored_name", flat=True))
        changed = mark(attachments, "original_name")
        attachments.filter(purged_at__isnull=True).update(purged_at=timezone.now())
        delete_files(files)
        return changed

    def _archived_reports(self, grants) -> int:
        """Reports to the ministry that name one of these projects lose their file (the
        record of the report, with its checksum, stays)."""
        reports = ArchivedReport.objects.filter(named_grants__in=grants).exclude(stored_name="")
        files = list(reports.values_list("stored_name", flat=True).distinct())
        changed = ArchivedReport.objects.filter(stored_name__in=files).update(stored_name="")
        delete_files(files)
        return changed


def _results_without_text(results):
    return [
        {**result, "explanation": MARK} if result.get("explanation") else result
        for result in results or []
    ]
