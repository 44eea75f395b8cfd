"""Bank details: the account holder, IBAN and BIC of a grant (encrypted at rest) and the
masked IBAN, deleted, with every copy the money controls made of them: the accounts named
and confirmed (and how they were confirmed), the payments' lines in transfer files, and the
files themselves, and the agreement PDFs with their copy of the account. The log keeps who changed, confirmed or exported what, and when; the
payments and the batches' dates, totals and checksums stay for the audit."""

from grants.events import BANK_DETAILS_CHANGED
from grants.models import AgreementDocument, BankDetailsCheck, Grant, SepaBatch, SepaBatchItem
from privacy.kinds import DataKind
from privacy.services.shredders.base import clear, delete_files, redact_log
from workflow.audit import redact_entries
from workflow.models import TransitionLog

EMPTY = {"account_holder": "", "iban_encrypted": "", "bic_encrypted": "", "iban_masked": ""}
NAMED = {"account_holder": "", "iban_masked": ""}


class BankShredder:
    kind = DataKind.BANK

    def shred(self, scope, *, actor=None) -> int:
        if not scope.bank:
            return 0
        grants = Grant.objects.filter(pk__in=scope.bank)
        changed = grants.exclude(**EMPTY).update(**EMPTY)
        checks = BankDetailsCheck.objects.filter(grant__in=grants)
        changed += clear(checks, note="", **NAMED)
        changed += clear(SepaBatchItem.objects.filter(payment__grant__in=grants), **NAMED)
        changed += delete_agreement_files(grants)
        changed += clear(AgreementDocument.objects.filter(grant__in=grants), **EMPTY)
        # A file holds other grantees' accounts too, but it is as old as this grant's last
        # payment in it: past the retention of payment records, so it goes whole.
        changed += (
            SepaBatch.objects.filter(items__payment__grant__in=grants)
            .exclude(file_encrypted="")
            .distinct()
            .update(file_encrypted="")
        )
        changed += redact_entries(
            TransitionLog.objects.filter(
                content_type__app_label="grants",
                content_type__model="application",
                object_id__in=list(grants.values_list("application_id", flat=True)),
                action=BANK_DETAILS_CHANGED,
            ),
            note=False,
        )
        # The checks' entries: the masked IBAN, and how staff confirmed it (a phone number).
        changed += redact_log((BankDetailsCheck, list(checks.values_list("pk", flat=True))))
        return changed


def delete_agreement_files(grants) -> int:
    """The agreement PDFs of ``grants`` leave the storage (they show the account and the
    project's people); each document's row and checksum stay as proof of what was accepted."""
    documents = AgreementDocument.objects.filter(grant__in=grants).exclude(stored_name="")
    files = list(documents.values_list("stored_name", flat=True))
    changed = documents.update(stored_name="")
    delete_files(files)
    return changed
