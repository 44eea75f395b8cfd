"""Bank details of grantees: validated with schwifty, encrypted at rest with Fernet
(cryptography) under keys from the environment, and masked for display.

The clear IBAN leaves this module only through ``grants.contracts.services.finance``, which logs
every reading (who, when, which grant). Everything else shows ``mask_iban``.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables
from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException

from core.crypto import KeyRing


class BankDetailsError(ValueError):
    """Invalid bank details, with a message for the user and the field it concerns."""

    def __init__(self, field: str, message):
        super().__init__(str(message))
        self.field = field
        self.message = message


@dataclass(frozen=True)
class BankDetails:
    holder: str
    iban: str  # compact, upper case: DE89370400440532013000
    bic: str

    def __repr__(self):  # never print the clear IBAN into a log or a traceback
        return f"BankDetails(holder={self.holder!r}, iban={mask_iban(self.iban)!r}, bic=…)"


@sensitive_variables()
def validate_bank_details(*, holder: str, iban: str, bic: str) -> BankDetails:
    """Check the IBAN (country, length, checksum) and the BIC (format, country); an empty
    BIC is taken from the IBAN's bank where schwifty knows it (German banks)."""
    holder = " ".join((holder or "").split())
    if not holder:
        raise BankDetailsError("account_holder", _("Enter the name of the account holder."))
    if len(holder) > 70:
        raise BankDetailsError(
            "account_holder", _("The account holder's name may have at most 70 characters.")
        )
    try:
        parsed_iban = IBAN(iban or "")
    except SchwiftyException:
        raise BankDetailsError(
            "iban", _("This is not a valid IBAN. Please check it against your bank statement.")
        ) from None
    if parsed_iban.country_code not in SEPA_COUNTRIES:
        raise BankDetailsError(
            "iban", _("Payments are made by SEPA transfer: use an IBAN of a SEPA country.")
        )
    bic = (bic or "").replace(" ", "").upper()
    if bic:
        try:
            parsed_bic = BIC(bic)
        except SchwiftyException:
            raise BankDetailsError("bic", _("This is not a valid BIC.")) from None
        if parsed_bic.country_code != parsed_iban.country_code:
            raise BankDetailsError(
                "bic", _("The BIC belongs to a bank in another country than the IBAN.")
            )
        bic = str(parsed_bic)
    else:
        derived = parsed_iban.bic
        if derived is None:
            raise BankDetailsError("bic", _("Enter the BIC of your bank."))
        bic = str(derived)
    return BankDetails(holder=holder, iban=parsed_iban.compact, bic=bic)


# SEPA scheme countries (EU/EEA, Switzerland, the United Kingdom, Monaco, San Marino, Andorra,
# Vatican City, and the French and other overseas territories that use their own IBAN codes).
SEPA_COUNTRIES = frozenset(
    [
        "AD",
        "AT",
        "BE",
        "BG",
        "CH",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FR",
        "GB",
        "GI",
        "GR",
        "HR",
        "HU",
        "IE",
        "IS",
        "IT",
        "LI",
        "LT",
        "LU",
        "LV",
        "MC",
        "MT",
        "NL",
        "NO",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
        "SM",
        "VA",
    ]
)


def mask_iban(iban: str) -> str:
    """DE89370400440532013000 → "DE89 •••• •••• •••• ••30 00": the country, the check digits
    and the last four characters, enough to recognise one's own account."""
    compact = (iban or "").replace(" ", "")
    if len(compact) < 8:
        return "•" * len(compact)
    masked = compact[:4] + "•" * (len(compact) - 8) + compact[-4:]
    return " ".join(masked[index : index + 4] for index in range(0, len(masked), 4))


BANK_KEYS = KeyRing(
    setting="FIELD_ENCRYPTION_KEYS", variable="DJANGO_FIELD_ENCRYPTION_KEY", what="bank details"
)


@sensitive_variables()
def encrypt(text: str) -> str:
    return BANK_KEYS.encrypt(text)


@sensitive_variables()
def decrypt(token: str) -> str:
    return BANK_KEYS.decrypt(token)


@sensitive_variables()
def encrypt_bytes(content: bytes) -> str:
    """A file that holds bank details (a SEPA transfer file), encrypted like them."""
    return BANK_KEYS.encrypt_bytes(content)


@sensitive_variables()
def decrypt_bytes(token: str) -> bytes:
    return BANK_KEYS.decrypt_bytes(token)
