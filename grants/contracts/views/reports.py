"""Pages where grantees report: milestone reports with their files, change requests, the
final report with its statement of expenditure. Thin: check, call a service, render."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import (
    get_permitted_object_or_404,
    may,
    role_required,
)
from accounts.roles import Role
from core.views import run_service
from grants.contracts import queries
from grants.contracts.forms import (
    ChangeRequestForm,
    CollaborationFormSet,
    FinalReportForm,
    MilestoneReportForm,
    ReportLinkFormSet,
    filled,
)
from grants.contracts.models.reports import INDICATOR_FIELDS
from grants.contracts.services.changes import request_change
from grants.contracts.services.closing import save_final_report
from grants.contracts.services.milestones import (
    add_report_attachment,
    remove_report_attachment,
    report_draft,
    report_token,
    save_milestone_report,
    submit_report_draft,
)
from grants.contracts.services.proof import (
    add_receipt_file,
    answer_statement_query,
    statement_of,
)
from grants.contracts.statement_forms import (
    LineAnswerForm,
    PersonFormSet,
    ReceiptFormSet,
    StatementForm,
    statement_initial,
    statement_input,
)
from grants.contracts.views.grantee import grantee_gate, own_grant
from grants.models import Attachment, StatementLine
from grants.states import ApplicationState, MilestoneStateGroup, StatementLineState
from grants.views.attachments import store_each_upload


def _own_milestone(request, pk):
    milestone = get_permitted_object_or_404(
        request.user,
        "grants.view_own_grant",
        queries.milestones_with_reports().select_related("grant__application__call"),
        pk=pk,
    )
    return milestone


def _report_forms(request, milestone, draft):
    source = draft or next(reversed(milestone.reports.all()), None)
    if request.method == "POST":
        return (
            MilestoneReportForm(request.POST),
            ReportLinkFormSet(request.POST, prefix="links"),
            CollaborationFormSet(request.POST, prefix="collaborations"),
        )
    initial = {"draft_token": report_token(draft) if draft else ""}
    links, collaborations = [], []
    if source is not None:
        initial |= {
            name: getattr(source, name) for name in ("delivered", "problems", *INDICATOR_FIELDS)
        }
        links = [{"kind": k.kind, "url": k.url, "licence": k.licence} for k in source.links.all()]
        collaborations = [
            {"body": c.body, "level": c.level, "kind": c.kind, "description": c.description}
            for c in source.collaborations.all()
        ]
    return (
        MilestoneReportForm(initial=initial),
        ReportLinkFormSet(prefix="links", initial=links),
        CollaborationFormSet(prefix="collaborations", initial=collaborations),
    )


@role_required(Role.APPLICANT)
def milestone_report(request, pk):
    milestone = _own_milestone(request, pk)
    if gate := grantee_gate(request, milestone.grant):
        return gate
    draft = report_draft(milestone)
    editable = (
        milestone.state in MilestoneStateGroup.AWAITING_REPORT
        and milestone.grant.application.state
        in (ApplicationState.FUNDED, ApplicationState.FINAL_REPORT_DUE)
    )
    form, links, collaborations = _report_forms(request, milestone, draft)
    if request.method == "POST" and editable:
        if form.is_valid() and links.is_valid() and collaborations.is_valid():
            if response := _post_milestone_report(request, milestone, form, links, collaborations):
                return response
        else:
            messages.error(
                request, _("Your report was not saved: please correct the marked fields.")
            )
    return render(
        request,
        "grants/grantee/milestone_report.html",
        {
            "milestone": milestone,
            "grant": milestone.grant,
            "draft": draft,
            "editable": editable,
            "form": form,
            "links": links,
            "collaborations": collaborations,
            "submitted": [r for r in milestone.reports.all() if not r.is_draft][::-1],
        },
    )


def _post_milestone_report(request, milestone, form, links, collaborations):
    """Save (and hand in) the report; a redirect when done, else None (the page again)."""
    submit = "submit" in request.POST
    done = run_service(
        request,
        _save_report,
        form=form,
        success=_("Your report has been submitted. The programme staff will check it.")
        if submit
        else _("Your report has been saved as a draft."),
        request=request,
        submit=submit,
        milestone=milestone,
        draft_token=form.cleaned_data["draft_token"],
        fields=form.report_fields(),
        links=filled(links, "url"),
        collaborations=filled(collaborations, "body"),
    )
    if done.ok and submit:
        return redirect("grantee_grant", pk=milestone.grant_id)
    if done.ok:
        return redirect("grantee_milestone_report", pk=milestone.pk)
    if not done.stale:
        _refresh_token(form, milestone)
    return None


def _save_report(*, request, submit: bool, milestone, **report) -> None:
    """Saved first, files added, then handed in: a refusal keeps text and files."""
    save_milestone_report(milestone=milestone, actor=request.user, **report)
    _add_files(request, milestone)
    if submit:
        submit_report_draft(milestone=milestone, actor=request.user)


def _refresh_token(form, milestone):
    """The draft may have been saved before the refusal: the page goes on from it."""
    draft = report_draft(milestone)
    if draft is not None:
        form.data = form.data.copy()
        form.data["draft_token"] = report_token(draft)


def _add_files(request, milestone):
    store_each_upload(
        request,
        field="files",
        required=False,
        store=lambda uploaded: add_report_attachment(
            milestone=milestone, actor=request.user, uploaded_file=uploaded
        ),
    )


@require_POST
@role_required(Role.APPLICANT)
def report_attachment_remove(request, pk):
    attachment = get_object_or_404(
        Attachment.objects.select_related("milestone_report__milestone__grant__application__call"),
        pk=pk,
        milestone_report__isnull=False,
        removed_at__isnull=True,
    )
    milestone = attachment.milestone_report.milestone
    if not may(request.user, "grants.view_own_grant", milestone):
        raise Http404
    if gate := grantee_gate(request, milestone.grant):
        return gate
    run_service(request, remove_report_attachment, attachment=attachment, actor=request.user)
    return redirect("grantee_milestone_report", pk=milestone.pk)


@role_required(Role.APPLICANT)
def change_request(request, pk):
    grant = own_grant(request, pk)
    if gate := grantee_gate(request, grant):
        return gate
    open_milestones = [
        m for m in grant.milestones.all() if m.state in MilestoneStateGroup.AWAITING_REPORT
    ]
    form = ChangeRequestForm(request.POST or None, milestones=open_milestones)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_service(
            request,
            request_change,
            form=form,
            success=_("Your change request has been sent to the programme staff."),
            grant=grant,
            actor=request.user,
            kind=data["kind"],
            reason=data["reason"],
            milestone=next((m for m in open_milestones if m.pk == data["milestone"]), None),
            new_date=data["new_date"],
            new_amounts=form.new_amounts(),
        )
        if done.ok:
            return redirect("grantee_grant", pk=grant.pk)
    return render(request, "grants/grantee/change_request.html", {"grant": grant, "form": form})


def _final_report_initial(report, milestones) -> dict:
    results = {item["milestone"]: item for item in report.milestone_results}
    initial = {
        "summary": report.summary,
        "contribution": report.contribution,
        "next_steps": report.next_steps,
        "follow_up_funding": report.follow_up_funding,
        "follow_up_funder": report.follow_up_funder,
        "public_links": "\n".join(report.public_links),
    }
    for milestone in milestones:
        if milestone.pk in results:
            initial[f"achieved_{milestone.pk}"] = (
                "yes" if results[milestone.pk]["achieved"] else "no"
            )
            initial[f"explanation_{milestone.pk}"] = results[milestone.pk]["explanation"]
    return initial


@role_required(Role.APPLICANT)
def final_report(request, pk):
    """The final report with the proof of use's numerical statement, saved and handed in
    together; queried lines of a submitted statement are answered here too."""
    grant = own_grant(request, pk)
    if gate := grantee_gate(request, grant):
        return gate
    report = getattr(grant, "final_report", None)
    if report is None:
        raise Http404
    milestones = [m for m in grant.milestones.all() if m.state != "cancelled"]
    proof = queries.proof_with_lines(report)
    editable = may(request.user, "grants.write_final_report", report)
    post = request.POST if request.method == "POST" and editable else None
    form, statement, persons, receipts = _final_report_forms(report, proof, milestones, post)
    if post is not None:
        if all(f.is_valid() for f in (form, statement, persons, receipts)):
            saved = _save_final_report(request, grant, report, form, statement, persons, receipts)
            if saved.ok:
                target = "grantee_grant" if "submit" in post else "grantee_final_report"
                return redirect(target, pk=grant.pk)
        else:
            messages.error(
                request, _("Your report was not saved: please correct the marked fields.")
            )
    return render(
        request,
        "grants/grantee/final_report.html",
        {
            "grant": grant,
            "report": report,
            "form": form,
            "editable": editable,
            "proof": proof,
            "statement": statement_of(proof) if proof else None,
            "statement_form": statement,
            "persons": persons,
            "receipts": receipts,
            "answer_forms": _answer_forms(request, proof),
        },
    )


def _final_report_forms(report, proof, milestones, post):
    """The report's form, the statement's and its rows of persons and receipts."""
    statement_initial_, persons_initial, receipts_initial = statement_initial(proof)
    form = FinalReportForm(
        post, initial=_final_report_initial(report, milestones), milestones=milestones
    )
    statement = StatementForm(post, initial=statement_initial_)
    # Initial rows only for the unbound page: an extra form equal to its initial counts as
    # unchanged and would be skipped, so a resubmitted row would vanish.
    persons = PersonFormSet(post, prefix="persons", initial=None if post else persons_initial)
    receipts = ReceiptFormSet(post, prefix="receipts", initial=None if post else receipts_initial)
    return form, statement, persons, receipts


def _save_final_report(request, grant, report, form, statement, persons, receipts):
    # Files first (each through the upload service): a refused submission keeps them.
    store_each_upload(
        request,
        field="receipt_files",
        required=False,
        store=lambda uploaded: add_receipt_file(
            report=report, actor=request.user, uploaded_file=uploaded
        ),
    )
    submit = "submit" in request.POST
    return run_service(
        request,
        save_final_report,
        # A refusal's errors: on the report's fields, else on the statement.
        form=(form, statement),
        grant=grant,
        actor=request.user,
        fields=form.cleaned_data,
        milestone_results=form.milestone_results(),
        public_links=form.cleaned_data["public_links"],
        statement=statement_input(statement, persons, receipts),
        submit=submit,
        success=_("Your final report has been submitted. Thank you!")
        if submit
        else _("Your final report has been saved as a draft."),
    )


def _answer_forms(request, proof) -> dict:
    """A form for each queried line of the statement the grantee may answer."""
    return {
        line.pk: LineAnswerForm(initial={"expected_state": line.state})
        for line in (proof.lines.all() if proof else [])
        if may(request.user, "grants.answer_proof_query", line)
        and line.state == StatementLineState.QUERIED
    }


@require_POST
@role_required(Role.APPLICANT)
def statement_answer(request, pk):
    line = get_permitted_object_or_404(
        request.user,
        "grants.answer_proof_query",
        StatementLine.objects.select_related("proof__final_report__grant__application"),
        pk=pk,
    )
    form = LineAnswerForm(request.POST)
    if form.is_valid():
        run_service(
            request,
            answer_statement_query,
            line=line,
            actor=request.user,
            answer=form.cleaned_data["answer"],
            expected_state=form.cleaned_data["expected_state"],
            success=_("Your answer has been sent to the programme staff."),
        )
    else:
        messages.error(request, _("Please write your answer (at most 10,000 characters)."))
    return redirect(
        reverse("grantee_final_report", args=[line.proof.final_report.grant_id]) + "#statement"
    )
