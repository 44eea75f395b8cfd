"""What a built report holds: plain dataclasses that the dashboard, the PDF and the exports
read (tables and charts are reporting.tables and reporting.charts)."""

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from reporting.charts import Chart
from reporting.filters import ReportFilter
from reporting.tables import Table


@dataclass
class Headline:
    key: str
    label: str
    value: object
    kind: str
    definition: str = ""


@dataclass
class TopicSection:
    slug: str
    name: str
    figures: Table
    chart: Chart


@dataclass
class Case:
    """Collaboration with government told as a case: which public body does what with
    which project, with a link to its code."""

    grant_id: int
    body: str
    level: str
    kind: str
    description: str
    reference: str
    title: str
    first_reported: dt.date
    code_url: str  # "" without the grantee's consent to publication


@dataclass
class ProjectPage:
    grant_id: int
    reference: str
    title: str
    topic: str
    call: str
    state: str
    recipient: str
    code_url: str
    summary: str
    facts: list[tuple[str, object, str]]
    milestones: Table
    collaborations: list[dict]
    description: str = ""
    final_summary: str = ""
    # (question, answer) of the questions that go into the appendix (grants.Question).
    answers: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Report:
    selection: ReportFilter
    language: str
    today: dt.date
    made_at: dt.datetime
    fund_name: str
    scope: list[tuple[str, str]]
    headline: list[Headline]
    summary: str
    key_figures: Table
    tables: dict[str, Table]
    charts: dict[str, Chart]
    topics: list[TopicSection]
    project_count: int
    projects: list[ProjectPage] = field(default_factory=list)
    # Applications and money per track, one table per call (also in ``tables``).
    track_tables: list[Table] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    executive: list = field(default_factory=list)  # reporting.report.executive.Paragraph
    logo: str = ""  # a static file's path (settings.FUND_LOGO), or none
    # The grants of the projects the report names anywhere (archived with its file).
    named_grants: frozenset[int] = frozenset()

    @property
    def title(self) -> str:
        return _("Progress report of the %(fund)s") % {"fund": self.fund_name}
