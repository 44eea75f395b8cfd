"""What other apps show on a call's public page: the review app shows the criteria the
jury scores by, with their weights. They register a provider in their ``AppConfig.ready``,
so that grants imports nothing from them.

A provider reads what its part needs in a fixed number of queries (never one per row) and
returns a template with its context, or None when it has nothing to show for the call."""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Section:
    template: str
    context: dict = field(default_factory=dict)


_providers: list[Callable[[object], Section | None]] = []


def register_call_page_section(provider) -> None:
    """``provider(call)`` → a Section of the call's public page, or None."""
    if provider not in _providers:
        _providers.append(provider)


def call_page_sections(call) -> list[Section]:
    return [section for provider in _providers if (section := provider(call)) is not None]
