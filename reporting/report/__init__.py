"""A report, ready to show: the figures of a selection (reporting.figures) turned into
labelled tables, charts and paragraphs in one language. The dashboard, the PDF and the
CSV/XLSX exports are all made from the same ``Report``.

One module per part: ``model`` (what a report holds), ``labels`` (figure labels and
values), ``context`` (the selection, names, order and figures every section reads), then
the sections: ``summary``, ``topics``, ``money`` (money and milestones by call and
quarter), ``outcomes`` (outcomes and collaboration with government), ``delays``,
``projects`` (the projects table and the appendix); ``build`` puts them together."""

from reporting.report.build import appendix_grant_ids, build_report, build_table, project_page
from reporting.report.model import Headline, ProjectPage, Report, TopicSection

__all__ = [
    "Headline",
    "ProjectPage",
    "Report",
    "TopicSection",
    "appendix_grant_ids",
    "build_report",
    "build_table",
    "project_page",
]
