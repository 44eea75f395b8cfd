"""Pages of grantees: their grants, the agreement, bank details and the calendar feed (their
reports: grants/contracts/views/reports.py). Thin: check, call a service, render."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_POST

from accounts.access import (
    get_permitted_object_or_404,
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
    DeclineForm,
    SigningCopyForm,
)
from grants.contracts.services.agreements import accept_agreement, decline_award
from grants.contracts.services.bank_details import change_bank_details
from grants.contracts.services.calendar import renew_calendar_feed, stop_calendar_feed
from grants.contracts.services.consent import withdraw_publication_consent
from grants.contracts.services.documents import make_agreement_document
from grants.models import AgreementDocument, CalendarFeed
from grants.presentation import log_entries
from grants.states import ApplicationState


def own_grant(request, pk):
    return get_permitted_object_or_404(
        request.user, "grants.view_own_grant", queries.grant_detail(pk), pk=pk
    )


def grantee_gate(request, grant):
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
    grant = own_grant(request, pk)
    if gate := grantee_gate(request, grant):
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
    grant = own_grant(request, pk)
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
    grant = own_grant(request, pk)
    if gate := grantee_gate(request, grant):
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


@role_required(Role.APPLICANT)
@sensitive_post_parameters("account_holder", "iban", "bic")
def bank_details(request, pk):
    """A new account for the payments: only the grantee's own signed grant, behind the
    call's second-factor gate, then a fresh password (or second factor); the payments wait
    until the finance team has called the grantee back."""
    grant = own_grant(request, pk)
    if grant.accepted_at is None:
        raise Http404
    if gate := grantee_gate(request, grant):
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
