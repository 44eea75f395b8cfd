"""The builder's core: one selection of the report data, its events prepared once, names of
calls and topics in the report's language, their order, the figures and the scope. Every
section module (summary, topics, money, outcomes, delays, projects) reads from it."""

import datetime as dt

import pandas as pd
from django.utils.translation import gettext as _

from reporting import figures as fig
from reporting import plan
from reporting.data import ReportData
from reporting.filters import ReportFilter
from reporting.periods import compared_windows
from reporting.report.labels import kind, label, value_of
from reporting.summaries import first_upper, period_text
from reporting.tables import Column, Table

TOPIC_ORDER = ("open-data", "civic-tech", "data-security")


class Context:
    def __init__(self, data: ReportData, selection: ReportFilter, *, today: dt.date, language):
        self.data, self.selection, self.today, self.language = data, selection, today, language
        call = next((c for c in data.calls.values() if c.slug == selection.call), None)
        topic = next((t for t in data.topics.values() if t.slug == selection.topic), None)
        self.call, self.topic = call, topic
        call_ids = [call.pk] if call else ([] if selection.call else None)
        everything = fig.prepare(data.frames, today=today)
        self.events = everything.select(
            call_ids=call_ids,
            topic_ids=[topic.pk] if topic else ([] if selection.topic else None),
        )
        # Budgets are set per call for all topics: plan against actual ignores the topic.
        self.call_events = everything.select(call_ids=call_ids)
        self.selected_calls = plan.selected_calls(data.frames, call_ids)
        self.window = selection.window
        self.compared = compared_windows(selection.date_from, selection.date_to, today)
        self.named_grants: set[int] = set()

    def named(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The rows of ``frame`` that a table or page may name to the reader: none of a
        project withheld from them (ReportData.withheld). Totals count every project.
        Every frame whose rows name a project passes here, so the context knows which
        projects the report names."""
        if self.data.withheld:
            frame = frame[~frame["grant_id"].isin(self.data.withheld)]
        self.named_grants.update(int(grant_id) for grant_id in frame["grant_id"])
        return frame

    # Names.

    def call_name(self, pk) -> str:
        call = self.data.calls.get(pk)
        return call.title(self.language) if call else "–"

    def topic_name(self, pk) -> str:
        topic = self.data.topics.get(None if pd.isna(pk) else int(pk))
        return topic.name(self.language) if topic else "–"

    def ordered_calls(self, keys):
        """Oldest call first; a key of no known call (none is expected) before them all."""
        calls = self.data.calls
        return [pk for pk in keys if pk not in calls] + sorted(
            (pk for pk in keys if pk in calls),
            key=lambda pk: (calls[pk].year, calls[pk].round_number),
        )

    def ordered_topics(self, keys):
        def order(pk):
            slug = self.data.topics[pk].slug if pk in self.data.topics else ""
            return (TOPIC_ORDER.index(slug) if slug in TOPIC_ORDER else len(TOPIC_ORDER), slug)

        return sorted((int(k) for k in keys if not pd.isna(k)), key=order)

    def section_topics(self) -> list[int]:
        """The topics that get a section: the selected one, or all of the fund's."""
        if self.topic is not None:
            return [self.topic.pk]
        return self.ordered_topics(self.data.topics)

    # Figures.

    def figures(self, events=None, *, window=None, by=None) -> pd.DataFrame:
        return fig.figures(
            self.events if events is None else events,
            window=self.window if window is None else window,
            by=by,
        )

    def scope(self) -> list[tuple[str, str]]:
        return [
            (_("Call"), self.call.title(self.language) if self.call else _("All calls")),
            (_("Topic"), self.topic.name(self.language) if self.topic else _("All topics")),
            (
                _("Period"),
                first_upper(period_text(self.selection.date_from, self.selection.date_to)),
            ),
        ]

    def grouped_table(self, key, title, first, names, grouped, order, name_of) -> Table:
        """One row per group (call, topic, quarter) with the figures ``names``."""
        columns = [first] + [Column(n, label(n), kind(n)) for n in names]
        rows = [
            [name_of(group)] + [value_of(n, grouped.loc[group, n]) for n in names]
            for group in order(grouped.index)
        ]
        return Table(key=key, title=title, columns=columns, rows=rows, empty_text=_("No data."))
