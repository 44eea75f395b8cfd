"""Bank details: the account holder, IBAN and BIC of a grant (encrypted at rest) and the
masked IBAN, deleted; the log's record of changes keeps who changed them and when."""

from grants.events import BANK_DETAILS_CHANGED
from grants.models import Grant
from privacy.kinds import DataKind
from workflow.audit import redact_entries
from workflow.models import TransitionLog

EMPTY = {"account_holder": "", "iban_encrypted": "", "bic_encrypted": "", "iban_masked": ""}


class BankShredder:
    kind = DataKind.BANK

    def shred(self, scope, *, actor=None) -> int:
        if not scope.bank:
            return 0
        grants = Grant.objects.filter(pk__in=scope.bank)
        changed = grants.exclude(**EMPTY).update(**EMPTY)
        changed += redact_entries(
            TransitionLog.objects.filter(
                content_type__app_label="grants",
                content_type__model="application",
                object_id__in=list(grants.values_list("application_id", flat=True)),
                action=BANK_DETAILS_CHANGED,
            ),
            note=False,
        )
        return changed
