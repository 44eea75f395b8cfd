"""The records of processing (GDPR Art. 30) from the inventory: per kind of data, which
records hold it, why, on which legal basis and for how long. Shown in the admin site, printed
by ``manage.py privacy_inventory`` and read by the privacy notice."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from core.identity import fund_name
from privacy.inventory.registry import Entry, entries_of
from privacy.kinds import KIND_DESCRIPTIONS, DataKind, LegalBasis
from privacy.retention import Rule, period_text


@dataclass(frozen=True)
class Row:
    record: str  # the model's (or outside record's) name
    field: str
    purpose: str
    basis: str
    retention: list[str]


@dataclass(frozen=True)
class KindSection:
    kind: str
    label: str
    description: str
    rows: list[Row]

    @property
    def records(self) -> list[str]:
        """The records of this kind, each once, in order."""
        return list(dict.fromkeys(row.record for row in self.rows))


def _row(entry: Entry) -> Row:
    return Row(
        record=str(entry.model_name),
        field=str(entry.verbose_name),
        purpose=str(entry.purpose),
        basis=str(LegalBasis(entry.basis).label),
        retention=[str(Rule(rule).label) for rule in entry.retention],
    )


def sections() -> list[KindSection]:
    """The inventory by kind, in the active language."""
    return [
        KindSection(
            kind=kind,
            label=str(DataKind(kind).label),
            description=str(KIND_DESCRIPTIONS[kind]),
            rows=[_row(entry) for entry in entries_of(kind)],
        )
        for kind in DataKind.values
    ]


def retention_rules() -> list[tuple[str, str]]:
    """(rule, what happens after how long), in the active language."""
    return [(str(rule.label), str(period_text(rule))) for rule in Rule]


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def markdown() -> str:
    """The records of processing as Markdown, in the active language."""
    lines = [
        "# "
        + _("Records of processing activities (Art. 30 GDPR): %(fund)s") % {"fund": fund_name()},
        "",
        _("Controller: %(controller)s") % {"controller": settings.PRIVACY_CONTROLLER},
        "",
        _("Data protection contact: %(email)s") % {"email": settings.PRIVACY_CONTACT_EMAIL},
        "",
    ]
    for section in sections():
        lines += [f"## {section.label}", "", _cell(section.description), ""]
        header = [_("Record"), _("Field"), _("Purpose"), _("Legal basis"), _("Retention")]
        lines += ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
        for row in section.rows:
            cells = [row.record, row.field, row.purpose, row.basis, "; ".join(row.retention)]
            lines.append("| " + " | ".join(_cell(cell) for cell in cells) + " |")
        lines.append("")
    lines += ["## " + _("Retention"), ""]
    lines += [f"- **{rule}**: {_cell(text)}" for rule, text in retention_rules()]
    return "\n".join(lines) + "\n"
