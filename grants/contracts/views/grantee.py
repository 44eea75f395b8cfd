"""Pages of grantees: their grants, the agreement, milestone reports, change requests,
the final report, bank details and the calendar feed. Thin: check, call a service, render."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_POST

from accounts.access import (
    get_permitted_object_or_404,
    may,
    reauthentication_before_changes,
    role_required,
    second_factor_gate,
)
from accounts.queries import consent_in_force
from accounts.roles import Role
from core.errors import WorkflowError
from core.views import add_service_errors, run_service
from grants.consents import PUBLICATION
from grants.contracts import queries
from grants.contracts.calendar import grantee_calendar
from grants.contracts.forms import (
    AcceptDocumentForm,
    BankDetailsForm,
    ChangeRequestForm,
    CollaborationFormSet,
    DeclineForm,
    FinalReportForm,
    MilestoneReportForm,
    ReportLinkFormSet,
    SigningCopyForm,
    filled,
)
from grants.contracts.models.reports import INDICATOR_FIELDS
from grants.contracts.services.agreements import accept_agreement, decline_award
from grants.contracts.services.bank_details import change_bank_details
from grants.contracts.services.calendar import renew_calendar_feed, stop_calendar_feed
from grants.contracts.services.changes import request_change
from grants.contracts.services.closing import save_final_report
from grants.contracts.services.consent import withdraw_publication_consent
from grants.contracts.services.documents import make_agreement_document
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
from grants.models import AgreementDocument, Attachment, CalendarFeed, StatementLine
from grants.presentation import log_entries
from grants.states import ApplicationState, MilestoneStateGroup, StatementLineState
from grants.views.attachments import store_each_upload


def _own_grant(request, pk):
    return get_permitted_object_or_404(
        request.user, "grants.view_own_grant", queries.grant_detail(pk), pk=pk
    )


def _gate(request, grant):
    """A call may require its grantees to use a second factor (Call setting)."""
    return second_factor_gate(request, required=grant.application.call.grantees_need_second_factor)


@role_required(Role.APPLICANT)
def dashboard(request):
    feed = CalendarFeed.objects.filter(user=request.user).first()
    return render(
        request,
        "grants/grantee/dashboard.html",
        {
            "grants": queries.grants_of_user(request.user),
            "next_due": queries.next_due_of_user(request.user),
            "feed_url": request.build_absolute_uri(reverse("calendar_feed", args=[feed.token]))
            if feed
            else "",
        },
    )


@role_required(Role.APPLICANT)
def grant_detail(request, pk):
    grant = _own_grant(request, pk)
    if gate := _gate(request, grant):
        return gate
    return render(
        request,
        "grants/grantee/grant.html",
        {
            "grant": grant,
            "application": grant.application,
            "ledger": queries.ledger(grant),
            "timeline": log_entries(queries.grant_timeline(grant, include_internal=False)),
            "can_request_change": grant.application.state == ApplicationState.FUNDED
            and not any(c.state == "pending" for c in grant.change_requests.all()),
            "consent": consent_in_force(
                user=request.user, purpose=PUBLICATION.purpose, subject=grant
            ),
        },
    )


@require_POST
@role_required(Role.APPLICANT)
def publication_consent(request, pk):
    """The grantee withdraws their consent to the publication of their name."""
    grant = _own_grant(request, pk)
    run_service(
        request,
        withdraw_publication_consent,
        grant=grant,
        actor=request.user,
        success=_(
            "Your consent is withdrawn: your name no longer appears on the public pages and "
            "in the open data, nor in the next report."
        ),
    )
    return redirect(reverse("grantee_grant", args=[grant.pk]) + "#publication")


@role_required(Role.APPLICANT)
@sensitive_post_parameters("account_holder", "iban", "bic")
@sensitive_variables("accept_form", "data")
def agreement(request, pk):
    """Accepting is two steps: the grantee names the account and consent, which makes the
    agreement's PDF; then they accept that file (its SHA-256 is shown and stored)."""
    grant = _own_grant(request, pk)
    if gate := _gate(request, grant):
        return gate
    application = grant.application
    is_open = application.state == ApplicationState.APPROVED
    copy = queries.signing_copy(grant, request.user) if is_open else None
    post = request.POST if request.method == "POST" and is_open else None
    copy_form, accept_form, decline_form = _agreement_forms(request, grant, copy, post)
    response = None
    if post and "make_copy" in post and copy_form.is_valid():
        response = _make_signing_copy(request, grant, copy_form)
    elif post and "accept" in post and accept_form.is_valid():
        response = _accept_agreement(request, grant, accept_form)
    elif post and "decline" in post and decline_form.is_valid():
        response = _decline_award(request, grant, decline_form)
    if response is not None:
        return response
    return render(
        request,
        "grants/grantee/agreement.html",
        {
            "grant": grant,
            "application": application,
            "copy": copy,
            "copy_form": copy_form,
            "accept_form": accept_form,
            "decline_form": decline_form,
            "open": is_open,
        },
    )


