"""Documents of a grant's file: the agreement's PDFs (grantee and staff), the fund's
agreement conditions (staff), the archived proof of use. Files come from private storage,
each behind its permission; everyone else gets 404."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.access import get_permitted_object_or_404, may, role_required
from accounts.roles import Role
from core.storage import private_storage
from core.views import run_service
from grants.contracts import queries
from grants.contracts.forms import AgreementTermsForm
from grants.contracts.services.documents import save_agreement_terms
from grants.models import AgreementDocument, Fund, ProofOfUse


def pdf_response(stored_name: str, file_name: str) -> FileResponse:
    response = FileResponse(
        private_storage().open(stored_name, "rb"),
        as_attachment=True,
        filename=file_name,
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@role_required(Role.APPLICANT, Role.STAFF)
def agreement_document(request, pk):
    document = get_permitted_object_or_404(
        request.user,
        "grants.download_agreement",
        AgreementDocument.objects.select_related("grant__application"),
        pk=pk,
    )
    if not document.stored_name:  # erased under the retention of bank details (privacy)
        raise Http404
    return pdf_response(document.stored_name, document.file_name)


@role_required(Role.APPLICANT, Role.STAFF)
def proof_of_use_document(request, pk):
    proof = get_permitted_object_or_404(
        request.user,
        "grants.download_proof_of_use",
        ProofOfUse.objects.select_related("final_report__grant__application"),
        pk=pk,
    )
    if not proof.stored_name:
        raise Http404
    return pdf_response(proof.stored_name, proof.file_name)


@role_required(Role.STAFF)
def agreement_terms(request):
    """The fund's conditions: each save is a new version; agreements keep the version they
    were sent with."""
    if not may(request.user, "grants.edit_agreement_terms"):
        raise Http404
    fund = Fund.objects.order_by("pk").first()
    if fund is None:
        raise Http404
    current = queries.latest_terms(fund)
    initial = {"text_de": current.text_de, "text_en": current.text_en} if current else None
    form = AgreementTermsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        outcome = run_service(
            request,
            save_agreement_terms,
            form=form,
            fund=fund,
            actor=request.user,
            success=lambda terms: (
                _("Version %(version)s of the conditions has been saved.")
                % {"version": terms.version}
            ),
            **form.cleaned_data,
        )
        if outcome.ok:
            return redirect("staff_agreement_terms")
    elif request.method == "POST":
        messages.error(
            request, _("The conditions were not saved: please correct the marked fields.")
        )
    return render(
        request,
        "grants/staff/grants/agreement_terms.html",
        {"fund": fund, "form": form, "versions": queries.terms_versions(fund)},
    )
