"""What a report covers: a call, a topic and a period, each optional. The same selection
drives the dashboard, the PDF, the exports and the archive (stored as JSON parameters)."""

import datetime as dt
from dataclasses import asdict, dataclass
from urllib.parse import urlencode

from django.utils.text import slugify

from reporting.periods import Window


@dataclass(frozen=True)
class ReportFilter:
    call: str = ""  # a call's slug
    topic: str = ""  # a topic's slug
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    @property
    def window(self) -> Window:
        return Window(self.date_from, self.date_to)

    @property
    def has_period(self) -> bool:
        return self.date_from is not None or self.date_to is not None

    def params(self) -> dict:
        """JSON-ready parameters (for the archive and background tasks)."""
        values = asdict(self)
        for name in ("date_from", "date_to"):
            values[name] = values[name].isoformat() if values[name] else None
        return values

    @classmethod
    def from_params(cls, params: dict) -> "ReportFilter":
        def day(value):
            return dt.date.fromisoformat(value) if value else None

        return cls(
            call=params.get("call") or "",
            topic=params.get("topic") or "",
            date_from=day(params.get("date_from")),
            date_to=day(params.get("date_to")),
        )

    def file_label(self) -> str:
        """The selection in a file name, so that two downloads of different selections are
        told apart: "" for everything, else e.g. "-call-2025-1-topic-open-data-from-2026-01-01"."""
        parts = []
        if self.call:
            parts += ["call", slugify(self.call)]
        if self.topic:
            parts += ["topic", slugify(self.topic)]
        if self.date_from:
            parts += ["from", self.date_from.isoformat()]
        if self.date_to:
            parts += ["to", self.date_to.isoformat()]
        return "".join(f"-{part}" for part in parts)

    def query_string(self) -> str:
        """The dashboard's GET parameters for this selection ("" when it selects all)."""
        values = {
            "call": self.call,
            "topic": self.topic,
            "date_from": self.date_from.isoformat() if self.date_from else "",
            "date_to": self.date_to.isoformat() if self.date_to else "",
        }
        return urlencode({name: value for name, value in values.items() if value})
