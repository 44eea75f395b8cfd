"""Bank details: validated (schwifty), encrypted at rest (Fernet), masked everywhere but the
finance view, whose every reading is logged. The clear IBAN appears in no other page, no
CSV, no log and no e-mail."""

import logging

import pytest
from cryptography.fernet import Fernet
from django.core import mail
from django.urls import reverse

from accounts.roles import Role
from core.errors import WorkflowError
from grants.contracts.bank import BankDetailsError, decrypt, mask_iban, validate_bank_details
from grants.contracts.services.bank_details import change_bank_details
from grants.models import Grant, SepaBatch
from tests.accounts.helpers import reauthenticate, sign_in
from tests.factories import IBAN, make_user
from tests.grants.contracts.helpers import accept, confirm_account, pay, report, signed_grant
from workflow.models import TransitionLog

pytestmark = pytest.mark.django_db
SPACED = "DE89 3704 0044 0532 0130 00"
NEW_IBAN = "DE13430609671234567890"


def test_valid_details_are_normalised_and_the_bic_derived():
    details = validate_bank_details(holder="  Ada   Lovelace ", iban=SPACED.lower(), bic="")
    assert (details.holder, details.iban, details.bic) == ("Ada Lovelace", IBAN, "COBADEFFXXX")
    assert IBAN not in repr(details)


@pytest.mark.parametrize(
    ("holder", "iban", "bic", "field", "message"),
    [
        ("Ada", "DE89370400440532013001", "", "iban", "not a valid IBAN"),
        ("Ada", "javascript:alert(1)", "", "iban", "not a valid IBAN"),
        ("Ada", "X" * 5000, "", "iban", "not a valid IBAN"),
        ("Ada", "US64SVBKUS6S3300958879", "", "iban", "not a valid IBAN"),
        ("Ada", "GB33BUKB20201555555555", "DEUTDEFF", "bic", "another country"),
        ("Ada", IBAN, "NOTABIC!", "bic", "not a valid BIC"),
        ("", IBAN, "", "account_holder", "account holder"),
        ("A" * 71, IBAN, "", "account_holder", "70 characters"),
    ],
)
def test_invalid_details_are_refused_with_the_field(holder, iban, bic, field, message):
    with pytest.raises(BankDetailsError) as refusal:
        validate_bank_details(holder=holder, iban=iban, bic=bic)
    assert refusal.value.field == field
    assert message in str(refusal.value.message)


def test_a_non_sepa_iban_is_refused():
    with pytest.raises(BankDetailsError, match="SEPA"):
        validate_bank_details(holder="Ada", iban="BR1800360305000010009795493C1", bic="")


def test_masking_keeps_country_check_digits_and_the_last_four():
    assert mask_iban(IBAN) == "DE89 •••• •••• •••• ••30 00"
    assert mask_iban("short") == "•••••"


def test_stored_encrypted_and_keys_rotate(settings, staff):
    signed_grant(staff)
    row = Grant.objects.values("iban_encrypted", "bic_encrypted", "iban_masked").get()
    assert IBAN not in str(row)
    assert decrypt(row["iban_encrypted"]) == IBAN
    # A new key first, the old one still decrypts.
    settings.FIELD_ENCRYPTION_KEYS = [
        Fernet.generate_key().decode(),
        *settings.FIELD_ENCRYPTION_KEYS,
    ]
    assert decrypt(row["iban_encrypted"]) == IBAN


def clear_forms(text):
    return IBAN in text or SPACED in text or NEW_IBAN in text


def test_the_clear_iban_appears_only_in_the_finance_view(
    client, staff, other_staff, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.DEBUG)
    with django_capture_on_commit_callbacks(execute=True):
        grant = signed_grant(staff)
        first = grant.milestones.first()
        report(first)
        accept(first, staff)
        confirm_account(grant, staff)
        pay([first], exporter=other_staff, reference="R-1")
        change_bank_details(
            grant=grant, actor=grant.application.owner, account_holder="Ada", iban=NEW_IBAN, bic=""
        )
    owner = grant.application.owner
    application = grant.application
    pages = {
        owner: [
            reverse("grantee_dashboard"),
            reverse("grantee_grant", args=[grant.pk]),
            reverse("grantee_agreement", args=[grant.pk]),
            reverse("grantee_bank_details", args=[grant.pk]),
            reverse("grantee_milestone_report", args=[first.pk]),
            reverse("application_detail", args=[application.pk]),
        ],
        staff: [
            reverse("staff_portfolio"),
            reverse("staff_grant", args=[grant.pk]),
            reverse("staff_agreement", args=[grant.pk]),
            reverse("staff_milestone", args=[first.pk]),
            reverse("staff_finance"),
            reverse("staff_sepa_batch", args=[SepaBatch.objects.get().pk]),
            reverse("staff_application_detail", args=[application.pk]),
            reverse("staff_application_export", args=[application.call.slug]),
        ],
    }
    for user, urls in pages.items():
        sign_in(client, user)
        if user == owner:
            reauthenticate(client)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            body = b"".join(response.streaming_content) if response.streaming else response.content
            assert not clear_forms(body.decode()), url
    assert len(mail.outbox) >= 5
    for message in mail.outbox:
        assert not clear_forms(message.subject + message.body + message.alternatives[0][0])
    assert not clear_forms(caplog.text)
    for entry in TransitionLog.objects.all():
        assert not clear_forms(f"{entry.note} {entry.data}")

    reads = TransitionLog.objects.filter(
        action="grants.grant.bank_details_read", object_id=grant.pk
    )
    assert list(reads.values_list("actor_id", flat=True)) == [other_staff.pk]  # the export
    response = client.get(reverse("staff_bank_details", args=[grant.pk]))
    assert NEW_IBAN in response.content.decode()
    assert list(reads.values_list("actor_id", flat=True)) == [other_staff.pk, staff.pk]


def test_changing_bank_details_is_logged_masked_and_confirmed_by_mail(
    staff, django_capture_on_commit_callbacks
):
    grant = signed_grant(staff)
    with django_capture_on_commit_callbacks(execute=True):
        change_bank_details(
            grant=grant, actor=grant.application.owner, account_holder="Ada", iban=NEW_IBAN, bic=""
        )
    entry = TransitionLog.objects.get(action="grants.application.bank_details_changed")
    assert entry.data == {"before": mask_iban(IBAN), "after": mask_iban(NEW_IBAN)}
    assert entry.visible_to_applicant is True
    to_owner = [m for m in mail.outbox if m.to == [grant.application.owner.email]][-1]
    assert to_owner.subject == "[Civic Tech Fund] Bank details changed for 01CTF26001"
    assert mask_iban(NEW_IBAN) in to_owner.body


def test_nobody_but_the_grantee_changes_bank_details(staff):
    grant = signed_grant(staff)
    confirm_account(grant, staff)  # no account waits: only the permission can refuse
    for person in (staff, make_user(Role.APPLICANT)):
        with pytest.raises(WorkflowError, match="You may not do this now"):
            change_bank_details(
                grant=grant, actor=person, account_holder="Eve", iban=NEW_IBAN, bic=""
            )
    grant.refresh_from_db()
    assert decrypt(grant.iban_encrypted) == IBAN
    assert grant.bank_checks.filter(state="pending").count() == 0
