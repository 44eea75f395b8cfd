"""Shared steps of the funded-project tests, each through the services people use."""

from decimal import Decimal

from django.utils import timezone

from grants.contracts.services.agreements import (
    accept_agreement,
    offer_agreement,
    prepare_agreement,
)
from grants.contracts.services.bank_details import confirm_bank_details
from grants.contracts.services.batches import export_sepa_batch, mark_sepa_batch_paid
from grants.contracts.services.documents import make_agreement_document, save_agreement_terms
from grants.contracts.services.milestones import review_milestone_report, submit_milestone_report
from grants.models import Grant, Payment
from grants.states import ApplicationState
from tests.factories import IBAN, ApplicationFactory, set_state

REPORT = {
    "delivered": "The converter exports GTFS for ten cities.",
    "problems": "",
    "releases": 2,
    "security_audits": 0,
    "vulnerabilities_fixed": 1,
    "users_reached": 300,
    "organisations_reached": 4,
    "contributors": 5,
}
LINKS = [
    {"kind": "repository", "url": "https://codeberg.org/example/toolkit", "licence": "MIT"},
    {"kind": "dataset", "url": "https://data.example.org/timetables", "licence": "CC-BY-4.0"},
]
COLLABORATIONS = [
    {"body": "Stadt Ulm", "level": "municipal", "kind": "adopts", "description": "Runs it."}
]


TERMS_DE = "Die Zuwendung dient allein dem Projekt.\n\nDer Code wird unter einer offenen Lizenz veröffentlicht."
TERMS_EN = "The grant serves the project only.\n\nThe code is published under an open licence."


def with_terms(fund, staff):
    """The fund's agreement conditions (an agreement cannot be sent without them)."""
    from grants.contracts.queries import latest_terms

    return latest_terms(fund) or save_agreement_terms(
        fund=fund, actor=staff, text_de=TERMS_DE, text_en=TERMS_EN
    )


def signing_copy(grant, *, language="en", consent=True):
    """The grantee names the account and consent: the agreement's PDF to accept."""
    return make_agreement_document(
        grant=grant,
        actor=grant.application.owner,
        expected_version=grant.version,
        account_holder="Ada Lovelace",
        iban=IBAN,
        bic="",
        publication_consent=consent,
        language=language,
    )


def approved_application(*, amount="44887.50", **kwargs):
    application = ApplicationFactory(**kwargs)
    set_state(application, ApplicationState.APPROVED)
    type(application).objects.filter(pk=application.pk).update(awarded_amount=Decimal(amount))
    application.refresh_from_db()
    return application


def signed_grant(staff, **kwargs) -> Grant:
    """An approved application whose agreement staff prepared and sent, and the grantee
    signed; its funding period began this month (payments before it need a reason)."""
    application = approved_application(**kwargs)
    grant = prepare_agreement(
        application=application, actor=staff, starts_on=timezone.localdate().replace(day=1)
    )
    with_terms(application.call.fund, staff)
    grant = offer_agreement(grant=grant, actor=staff, expected_version=grant.version)
    document = signing_copy(grant)
    accept_agreement(
        application=application, actor=application.owner, document=document, sha256=document.sha256
    )
    return Grant.objects.get(pk=grant.pk)


def report(milestone, **fields):
    return submit_milestone_report(
        milestone=milestone,
        actor=milestone.grant.application.owner,
        draft_token="",
        fields={**REPORT, **fields},
        links=LINKS,
        collaborations=COLLABORATIONS,
    )


def accept(milestone, staff):
    return review_milestone_report(
        milestone=milestone, actor=staff, accept=True, comment="", expected_state="report_submitted"
    )


def statement(grant, *, hours="840", amount="42000.00", receipts=(), own="0", reasons=None):
    """A numerical statement for save_final_report: one person, ``receipts`` as
    (date, payee, purpose, amount) and the own contribution."""
    return {
        "persons": [
            {"name": "Ada Lovelace", "role": "Developer", "hours": hours, "amount": amount}
        ],
        "receipts": [
            {"paid_on": day, "payee": payee, "purpose": purpose, "amount": value}
            for day, payee, purpose, value in receipts
        ],
        "own_contribution": own,
        "reasons": reasons or {},
    }


def accept_every_line(grant, staff):
    from grants.contracts.services.proof import check_statement_line
    from grants.models import StatementLine

    for line in StatementLine.objects.filter(proof__final_report__grant=grant):
        check_statement_line(
            line=line, actor=staff, accept=True, comment="", expected_state=line.state
        )


def confirm_account(grant, staff, note="Called the grantee back on the number in the application."):
    """Staff confirm the account waiting for confirmation (the grant's payments are on hold
    until then)."""
    check = grant.bank_checks.get(state="pending")
    return confirm_bank_details(check=check, actor=staff, note=note, expected_state="pending")


def pay(milestones, *, exporter, marker=None, paid_on=None, reference="BANK-1"):
    """Put the released payments of ``milestones`` into a transfer file (``exporter``) and
    record the bank's execution (``marker``, by default the exporter)."""
    payments = Payment.objects.filter(milestone__in=milestones, kind="released")
    batch = export_sepa_batch(
        actor=exporter,
        payment_ids=[payment.pk for payment in payments],
        execution_date=timezone.localdate(),
    )
    return mark_sepa_batch_paid(
        batch=batch,
        actor=marker or exporter,
        paid_on=paid_on or timezone.localdate(),
        bank_reference=reference,
        expected_state="exported",
    )
