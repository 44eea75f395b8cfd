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


def approved_application(*, amount="44887.50", **kwargs):
    application = ApplicationFactory(**kwargs)
    set_state(application, ApplicationState.APPROVED)
    type(application).objects.filter(pk=application.pk).update(awarded_amount=Decimal(amount))
    application.refresh_from_db()
    return application


def signed_grant(staff, **kwargs) -> Grant:
    """An approved application whose agreement staff prepared and sent, and the grantee signed."""
    application = approved_application(**kwargs)
    grant = prepare_agreement(application=application, actor=staff)
    grant = offer_agreement(grant=grant, actor=staff, expected_version=grant.version)
    accept_agreement(
        application=application,
        actor=application.owner,
        expected_version=grant.version,
        account_holder="Ada Lovelace",
        iban=IBAN,
        bic="",
        publication_consent=True,
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
