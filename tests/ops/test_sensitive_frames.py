"""Every service that holds bank details marks its variables sensitive, so that Django's own
error-report filter hides them, even without ops.errors (which hides IBAN-shaped values
only: an account holder's name is personal data too)."""

import sys

import pytest
from django.utils import timezone
from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

from accounts.roles import Role
from core.errors import WorkflowError
from grants.contracts import bank
from grants.contracts.services.agreements import accept_agreement
from grants.contracts.services.bank_details import (
    bank_details_or_error,
    change_bank_details,
    hold_for_new_account,
)
from grants.contracts.services.documents import make_agreement_document
from grants.states import ApplicationState, BankCheckReason
from tests.factories import IBAN, make_user, set_state
from tests.grants.contracts.helpers import (
    approved_application,
    signed_grant,
    signing_copy,
    with_terms,
)

pytestmark = pytest.mark.django_db
HIDDEN = SafeExceptionReporterFilter.cleansed_substitute
HOLDER = "Ada Lovelace"
BROKEN_KEYS = ["not-a-fernet-key"]  # encrypting bank details fails with these


def variables_of(function, exc_info):
    """The variables Django's plain filter lets an error report show for ``function``'s
    frame."""
    reporter = ExceptionReporter(None, *exc_info, is_email=True)
    reporter.filter = SafeExceptionReporterFilter()
    (frame,) = [f for f in reporter.get_traceback_frames() if f["function"] == function]
    return dict(frame["vars"])


def error_of(call):
    try:
        call()
    except Exception:
        return sys.exc_info()
    raise AssertionError("no error was raised")


def test_checking_bank_details_hides_every_variable():
    exc_info = error_of(lambda: bank_details_or_error(holder=HOLDER, iban="DE00", bic=""))

    assert exc_info[0] is WorkflowError
    shown = variables_of("bank_details_or_error", exc_info)
    assert shown["holder"] == HIDDEN
    assert shown["iban"] == HIDDEN
    assert shown["bic"] == HIDDEN


def test_naming_an_account_hides_the_details_and_shows_the_reason(settings):
    grant = signed_grant(make_user(Role.STAFF))
    details = bank.BankDetails(holder=HOLDER, iban=IBAN, bic="")
    settings.FIELD_ENCRYPTION_KEYS = BROKEN_KEYS

    exc_info = error_of(
        lambda: hold_for_new_account(
            grant=grant,
            actor=grant.application.owner,
            details=details,
            reason=BankCheckReason.CHANGE,
        )
    )

    shown = variables_of("hold_for_new_account", exc_info)
    assert shown["details"] == HIDDEN
    assert shown["reason"] == BankCheckReason.CHANGE


def test_changing_an_account_hides_what_the_grantee_typed(settings):
    grant = signed_grant(make_user(Role.STAFF))
    settings.FIELD_ENCRYPTION_KEYS = BROKEN_KEYS

    exc_info = error_of(
        lambda: change_bank_details(
            grant=grant, actor=grant.application.owner, account_holder=HOLDER, iban=IBAN, bic=""
        )
    )

    shown = variables_of("change_bank_details", exc_info)
    assert {name: shown[name] for name in ("account_holder", "iban", "bic", "details")} == {
        "account_holder": HIDDEN,
        "iban": HIDDEN,
        "bic": HIDDEN,
        "details": HIDDEN,
    }
    assert shown["actor"] == grant.application.owner


def test_the_agreement_document_hides_the_account_it_was_given():
    grant = signed_grant(make_user(Role.STAFF))

    exc_info = error_of(
        lambda: make_agreement_document(
            grant=grant,
            actor=grant.application.owner,
            expected_version=grant.version,
            account_holder=HOLDER,
            iban="DE00",
            bic="",
            publication_consent=True,
            language="en",
        )
    )

    shown = variables_of("make_agreement_document", exc_info)
    assert [shown[name] for name in ("account_holder", "iban", "bic")] == [HIDDEN] * 3
    assert shown["language"] == "en"


