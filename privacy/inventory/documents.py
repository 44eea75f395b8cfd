"""The inventory of a grant's documents: the agreement PDFs and their conditions, the proof
of use with its statement, drawdown requests and payments made before the funding period."""

from django.utils.translation import gettext_lazy as _

from grants.models import (
    AgreementDocument,
    AgreementTerms,
    Drawdown,
    Grant,
    Payment,
    ProofOfUse,
    StatementLine,
)
from privacy.inventory.registry import not_personal, personal
from privacy.kinds import DataKind as K
from privacy.kinds import LegalBasis as B
from privacy.retention import Rule as R

FUNDED = (R.FUNDED,)
CHECKSUM = _("The checksum of a file, which says nothing about its content")

not_personal(Grant, "accepted_sha256", reason=CHECKSUM)

# The fund's conditions: written by staff about the fund.
not_personal(
    AgreementTerms, "text_de", "text_en", reason=_("Written by the fund's staff about the fund")
)
personal(
    AgreementTerms,
    "created_by",
    kind=K.IDENTITY,
    basis=B.PUBLIC_TASK,
    purpose=_("Who wrote a version of the agreement conditions"),
    retention=(R.ACCOUNTS,),
)

# The agreement PDFs: the signed contract is kept for the audit of public funding; the
# account it names goes with the grant's other bank details (the bank shredder clears the
# copy and deletes the PDF, whose checksum stays as proof of what was accepted).
personal(
    AgreementDocument,
    "account_holder",
    "iban_encrypted",
    "bic_encrypted",
    "iban_masked",
    kind=K.BANK,
    basis=B.LEGAL_OBLIGATION,
    purpose=_("The account the grantee named in the agreement, to pay the grant"),
    retention=(R.BANK,),
)
personal(
    AgreementDocument,
    "stored_name",
    kind=K.PROPOSAL,
    basis=B.CONTRACT,
    purpose=_(
        "The grant agreement as the grantee accepted it (the project, its people, the account)"
    ),
    retention=(R.FUNDED, R.BANK),
)
personal(
    AgreementDocument,
    "created_by",
    kind=K.IDENTITY,
    basis=B.CONTRACT,
    purpose=_("Who prepared an agreement document"),
    retention=FUNDED,
)
not_personal(AgreementDocument, "sha256", reason=CHECKSUM)

# The proof of use: the statement names people, payees and their purposes.
personal(
    ProofOfUse,
    "variance_reasons",
    "stored_name",
    kind=K.PROPOSAL,
    basis=B.LEGAL_OBLIGATION,
    purpose=_("The proof of use of public funding: reasons for differences and its archived PDF"),
    retention=FUNDED,
)
personal(
    ProofOfUse,
    "accepted_by",
    kind=K.IDENTITY,
    basis=B.LEGAL_OBLIGATION,
    purpose=_("Who accepted a proof of use"),
    retention=FUNDED,
)
not_personal(ProofOfUse, "sha256", "language", reason=_("A file's checksum and language"))
personal(
    StatementLine,
    "name",
    "role",
    "payee",
    "purpose",
    "query",
    "answer",
    kind=K.PROPOSAL,
    basis=B.LEGAL_OBLIGATION,
    purpose=_("The numerical statement: hours and costs per person, receipts, staff questions"),
    retention=FUNDED,
)
personal(
    StatementLine,
    "checked_by",
    kind=K.IDENTITY,
    basis=B.LEGAL_OBLIGATION,
    purpose=_("Who checked a line of a proof of use"),
    retention=FUNDED,
)
# The ledger is append-only (no payment is ever changed); staff write why they paid before
# the funding period about the payment's timing, not about a person.
not_personal(
    Payment,
    "early_reason",
    reason=_("Why staff paid a milestone before the funding period began (about the payment)"),
)

# Drawdown requests to the ministry name no person (references and amounts only).
personal(
    Drawdown,
    "created_by",
    kind=K.IDENTITY,
    basis=B.PUBLIC_TASK,
    purpose=_("Who asked the ministry for funds"),
    retention=(R.ACCOUNTS,),
)
not_personal(
    Drawdown,
    "pdf_name",
    "pdf_sha256",
    "xlsx_name",
    "xlsx_sha256",
    reason=_("Files of a drawdown request, which name projects and amounts, no person"),
)