def _agreement_forms(request, grant, copy, post):
    """The three steps' forms; only the one whose button was pressed is bound."""
    copy_form = SigningCopyForm(
        post if post and "make_copy" in post else None,
        initial={
            "version": grant.version,
            "account_holder": request.user.full_name,
            "language": (request.LANGUAGE_CODE or "de")[:2],
        },
    )
    accept_form = AcceptDocumentForm(
        post if post and "accept" in post else None,
        initial={"document": copy.pk, "sha256": copy.sha256} if copy else None,
    )
    return copy_form, accept_form, DeclineForm(post if post and "decline" in post else None)


def _make_signing_copy(request, grant, form):
    data = form.cleaned_data
    outcome = run_service(
        request,
        make_agreement_document,
        form=form,
        grant=grant,
        actor=request.user,
        expected_version=data["version"],
        account_holder=data["account_holder"],
        iban=data["iban"],
        bic=data["bic"],
        publication_consent=data["publication_consent"],
        language=data["language"],
        success=_("Your agreement is ready. Please read the PDF and accept it."),
    )
    if outcome.ok or outcome.stale:
        return redirect(reverse("grantee_agreement", args=[grant.pk]) + "#accept-heading")
    return None


def _accept_agreement(request, grant, form):
    document = get_object_or_404(AgreementDocument, pk=form.cleaned_data["document"], grant=grant)
    outcome = run_service(
        request,
        accept_agreement,
        application=grant.application,
        actor=request.user,
        document=document,
        sha256=form.cleaned_data["sha256"],
        success=_("Thank you! The agreement %(reference)s is signed; your project is funded.")
        % {"reference": grant.funding_reference},
    )
    return redirect("grantee_grant" if outcome.ok else "grantee_agreement", pk=grant.pk)


def _decline_award(request, grant, form):
    outcome = run_service(
        request,
        decline_award,
        application=grant.application,
        actor=request.user,
        note=form.cleaned_data["note"],
        success=_("You have declined the award."),
    )
    return redirect("grantee_dashboard") if outcome.ok else None


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
    if gate := _gate(request, milestone.grant):
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
    if gate := _gate(request, milestone.grant):
        return gate
    run_service(request, remove_report_attachment, attachment=attachment, actor=request.user)
    return redirect("grantee_milestone_report", pk=milestone.pk)


@role_required(Role.APPLICANT)
def change_request(request, pk):
    grant = _own_grant(request, pk)
    if gate := _gate(request, grant):
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
    grant = _own_grant(request, pk)
    if gate := _gate(request, grant):
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


@role_required(Role.APPLICANT)
@sensitive_post_parameters("account_holder", "iban", "bic")
def bank_details(request, pk):
    """A new account for the payments: only the grantee's own signed grant, behind the
    call's second-factor gate, then a fresh password (or second factor); the payments wait
    until the finance team has called the grantee back."""
    grant = _own_grant(request, pk)
    if grant.accepted_at is None:
        raise Http404
    if gate := _gate(request, grant):
        return gate
    return _change_bank_details(request, grant)


@reauthentication_before_changes
@sensitive_variables("form")
def _change_bank_details(request, grant):
    form = BankDetailsForm(request.POST or None, initial={"account_holder": grant.account_holder})
    if request.method == "POST" and form.is_valid():
        try:
            change_bank_details(grant=grant, actor=request.user, **form.cleaned_data)
        except WorkflowError as error:
            messages.error(request, error.message)
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Your new account is saved. Payments to it wait until our finance team has called you back to confirm it; we have sent you a confirmation by e-mail."
                ),
            )
            return redirect("grantee_grant", pk=grant.pk)
    return render(
        request,
        "grants/grantee/bank_details.html",
        {"grant": grant, "form": form, "pending": queries.pending_bank_check(grant)},
    )


@require_POST
@role_required(Role.APPLICANT)
def calendar_manage(request):
    if request.POST.get("action") == "stop":
        stop_calendar_feed(user=request.user)
        messages.success(request, _("The calendar address no longer works."))
    else:
        renew_calendar_feed(user=request.user)
        messages.success(
            request, _("Your calendar address is ready. Any earlier address no longer works.")
        )
    return redirect(reverse("grantee_dashboard") + "#calendar")


def calendar_feed(request, token):
    """No sign-in: calendar apps cannot. The secret address is the key; unknown → 404."""
    feed = get_object_or_404(CalendarFeed.objects.select_related("user"), token=token)
    if not feed.user.is_active:
        raise Http404
    response = HttpResponse(
        grantee_calendar(feed.user), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="civic-tech-fund.ics"'
    response["Cache-Control"] = "private, no-store"
    return response