def test_accepting_the_agreement_hides_the_account_it_names():
    from grants.contracts.services.agreements import offer_agreement, prepare_agreement

    staff = make_user(Role.STAFF)
    application = approved_application()
    grant = prepare_agreement(
        application=application, actor=staff, starts_on=timezone.localdate().replace(day=1)
    )
    with_terms(application.call.fund, staff)
    grant = offer_agreement(grant=grant, actor=staff, expected_version=grant.version)
    document = signing_copy(grant)
    set_state(application, ApplicationState.WITHDRAWN)  # the signature is refused

    exc_info = error_of(
        lambda: accept_agreement(
            application=application,
            actor=application.owner,
            document=document,
            sha256=document.sha256,
        )
    )

    assert issubclass(exc_info[0], WorkflowError)
    shown = variables_of("accept_agreement", exc_info)
    assert shown["details"] == HIDDEN
    assert shown["sha256"] == document.sha256


def test_reading_the_clear_account_hides_every_variable(settings):
    from grants.contracts.services.finance import read_bank_details

    staff = make_user(Role.STAFF)
    grant = signed_grant(staff)
    settings.FIELD_ENCRYPTION_KEYS = BROKEN_KEYS  # decrypting fails after the reading is logged

    exc_info = error_of(
        lambda: read_bank_details(grant=grant, actor=staff, data={"batch": "SEPA-7"})
    )

    shown = variables_of("read_bank_details", exc_info)
    assert shown["data"] == HIDDEN
    assert shown["grant"] == HIDDEN


def test_the_grant_decrypting_its_account_hides_itself(settings):
    """The grant holds the account holder's name and the encrypted account."""
    grant = signed_grant(make_user(Role.STAFF))
    settings.FIELD_ENCRYPTION_KEYS = BROKEN_KEYS

    exc_info = error_of(grant.decrypted_bank_details)

    assert variables_of("decrypted_bank_details", exc_info) == {"self": HIDDEN}


def _released_payment(**grant_fields):
    from tests.grants.contracts.test_batches import payment_ids, released

    staff = make_user(Role.STAFF)
    (grant,) = released(staff, per_grant=1)
    for name, value in grant_fields.items():
        setattr(grant, name, value)
    grant.save()
    return grant, payment_ids()


def test_a_transfer_file_hides_the_accounts_it_reads():
    from grants.contracts.services.batches import export_sepa_batch

    _grant, ids = _released_payment(account_holder="@ #")  # nothing SEPA can write: refused
    finance = make_user(Role.STAFF)
    today = timezone.localdate()

    exc_info = error_of(
        lambda: export_sepa_batch(actor=finance, payment_ids=ids, execution_date=today)
    )

    assert "cannot be written in Latin letters" in exc_info[1].message
    assert variables_of("_transfer", exc_info)["details"] == HIDDEN
    shown = variables_of("export_sepa_batch", exc_info)
    assert shown["transfers"] == HIDDEN
    assert shown["execution_date"] == today


def test_a_transfer_file_that_cannot_be_made_hides_its_transfers(settings):
    from grants.contracts.services.batches import export_sepa_batch

    _grant, ids = _released_payment()
    settings.SEPA_DEBTOR_IBAN = "not an IBAN"  # the SEPA library refuses to write the file

    exc_info = error_of(
        lambda: export_sepa_batch(
            actor=make_user(Role.STAFF), payment_ids=ids, execution_date=timezone.localdate()
        )
    )

    assert exc_info[1].message == (
        "The transfer file could not be made; nothing was recorded. Please tell the admins."
    )
    shown = variables_of("_file", exc_info)
    assert shown["transfers"] == HIDDEN
    assert shown["debtor"]["IBAN"] == "not an IBAN"  # the fund's own account is not hidden


def test_downloading_a_damaged_transfer_file_hides_its_content():
    from grants.contracts.services.batches import batch_file, export_sepa_batch

    _grant, ids = _released_payment()
    finance = make_user(Role.STAFF)
    batch = export_sepa_batch(actor=finance, payment_ids=ids, execution_date=timezone.localdate())
    batch.sha256 = "0" * 64

    exc_info = error_of(lambda: batch_file(batch=batch, actor=finance))

    assert exc_info[1].message == "The stored file does not match its checksum. Tell the admins."
    shown = variables_of("batch_file", exc_info)
    assert shown["content"] == HIDDEN
    assert shown["batch"] == batch
