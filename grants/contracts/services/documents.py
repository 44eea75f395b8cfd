"""The documents of an agreement: the fund's conditions (each edit a new version, every
version kept) and the PDF copy a grantee accepts (Zuwendungsvertrag). The grantee names the
account for payments and their publication consent first; the PDF is then made with the
account masked, stored privately with its SHA-256, and it is this file that they accept
(grants.contracts.services.agreements.accept_agreement)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from accounts.access import may
from core.errors import StaleObjectError, WorkflowError
from core.pdf import render_template_pdf
from core.storage import store_generated_file
from grants import events
from grants.contracts.models.documents import TERMS_MAX_CHARS
from grants.contracts.queries import latest_terms
from grants.contracts.services.bank_details import bank_details_or_error
from grants.models import AgreementDocument, AgreementTerms, Application, Fund, Grant
from workflow.audit import log_event

AGREEMENT_FOLDER = "agreements"


def save_agreement_terms(*, fund: Fund, actor, text_de: str, text_en: str) -> AgreementTerms:
    """A new version of the fund's conditions. Agreements sent before keep theirs."""
    text_de, text_en = text_de.strip(), text_en.strip()
    errors = {}
    for name, text in (("text_de", text_de), ("text_en", text_en)):
        if not text:
            errors[name] = [_("This field is required.")]
        elif len(text) > TERMS_MAX_CHARS:
            errors[name] = [_("At most %(count)s characters.") % {"count": TERMS_MAX_CHARS}]
    if errors:
        raise WorkflowError(_("The conditions were not saved."), field_errors=errors)
    with transaction.atomic():
        if not may(actor, "grants.edit_agreement_terms"):
            raise WorkflowError(_("You may not do this now."))
        Fund.objects.select_for_update().filter(pk=fund.pk).first()  # one version number at once
        previous = latest_terms(fund)
        if previous and (previous.text_de, previous.text_en) == (text_de, text_en):
            raise WorkflowError(_("The conditions are unchanged; no new version was made."))
        terms = AgreementTerms.objects.create(
            fund=fund,
            version=(previous.version if previous else 0) + 1,
            text_de=text_de,
            text_en=text_en,
            created_by=actor,
        )
    return terms


def agreement_pdf(*, document: AgreementDocument):
    """The agreement as the grantee accepts it, in the document's language."""
    grant = document.grant
    application = grant.application
    return render_template_pdf(
        "grants/pdf/agreement.html",
        {
            "grant": grant,
            "grant_version": document.grant_version,
            "application": application,
            "team": [member.name for member in application.team_members.all() if member.name],
            "milestones": list(grant.milestones.all()),
            "terms": document.terms,
            "paragraphs": document.terms.paragraphs(document.language),
            "document": document,
            "made_at": timezone.now(),
        },
        language=document.language,
    )


@sensitive_variables("account_holder", "iban", "bic", "details")
def make_agreement_document(
    *,
    grant: Grant,
    actor,
    expected_version: int,
    account_holder: str,
    iban: str,
    bic: str,
    publication_consent: bool,
    language: str,
) -> AgreementDocument:
    """The PDF the grantee is about to accept: this version of the agreement, the fund's
    conditions it was sent with, the account (masked) and the consent they gave."""
    details = bank_details_or_error(holder=account_holder, iban=iban, bic=bic)
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=grant.application_id)
        current = (
            # Only the grant's row is locked: the conditions may be missing (an outer join).
            Grant.objects.select_for_update(of=("self",))
            .select_related("application__owner", "application__call__fund", "terms", "prepared_by")
            .get(pk=grant.pk)
        )
        current.application = application
        if not may(actor, "grants.accept_agreement", application):
            raise WorkflowError(_("This agreement cannot be accepted (any more)."))
        if current.version != expected_version:
            raise StaleObjectError(
                _(
                    "The programme staff changed the agreement after you opened it. Please read the current terms below and accept them again."
                )
            )
        if current.terms is None:
            raise WorkflowError(
                _(
                    "This agreement has no conditions yet; the programme staff have been asked to send it again."
                )
            )
        document = AgreementDocument(
            grant=current,
            grant_version=current.version,
            terms=current.terms,
            language="de" if language.startswith("de") else "en",
            created_by=actor,
            publication_consent=publication_consent,
        )
        document.store_bank_details(details)
        rendered = agreement_pdf(document=document)
        stored = store_generated_file(rendered.content, folder=AGREEMENT_FOLDER, suffix=".pdf")
        document.stored_name, document.sha256, document.size = (
            stored.stored_name,
            stored.sha256,
            stored.size,
        )
        document.pages = rendered.pages
        document.save()
        log_event(
            subject=application,
            action=events.AGREEMENT_DOCUMENT_MADE,
            actor=actor,
            from_state=application.state,
            to_state=application.state,
            data={"sha256": document.sha256, "version": document.grant_version},
            visible_to_applicant=True,
        )
    return document
