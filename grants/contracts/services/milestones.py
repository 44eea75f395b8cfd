"""Milestone reports: the grantee writes a report (saved as a draft, with links, evidence
files and outcome indicators) and submits it; staff accept it, which releases the payment,
or ask for changes, and the grantee submits the next version."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import may
from core.errors import StaleObjectError, WorkflowError
from grants import events
from grants.contracts.models.reports import INDICATOR_FIELDS
from grants.contracts.services.finance import lock_grant, release_payment
from grants.models import (
    Attachment,
    GovernmentCollaboration,
    Milestone,
    MilestoneReport,
    ReportLink,
)
from grants.services.attachments import check_file_count, store_upload
from grants.states import (
    LICENSED_LINK_KINDS,
    ApplicationState,
    MilestoneState,
    MilestoneStateGroup,
)
from workflow.audit import log_event
from workflow.notifications import notify
from workflow.transitions import fire_transition, stale_message

TEXT_LIMIT = 20_000
LINKS_MAX = 20
COLLABORATIONS_MAX = 20
REPORT_FIELDS = ("delivered", "problems", *INDICATOR_FIELDS)


def _locked_milestone(milestone) -> Milestone:
    lock_grant(milestone.grant_id)
    return Milestone.objects.select_related("grant__application__owner").get(pk=milestone.pk)


def report_draft(milestone: Milestone) -> MilestoneReport | None:
    return milestone.reports.filter(submitted_at__isnull=True).first()


def _start_draft(milestone: Milestone) -> MilestoneReport:
    """The next version, starting from a copy of the last submitted one (its links and
    collaborations too); evidence files stay with the version they were submitted with."""
    previous = milestone.reports.order_by("-version").first()
    draft = MilestoneReport(milestone=milestone, version=(previous.version + 1) if previous else 1)
    if previous is not None:
        for name in REPORT_FIELDS:
            setattr(draft, name, getattr(previous, name))
    draft.save()
    if previous is not None:
        ReportLink.objects.bulk_create(
            ReportLink(report=draft, kind=link.kind, url=link.url, licence=link.licence)
            for link in previous.links.all()
        )
        GovernmentCollaboration.objects.bulk_create(
            GovernmentCollaboration(
                report=draft,
                body=item.body,
                level=item.level,
                kind=item.kind,
                description=item.description,
            )
            for item in previous.collaborations.all()
        )
    return draft


def _check_report(fields: dict, links: list[dict], collaborations: list[dict]) -> dict:
    errors: dict[str, list] = {}
    for name in ("delivered", "problems"):
        if len(fields.get(name) or "") > TEXT_LIMIT:
            errors[name] = [_("At most %(count)s characters.") % {"count": TEXT_LIMIT}]
    for name in INDICATOR_FIELDS:
        value = fields.get(name) or 0
        if not 0 <= value <= 100_000_000:
            errors[name] = [_("Enter a number between 0 and 100,000,000.")]
    if len(links) > LINKS_MAX:
        errors["links"] = [_("At most %(count)s links.") % {"count": LINKS_MAX}]
    for link in links:
        if not str(link["url"]).lower().startswith(("https://", "http://")):
            errors.setdefault("links", []).append(_("Links must start with https:// or http://."))
        if link["kind"] in LICENSED_LINK_KINDS and not link.get("licence"):
            errors.setdefault("links", []).append(
                _(
                    "Name the licence of %(url)s: code and data count as open only with an open licence."
                )
                % {"url": link["url"]}
            )
    if len(collaborations) > COLLABORATIONS_MAX:
        errors["collaborations"] = [_("At most %(count)s entries.") % {"count": COLLABORATIONS_MAX}]
    return errors


def save_milestone_report(
    *,
    milestone: Milestone,
    actor,
    draft_token: str,
    fields: dict,
    links: list[dict],
    collaborations: list[dict],
) -> MilestoneReport:
    """Save the report draft as typed. ``draft_token`` is the draft's last change
    the user saw: an edit from an older page is refused instead of overwriting newer text."""
    errors = _check_report(fields, links, collaborations)
    if errors:
        raise WorkflowError(
            _("The report was not saved: please correct the marked fields."), field_errors=errors
        )
    with transaction.atomic():
        current = _locked_milestone(milestone)
        if not may(actor, "grants.report_milestone", current) or (
            current.state not in MilestoneStateGroup.AWAITING_REPORT
        ):
            raise WorkflowError(_("This milestone cannot be reported now."))
        draft = report_draft(current) or _start_draft(current)
        if draft_token and draft_token != report_token(draft):
            raise StaleObjectError(stale_message())
        for name in REPORT_FIELDS:
            setattr(
                draft, name, fields.get(name) or ("" if name in ("delivered", "problems") else 0)
            )
        draft.save()
        draft.links.all().delete()
        ReportLink.objects.bulk_create(
            ReportLink(
                report=draft, kind=link["kind"], url=link["url"], licence=link.get("licence") or ""
            )
            for link in links
        )
        draft.collaborations.all().delete()
        GovernmentCollaboration.objects.bulk_create(
            GovernmentCollaboration(report=draft, **item) for item in collaborations
        )
    return draft


def report_token(report: MilestoneReport) -> str:
    return report.updated_at.isoformat() if report.updated_at else ""


def _submit(milestone: Milestone, draft: MilestoneReport, actor) -> None:
    if not draft.delivered.strip():
        raise WorkflowError(
            _("Describe what was delivered before you submit the report."),
            field_errors={"delivered": [_("This field is required.")]},
        )
    fire_transition(
        subject=milestone,
        transition_name="submit_report"
        if milestone.state == MilestoneState.PLANNED
        else "resubmit_report",
        actor=actor,
        data={"version": draft.version},
    )
    draft.submitted_at = timezone.now()
    draft.submitted_by = actor
    draft.save(update_fields=["submitted_at", "submitted_by", "updated_at"])


def submit_milestone_report(*, milestone, actor, draft_token, fields, links, collaborations):
    """Save, then submit in a second transaction, so that a refused submission (nothing
    delivered yet, or the milestone moved on) never loses the text just typed."""
    save_milestone_report(
        milestone=milestone,
        actor=actor,
        draft_token=draft_token,
        fields=fields,
        links=links,
        collaborations=collaborations,
    )
    return submit_report_draft(milestone=milestone, actor=actor)


def submit_report_draft(*, milestone, actor) -> MilestoneReport:
    """Hand in the saved draft (after its files were added)."""
    with transaction.atomic():
        current = _locked_milestone(milestone)
        draft = report_draft(current)
        if draft is None or current.state not in MilestoneStateGroup.AWAITING_REPORT:
            raise WorkflowError(_("This milestone cannot be reported now."))
        _submit(current, draft, actor)
    return draft


def review_milestone_report(
    *,
    milestone: Milestone,
    actor,
    accept: bool,
    comment: str,
    expected_state: str,
    early_reason: str = "",
) -> Milestone:
    """Staff accept the submitted report (its payment is released) or ask for changes (a
    comment is required). When the last milestone is accepted, the final report is due.
    Accepting before the funding period starts needs ``early_reason`` (logged and kept in
    the ledger)."""
    comment = comment.strip()
    early_reason = (early_reason or "").strip()
    if len(early_reason) > TEXT_LIMIT:
        raise WorkflowError(
            _("The reason is too long."),
            field_errors={
                "early_reason": [_("At most %(count)s characters.") % {"count": TEXT_LIMIT}]
            },
        )
    if not accept and not comment:
        raise WorkflowError(
            _("Say what should be changed."),
            field_errors={"comment": [_("This field is required.")]},
        )
    if len(comment) > TEXT_LIMIT:
        raise WorkflowError(
            _("The comment is too long."),
            field_errors={"comment": [_("At most %(count)s characters.") % {"count": TEXT_LIMIT}]},
        )
    with transaction.atomic():
        current = _locked_milestone(milestone)
        report = current.reports.filter(submitted_at__isnull=False).order_by("-version").first()
        fire_transition(
            subject=current,
            transition_name="accept" if accept else "request_changes",
            actor=actor,
            expected_state=expected_state,
            note=comment,
            data={"version": report.version if report else None},
        )
        if report is not None:
            report.reviewed_at = timezone.now()
            report.reviewed_by = actor
            report.review_outcome = current.state
            report.review_comment = comment
            report.save(
                update_fields=[
                    "reviewed_at",
                    "reviewed_by",
                    "review_outcome",
                    "review_comment",
                    "updated_at",
                ]
            )
        grant = current.grant
        if accept:
            payment = release_payment(milestone=current, actor=actor, early_reason=early_reason)
            if payment.early_reason:
                log_event(
                    subject=grant.application,
                    action=events.PAYMENT_RELEASED_EARLY,
                    actor=actor,
                    from_state=grant.application.state,
                    to_state=grant.application.state,
                    note=payment.early_reason,
                    data={"milestone": current.position, "starts_on": grant.starts_on},
                )
            _request_final_report_when_all_done(grant, actor)
        notify(
            to=grant.application.owner,
            template="grant_notice",
            context={
                "kind": "milestone_accepted" if accept else "milestone_changes_requested",
                "grant": grant,
                "milestone": current,
                "note": comment,
            },
        )
    return current


def _request_final_report_when_all_done(grant, actor) -> None:
    application = grant.application
    open_states = (*MilestoneStateGroup.AWAITING_REPORT, MilestoneState.REPORT_SUBMITTED)
    if (
        application.state == ApplicationState.FUNDED
        and not grant.milestones.filter(state__in=open_states).exists()
    ):
        from grants.contracts.services.closing import request_final_report

        request_final_report(grant=grant, actor=actor)


def add_report_attachment(*, milestone: Milestone, actor, uploaded_file) -> Attachment:
    """Evidence for the report being written, through the one upload service (the same
    checks, quota and upload limit as a proposal's files)."""

    def place():
        current = _locked_milestone(milestone)
        if not may(actor, "grants.report_milestone", current) or (
            current.state not in MilestoneStateGroup.AWAITING_REPORT
        ):
            raise WorkflowError(_("This milestone cannot be reported now."))
        draft = report_draft(current) or _start_draft(current)
        check_file_count(draft.attachments, message=_REPORT_FULL)
        return {"application": current.grant.application, "milestone_report": draft}

    return store_upload(actor=actor, uploaded_file=uploaded_file, place=place)


_REPORT_FULL = gettext_lazy("A report may have at most %(count)s files. Remove one first.")


def remove_report_attachment(*, attachment: Attachment, actor) -> Attachment:
    """Remove a file from the report draft (hidden, not deleted). Judged under the grant's
    lock on the rows as they are: the caller's copy may predate the report's submission."""
    with transaction.atomic():
        current = _locked_milestone(attachment.milestone_report.milestone)
        still_in_a_draft = Attachment.objects.filter(
            pk=attachment.pk, removed_at__isnull=True, milestone_report__submitted_at__isnull=True
        )
        removed_at = timezone.now()
        if not may(actor, "grants.report_milestone", current) or not still_in_a_draft.update(
            removed_at=removed_at
        ):
            raise WorkflowError(_("This file can no longer be removed."))
    attachment.removed_at = removed_at
    return attachment
