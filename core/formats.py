"""How amounts, percentages and counts are written for people, in the active language:
one definition for pages, e-mails, PDFs and spreadsheets' text."""

import re
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import get_format, number_format
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

NBSP = "\u00a0"
MINUS = "\u2212"


def _german() -> bool:
    return (get_language() or "de").startswith("de")


def euro(amount, decimals: int = 2) -> str:
    """An amount in euros as people of the active language write it, in one piece that
    never breaks across lines: "47.500,00 €" (German: number, no-break space, sign) and
    "€47,500.00" (English). None is shown as a dash."""
    if amount is None or amount == "":
        return "–"
    # Rounded half up to the shown decimals: Django's number_format would cut them.
    amount = Decimal(str(amount)).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    number = number_format(abs(amount), decimal_pos=decimals, use_l10n=True, force_grouping=True)
    sign = MINUS if amount < 0 else ""
    if _german():
        return f"{sign}{number}{NBSP}€"
    return f"{sign}€{number}"


def percent(value) -> str:
    """A percentage as people of the active language write it: "5 %" (German, no-break
    space) or "5%"; up to two decimals, without trailing zeros ("95", "12,5")."""
    if value is None or value == "":
        return "–"
    value = Decimal(str(value)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    value = value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()
    number = number_format(value, use_l10n=True)
    if _german():
        return f"{number}{NBSP}%"
    return f"{number}%"


# Web addresses in plain text written by people (messages): only http and https become links.
_WEB_ADDRESS = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}"


def web_links(text: str) -> str:
    """Plain text as HTML: everything escaped, and only addresses that start with
    ``http://`` or ``https://`` made links (a ``javascript:`` or ``data:`` address stays
    text). Trailing punctuation is not part of the address. Line breaks are kept by CSS."""
    parts = []
    position = 0
    for match in _WEB_ADDRESS.finditer(text or ""):
        address = match.group(0)
        while address and address[-1] in _TRAILING:
            address = address[:-1]
        if address.lower() in ("http://", "https://"):
            continue
        start = match.start()
        parts.append(escape(text[position:start]))
        parts.append(
            format_html('<a href="{}" rel="nofollow noopener noreferrer">{}</a>', address, address)
        )
        position = start + len(address)
    parts.append(escape((text or "")[position:]))
    return mark_safe("".join(str(part) for part in parts))  # noqa: S308 (every part escaped)


class Numbers:
    """The active language's way of writing numbers, read once: for tables of a thousand
    figures, where looking the format up for each one costs more than the rest of the
    page. Writes exactly what ``euro`` and Django's ``number_format`` write."""

    def __init__(self):
        self.german = _german()
        self.decimal = get_format("DECIMAL_SEPARATOR")
        self.thousands = get_format("THOUSAND_SEPARATOR")

    def fixed(self, value, digits: int) -> str:
        """``value`` rounded half up to ``digits`` decimals, without grouping; "–" when
        missing or not a number (−0 is written 0)."""
        try:
            exact = Decimal(str(value))
        except (ArithmeticError, ValueError, TypeError):
            return "–"
        if value is None or not exact.is_finite():
            return "–"
        rounded = exact.quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP)
        text = f"{rounded if rounded else abs(rounded):f}"
        return text.replace(".", self.decimal) if digits else text

    def euro(self, amount) -> str:
        """As ``euro`` (two decimals)."""
        if amount is None or amount == "":
            return "–"
        amount = Decimal(str(amount)).quantize(Decimal("0.01"), ROUND_HALF_UP)
        whole, cents = f"{abs(amount):,.2f}".split(".")
        number = f"{whole.replace(',', self.thousands)}{self.decimal}{cents}"
        sign = MINUS if amount < 0 else ""
        return f"{sign}{number}{NBSP}€" if self.german else f"{sign}€{number}"
