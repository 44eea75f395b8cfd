"""The end of a grant: the final report is due when the last milestone is accepted or the
funding period has ended; the grantee writes it, staff accept it (the application is
completed) or ask for changes. Staff may terminate a grant with a reason instead."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import may
from core.errors import WorkflowError
from grants.contracts.services.finance import lock_grant
from grants.contracts.services.proof import (
    archive_proof_of_use,
    statement_gaps,
    unchecked_lines,
    write_statement,
)
from grants.models import Application, ChangeRequest, FinalReport, Grant
from grants.states import (
    ApplicationState,
    ChangeRequestState,
    MilestoneState,
    MilestoneStateGroup,
)
from workflow.notifications import notify
from workflow.transitions import fire_transition

TEXT_LIMIT = 20_000
LINKS_MAX = 20
FINAL_TEXT_FIELDS = ("summary", "contribution", "next_steps")


def request_final_report(*, grant: Grant, actor) -> FinalReport:
    """Move the application to final_report_due and open the final report for writing.
    ``actor`` is staff (last milestone accepted) or None (the daily command, end date)."""
    application = Application.objects.select_for_update().get(pk=grant.application_id)
    fire_transition(
        subject=application,
        transition_name="request_final_report",
        actor=actor,
        expected_state=ApplicationState.FUNDED,
    )
    grant.application = application
    final_report, _created = FinalReport.objects.get_or_create(grant=grant)
    notify(
        to=application.owner,
        template="grant_notice",
        context={"kind": "final_report_requested", "grant": grant},
    )
    return final_report


def request_due_final_reports(*, today: dt.date | None = None) -> int:
    """The daily step: funded grants whose period has ended now owe their final report."""
    today = today or timezone.localdate()
    count = 0
    due = Grant.objects.filter(application__state=ApplicationState.FUNDED, ends_on__lt=today)
    for grant_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            grant = lock_grant(grant_id)
            if grant.application.state == ApplicationState.FUNDED:
                request_final_report(grant=grant, actor=None)
                count += 1
    return count


def _clean_results(grant: Grant, results: list[dict]) -> list[dict]:
    known = {m.pk for m in grant.milestones.all()}
    return [
        {
            "milestone": int(item["milestone"]),
            "achieved": bool(item.get("achieved")),
            "explanation": str(item.get("explanation") or "")[:TEXT_LIMIT],
        }
        for item in results
        if int(item["milestone"]) in known
    ]


def save_final_report(
    *,
    grant: Grant,
    actor,
    fields: dict,
    milestone_results: list[dict],
    public_links: list[str],
    statement: dict | None = None,
    submit: bool = False,
) -> FinalReport:
    """Save the final report as typed; with ``submit``, hand it in (a summary and a result
    for every milestone are needed). A refused submission keeps what was saved: the view
    saves first, then submits."""
    errors = {}
    for name in FINAL_TEXT_FIELDS:
        if len(fields.get(name) or "") > TEXT_LIMIT:
            errors[name] = [_("At most %(count)s characters.") % {"count": TEXT_LIMIT}]
    links = [link.strip() for link in public_links if link.strip()]
    if len(links) > LINKS_MAX or any(
        not link.lower().startswith(("https://", "http://")) for link in links
    ):
        errors["public_links"] = [
            _("Up to %(count)s links, each starting with https:// or http://.")
            % {"count": LINKS_MAX}
        ]
    amount = fields.get("follow_up_funding")
    if amount is not None and not 0 <= amount < 10**9:
        errors["follow_up_funding"] = [_("Enter an amount between 0 and 999,999,999 €.")]
    if errors:
        raise WorkflowError(
            _("The final report was not saved: please correct the marked fields."),
            field_errors=errors,
        )
    with transaction.atomic():
        current = lock_grant(grant.pk)
        report = FinalReport.objects.select_for_update().get(grant=current)
        report.grant = current
        if not may(actor, "grants.write_final_report", report):
            raise WorkflowError(_("The final report cannot be changed now."))
        for name in FINAL_TEXT_FIELDS:
            setattr(report, name, fields.get(name) or "")
        report.follow_up_funding = amount
        report.follow_up_funder = (fields.get("follow_up_funder") or "")[:200]
        report.milestone_results = _clean_results(current, milestone_results)
        report.public_links = links
        report.save()
        if statement is not None:
            write_statement(report=report, **statement)
    if submit:
        with transaction.atomic():
            current = lock_grant(grant.pk)
            report = FinalReport.objects.select_for_update().get(grant=current)
            report.grant = current
            missing = {}
            if not report.summary.strip():
                missing["summary"] = [_("This field is required.")]
            if (
                len(report.milestone_results)
                < current.milestones.exclude(state=MilestoneState.CANCELLED).count()
            ):
                missing["milestone_results"] = [_("Give the result of every milestone.")]
            missing |= statement_gaps(report)
            if missing:
                raise WorkflowError(
                    _("Your final report is saved, but not complete yet."), field_errors=missing
                )
            fire_transition(subject=report, transition_name="submit", actor=actor)
    return report


def review_final_report(
    *, grant: Grant, actor, accept: bool, comment: str, expected_state: str
) -> FinalReport:
    comment = comment.strip()[:TEXT_LIMIT]
    if not accept and not comment:
        raise WorkflowError(
            _("Say what should be changed."),
            field_errors={"comment": [_("This field is required.")]},
        )
    with transaction.atomic():
        current = lock_grant(grant.pk)
        report = FinalReport.objects.select_for_update().get(grant=current)
        report.grant = current
        fire_transition(
            subject=report,
            transition_name="accept" if accept else "request_changes",
            actor=actor,
            expected_state=expected_state,
            note=comment,
        )
        report.review_comment = comment
        report.save(update_fields=["review_comment"])
        if accept:
            if unchecked_lines(report):
                raise WorkflowError(
                    _("Check every line of the proof of use first: accept it or query it.")
                )
            archive_proof_of_use(report=report, actor=actor)
        application = (
            Application.objects.select_for_update()
            .select_related("owner")
            .get(pk=current.application_id)
        )
        if accept:
            fire_transition(
                subject=application,
                transition_name="complete_final_report",
                actor=actor,
                expected_state=ApplicationState.FINAL_REPORT_DUE,
            )
        notify(
            to=application.owner,
            template="grant_notice",
            context={
                "kind": "final_report_accepted" if accept else "final_report_changes_requested",
                "grant": current,
                "note": comment,
            },
        )
    return report


def terminate_grant(*, grant: Grant, actor, reason: str, expected_state: str) -> Grant:
    """End a grant early: its milestones without an accepted report are cancelled (what has
    been released is still paid), a pending change request is refused, and the rest of the
    award returns to the call (Call.committed_amount)."""
    reason = reason.strip()
    if not reason:
        raise WorkflowError(
            _("Give the reason for the termination."),
            field_errors={"reason": [_("This field is required.")]},
        )
    if len(reason) > TEXT_LIMIT:
        raise WorkflowError(
            _("The reason is too long."),
            field_errors={"reason": [_("At most %(count)s characters.") % {"count": TEXT_LIMIT}]},
        )
    with transaction.atomic():
        current = lock_grant(grant.pk)
        application = (
            Application.objects.select_for_update()
            .select_related("owner")
            .get(pk=current.application_id)
        )
        fire_transition(
            subject=application,
            transition_name="terminate",
            actor=actor,
            expected_state=expected_state,
            note=reason,
        )
        for milestone in current.milestones.filter(state__in=MilestoneStateGroup.CANCELLABLE):
            milestone.grant = current
            fire_transition(subject=milestone, transition_name="cancel", actor=actor, note=reason)
        for change in ChangeRequest.objects.filter(grant=current, state=ChangeRequestState.PENDING):
            change.grant = current
            fire_transition(subject=change, transition_name="refuse", actor=actor, note=reason)
        current.termination_reason = reason
        current.save(update_fields=["termination_reason"])
        notify(
            to=application.owner,
            template="grant_notice",
            context={"kind": "grant_terminated", "grant": current, "note": reason},
        )
    return current
