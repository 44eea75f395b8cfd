"""Columns that other apps add to the staff export of a call's applications (CSV and XLSX,
grants.exports): the review app adds each application's score, rank and decision. They
register a provider in their ``AppConfig.ready``, so that grants imports nothing from them.

A provider is asked once per export, before the first row is written, and reads all it
needs for the whole call in a fixed number of queries; its ``values`` then only look the
row up. It returns nothing when the call has no such data yet: the columns appear only
once they would hold something."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from core.spreadsheets import TEXT


@dataclass(frozen=True)
class Column:
    label: object  # a lazy text, written in the export's language
    value: Callable[[object], object]  # application → the cell's value (None: empty)
    kind: str = TEXT  # a kind of core.spreadsheets
    width: int = 16  # in the XLSX sheet


# provider(call, viewer) → the columns it adds for this call (possibly none).
_providers: list[Callable[[object, object], Sequence[Column]]] = []


def register_export_columns(provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def export_columns(call, viewer) -> list[Column]:
    """The registered apps' columns for the export of ``call`` by ``viewer``, in the order
    the apps registered them."""
    return [column for provider in _providers for column in provider(call, viewer)]
