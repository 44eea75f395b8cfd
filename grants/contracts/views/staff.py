"""Staff pages of funded projects: the portfolio, agreements, a grant with its timeline,
milestone reports, change requests, final reports, termination and the overdue list."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import get_permitted_object_or_404, role_required
from accounts.roles import Role
from core.views import run_service
from grants.contracts import queries
from grants.contracts.forms import (
    AgreementForm,
    AgreementMilestoneFormSet,
    DecisionForm,
    MilestoneReviewForm,
    PortfolioFilterForm,
    ReviewForm,
    TerminateForm,
    VersionForm,
)
from grants.contracts.services.agreements import (
    offer_agreement,
    prepare_agreement,
    update_agreement,
)
from grants.contracts.services.changes import decide_change_request
from grants.contracts.services.closing import review_final_report, terminate_grant
from grants.contracts.services.finance import releases_early
from grants.contracts.services.milestones import review_milestone_report
from grants.contracts.services.proof import check_statement_line, statement_of
from grants.contracts.statement_forms import LineCheckForm
from grants.models import Application, Call, ChangeRequest, StatementLine, Topic
from grants.presentation import log_entries
from grants.services.reminders import overdue_items
from grants.states import ApplicationState, StatementLineState
from grants.views.staff_lists import NarrowPaginator

PAGE_SIZE = 50


def _staff_grant(request, pk):
    return get_permitted_object_or_404(
        request.user, "grants.view_grant_as_staff", queries.grant_detail(pk), pk=pk
    )


@role_required(Role.STAFF)
def portfolio(request):
    form = PortfolioFilterForm(
        request.GET or None,
        calls=Call.objects.order_by("-year", "-round_number"),
        topics=Topic.objects.order_by("slug"),
    )
    filters = form.filters()
    grants = queries.portfolio(viewer=request.user, **filters)
    page = NarrowPaginator(grants, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "grants/staff/grants/portfolio.html",
        {
            "form": form,
            "filtered": any(filters.values()),
            "page": page,
            "today": timezone.localdate(),
            "to_prepare": queries.agreements_to_prepare(viewer=request.user)[:50],
            "reports": queries.reports_to_check(viewer=request.user)[:50],
            "changes": queries.change_requests_pending(viewer=request.user)[:50],
            "final_reports": queries.final_reports_to_review(viewer=request.user)[:50],
        },
    )


@role_required(Role.STAFF)
@require_POST
def agreement_prepare(request, pk):
    application = get_permitted_object_or_404(
        request.user, "grants.view_application_as_staff", Application.objects.all(), pk=pk
    )
    done = run_service(
        request,
        prepare_agreement,
        success=lambda grant: (
            _("The agreement %(reference)s has been prepared. Check the milestones, then send it.")
            % {"reference": grant.funding_reference}
        ),
        application=application,
        actor=request.user,
    )
    if not done.ok:
        return redirect("staff_portfolio")
    return redirect("staff_agreement", pk=done.result.pk)


@role_required(Role.STAFF)
def agreement(request, pk):
    grant = _staff_grant(request, pk)
    editable = grant.application.state == ApplicationState.APPROVED
    form = AgreementForm(
        request.POST or None, initial={"version": grant.version, "starts_on": grant.starts_on}
    )
    formset = AgreementMilestoneFormSet(
        request.POST or None, prefix="milestones", initial=_milestone_rows(grant)
    )
    if request.method == "POST" and editable:
        if not (form.is_valid() and formset.is_valid()):
            messages.error(
                request, _("The agreement was not saved: please correct the marked fields.")
            )
        elif _save_agreement(request, grant, form, formset):
            return redirect("staff_agreement", pk=grant.pk)
    return render(
        request,
        "grants/staff/grants/agreement.html",
        {
            "documents": queries.agreement_documents(grant),
            "grant": grant,
            "application": grant.application,
            "form": form,
            "formset": formset,
            "editable": editable,
            "offer_form": VersionForm(initial={"version": grant.version}),
        },
    )


def _milestone_rows(grant) -> list[dict]:
    return [
        {"title": m.title, "deliverable": m.deliverable, "due_on": m.due_on, "amount": m.amount}
        for m in grant.milestones.all()
    ]


def _save_agreement(request, grant, form, formset) -> bool:
    """Saved, or changed meanwhile (the page then shows the current agreement)."""
    kept = [
        f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]
    # The milestones' errors (the form has no such field) go on the whole form.
    done = run_service(
        request,
        update_agreement,
        form=form,
        success=_("The agreement has been saved."),
        grant=grant,
        actor=request.user,
        expected_version=form.cleaned_data["version"],
        starts_on=form.cleaned_data["starts_on"],
        milestones=kept,
    )
    return done.ok or done.stale


@role_required(Role.STAFF)
@require_POST
def agreement_offer(request, pk):
    grant = _staff_grant(request, pk)
    form = VersionForm(request.POST)
    if form.is_valid():
        run_service(
            request,
            offer_agreement,
            success=_("The agreement has been sent to the grantee by e-mail."),
            grant=grant,
            actor=request.user,
            expected_version=form.cleaned_data["version"],
        )
    return redirect("staff_agreement", pk=grant.pk)


@role_required(Role.STAFF)
def grant_detail(request, pk):
    grant = _staff_grant(request, pk)
    return render(
        request,
        "grants/staff/grants/detail.html",
        {
            "grant": grant,
            "application": grant.application,
            "ledger": queries.ledger(grant),
            "today": timezone.localdate(),
            "timeline": log_entries(queries.grant_timeline(grant, include_internal=True)),
            "decision_form": DecisionForm(initial={"expected_state": "pending"}),
            "can_terminate": grant.application.state
            in (ApplicationState.FUNDED, ApplicationState.FINAL_REPORT_DUE),
        },
    )


@role_required(Role.STAFF)
def milestone_review(request, pk):
    milestone = get_permitted_object_or_404(
        request.user,
        "grants.view_grant_as_staff",
        queries.milestones_with_reports().select_related("grant__application__owner"),
        pk=pk,
    )
    form = MilestoneReviewForm(request.POST or None, initial={"expected_state": milestone.state})
    if request.method == "POST" and form.is_valid():
        accept = form.cleaned_data["decision"] == "accept"
        done = run_service(
            request,
            review_milestone_report,
            form=form,
            success=_("The report has been accepted and its payment released.")
            if accept
            else _("The grantee has been asked for changes."),
            milestone=milestone,
            actor=request.user,
            accept=accept,
            comment=form.cleaned_data["comment"],
            expected_state=form.cleaned_data["expected_state"],
            early_reason=form.cleaned_data["early_reason"],
        )
        if done.stale:
            return redirect("staff_milestone", pk=milestone.pk)
        if done.ok:
            return redirect("staff_grant", pk=milestone.grant_id)
    return render(
        request,
        "grants/staff/grants/milestone.html",
        {
            "milestone": milestone,
            "grant": milestone.grant,
            "reports": [r for r in milestone.reports.all() if not r.is_draft][::-1],
            "form": form if milestone.state == "report_submitted" else None,
            # Accepting releases the payment: before the funding period, with a reason.
            "early": releases_early(milestone.grant),
        },
    )


@role_required(Role.STAFF)
@require_POST
def change_request_decide(request, pk):
    change = get_permitted_object_or_404(
        request.user,
        "grants.view_grant_as_staff",
        ChangeRequest.objects.select_related("grant__application"),
        pk=pk,
    )
    form = DecisionForm(request.POST)
    if form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        run_service(
            request,
            decide_change_request,
            success=_("The change has been approved and applied.")
            if approve
            else _("The change request has been refused."),
            change_request=change,
            actor=request.user,
            approve=approve,
            note=form.cleaned_data["note"],
            expected_state=form.cleaned_data["expected_state"],
        )
    else:
        messages.error(request, _("Choose approve or refuse."))
    return redirect("staff_grant", pk=change.grant_id)


@role_required(Role.STAFF)
def final_report_review(request, pk):
    grant = _staff_grant(request, pk)
    report = getattr(grant, "final_report", None)
    if report is None:
        return redirect("staff_grant", pk=grant.pk)
    form = ReviewForm(request.POST or None, initial={"expected_state": report.state})
    if request.method == "POST" and form.is_valid():
        accept = form.cleaned_data["decision"] == "accept"
        done = run_service(
            request,
            review_final_report,
            form=form,
            success=_("The final report has been accepted; the project is completed.")
            if accept
            else _("The grantee has been asked for changes."),
            grant=grant,
            actor=request.user,
            accept=accept,
            comment=form.cleaned_data["comment"],
            expected_state=form.cleaned_data["expected_state"],
        )
        if done.ok:
            return redirect("staff_grant", pk=grant.pk)
    return render(
        request,
        "grants/staff/grants/final_report.html",
        {"grant": grant, "report": report, "form": form if report.state == "submitted" else None}
        | _final_report_context(grant, report),
    )


def _final_report_context(grant, report) -> dict:
    """The milestones' results, the proof of use with its statement, and a form for each of
    its lines still to be checked."""
    milestones = {m.pk: m for m in grant.milestones.all()}
    proof = queries.proof_with_lines(report)
    lines = list(proof.lines.all()) if proof else []
    return {
        "results": [
            {**item, "milestone": milestones.get(item["milestone"])}
            for item in report.milestone_results
        ],
        "proof": proof,
        "lines": lines,
        "statement": statement_of(proof, lines) if proof else None,
        "check_forms": {
            line.pk: LineCheckForm(initial={"expected_state": line.state})
            for line in lines
            if report.state == "submitted" and line.state != StatementLineState.ACCEPTED
        },
    }


@role_required(Role.STAFF)
@require_POST
def statement_line_check(request, pk):
    line = get_permitted_object_or_404(
        request.user,
        "grants.view_proof_of_use_as_staff",
        StatementLine.objects.select_related("proof__final_report__grant__application"),
        pk=pk,
    )
    grant_id = line.proof.final_report.grant_id
    form = LineCheckForm(request.POST)
    if form.is_valid():
        accept = form.cleaned_data["decision"] == "accept"
        run_service(
            request,
            check_statement_line,
            line=line,
            actor=request.user,
            accept=accept,
            comment=form.cleaned_data["comment"],
            expected_state=form.cleaned_data["expected_state"],
            success=_("The line has been accepted.")
            if accept
            else _("The grantee has been asked about the line."),
        )
    else:
        messages.error(request, _("Choose whether to accept or to query the line."))
    return redirect(reverse("staff_final_report", args=[grant_id]) + f"#line-{line.pk}")


@role_required(Role.STAFF)
def terminate(request, pk):
    grant = _staff_grant(request, pk)
    form = TerminateForm(request.POST or None, initial={"expected_state": grant.application.state})
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            terminate_grant,
            form=form,
            success=_("The grant has been terminated."),
            grant=grant,
            actor=request.user,
            reason=form.cleaned_data["reason"],
            expected_state=form.cleaned_data["expected_state"],
        )
        if done.ok:
            return redirect("staff_grant", pk=grant.pk)
    return render(request, "grants/staff/grants/terminate.html", {"grant": grant, "form": form})


@role_required(Role.STAFF)
def overdue(request):
    today = timezone.localdate()
    return render(
        request,
        "grants/staff/grants/overdue.html",
        {"items": overdue_items(today, viewer=request.user), "today": today},
    )
