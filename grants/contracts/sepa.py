"""SEPA credit-transfer files (pain.001.001.03) built with sepaxml and checked against the
schema: names and remittance texts in the SEPA Latin character set, a message id with a
24-hour clock and the batch's number, one end-to-end id per payment and batch."""

import datetime as dt
import functools
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import sepaxml
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables
from sepaxml import SepaTransfer
from text_unidecode import unidecode

from grants.contracts.bank import mask_iban

HOLDER_MAX = 70
REMITTANCE_MAX = 140
# The EPC's SEPA Latin character set: letters, digits, space and / - ? : ( ) . , ' +
NOT_SEPA = re.compile(r"[^A-Za-z0-9/\-?:().,'+ ]")
# German names keep their spelling (Müller → Mueller, not Muller); the rest goes through
# text-unidecode (Łukasz → Lukasz, é → e), as sepaxml itself would.
GERMAN = str.maketrans(
    {"Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ẞ": "SS"}
)


def sepa_text(value: str, max_length: int) -> str:
    """``value`` in the SEPA Latin character set: transliterated, "&" as "+", any other
    character outside the set as a space, spaces collapsed, cut to ``max_length``.
    "Jörg Müller-Łukasz ß & <Co>" → "Joerg Mueller-Lukasz ss + Co"."""
    text = unidecode(str(value).translate(GERMAN)).replace("&", "+")
    text = " ".join(NOT_SEPA.sub(" ", text).split())
    return text[:max_length].rstrip()


def message_id(batch_pk: int, moment: dt.datetime) -> str:
    """The file's MsgId, unique per batch: B000007-20260312214837 (local time, 24-hour)."""
    return f"B{batch_pk:06d}-{timezone.localtime(moment):%Y%m%d%H%M%S}"


def end_to_end_id(funding_reference: str, milestone: int, batch_pk: int) -> str:
    """One per payment and batch: a payment put into a new batch after its batch was
    cancelled gets a new id, so that the bank never takes it for a duplicate."""
    return f"{funding_reference}-M{milestone}-B{batch_pk}"[:35]


@dataclass(frozen=True)
class Transfer:
    holder: str  # already in SEPA characters (sepa_text)
    iban: str
    bic: str
    amount: Decimal
    end_to_end_id: str
    remittance: str  # already in SEPA characters

    def __repr__(self):  # never print the clear IBAN into a log or a traceback
        return f"Transfer({self.end_to_end_id!r}, {mask_iban(self.iban)!r}, {self.amount})"


class _SepaTransfer(SepaTransfer):
    """sepaxml's transfer with our message id (sepaxml's own uses a 12-hour clock, so that
    21:48:37 reads 094837)."""

    def __init__(self, config, *, msg_id: str):
        self._our_msg_id = msg_id
        super().__init__(config, clean=False)

    def _create_header(self):
        self.msg_id = self._our_msg_id
        super()._create_header()


@sensitive_variables()
def transfer_file(
    *, msg_id: str, execution_date: dt.date, debtor: dict, transfers: list[Transfer]
) -> bytes:
    """The pain.001.001.03 XML of ``transfers`` from the fund's account ``debtor`` (name,
    IBAN, BIC), validated against the schema."""
    document = _SepaTransfer(
        {
            "name": sepa_text(debtor["name"], HOLDER_MAX),
            "IBAN": debtor["IBAN"],
            "BIC": debtor["BIC"],
            "batch": True,
            "currency": "EUR",
        },
        msg_id=msg_id,
    )
    for transfer in transfers:
        document.add_payment(
            {
                "name": transfer.holder,
                "IBAN": transfer.iban,
                "BIC": transfer.bic,
                "amount": int(transfer.amount * 100),  # sepaxml takes cents as int
                "execution_date": execution_date,
                "description": transfer.remittance,
                "endtoend_id": transfer.end_to_end_id,
            }
        )
    content = document.export(validate=False, pretty_print=True)
    _pain_001_schema().validate(content.decode())
    return content


@functools.cache
def _pain_001_schema():
    """The schema sepaxml ships, read once: sepaxml's own check reads and compiles the XSD
    for every file, half a second each time."""
    import xmlschema  # imported late, as sepaxml does: it patches ElementTree on import

    return xmlschema.XMLSchema(Path(sepaxml.__file__).parent / "schemas" / "pain.001.001.03.xsd")
