"""The figures' labels and kinds, and how a raw figure (cents, counts, a share) becomes a
typed cell value."""

import pandas as pd
from django.utils.translation import gettext_lazy, pgettext_lazy

from reporting import figures as fig
from reporting.tables import COUNT, EURO, PERCENT, euros_from_cents

FIGURE_LABELS = {
    "received": (gettext_lazy("Applications received"), COUNT),
    "eligible": (gettext_lazy("Eligible"), COUNT),
    "approved": (gettext_lazy("Approved for funding"), COUNT),
    "funded": (gettext_lazy("Funded (agreement signed)"), COUNT),
    "decided_received": (gettext_lazy("Received in decided calls"), COUNT),
    "decided_approved": (gettext_lazy("Approved in decided calls"), COUNT),
    "acceptance_rate": (gettext_lazy("Acceptance rate (decided calls)"), PERCENT),
    "requested": (gettext_lazy("Requested"), EURO),
    "grants_signed": (gettext_lazy("Grant agreements signed"), COUNT),
    "committed": (gettext_lazy("Committed"), EURO),
    "disbursed": (gettext_lazy("Disbursed"), EURO),
    "gap": (gettext_lazy("Committed, not yet disbursed"), EURO),
    "spent": (gettext_lazy("Spent according to proof of use"), EURO),
    "milestones_due": (gettext_lazy("Milestones due"), COUNT),
    "on_time": (gettext_lazy("Reported on time"), COUNT),
    "late": (pgettext_lazy("milestones", "Late"), COUNT),
    "pending": (gettext_lazy("Not due yet"), COUNT),
    "accepted": (gettext_lazy("Accepted"), COUNT),
    "repositories": (gettext_lazy("Code repositories under an open licence"), COUNT),
    "datasets": (gettext_lazy("Datasets opened"), COUNT),
    "releases": (gettext_lazy("Releases"), COUNT),
    "security_audits": (gettext_lazy("Security audits"), COUNT),
    "vulnerabilities_fixed": (gettext_lazy("Vulnerabilities fixed"), COUNT),
    "users_reached": (gettext_lazy("Users reached"), COUNT),
    "organisations_reached": (gettext_lazy("Organisations reached"), COUNT),
    "contributors": (gettext_lazy("Contributors"), COUNT),
    "collaborations": (gettext_lazy("Collaborations with government"), COUNT),
    "collaborating_projects": (gettext_lazy("Projects working with government"), COUNT),
    "public_bodies": (gettext_lazy("Public bodies"), COUNT),
    "follow_up_projects": (gettext_lazy("Projects with follow-up funding"), COUNT),
    "follow_up_funding": (gettext_lazy("Follow-up funding"), EURO),
}
# How each figure is counted: written once, shown with the figure (headline cards, tables of
# key figures, the method section) on the dashboard and in the PDF. Every figure counts what
# happened in the chosen period, each by its own date (reporting.figures).
DEFINITIONS = {
    "received": gettext_lazy("Applications submitted in the period (drafts never count)."),
    "eligible": gettext_lazy("Of the applications received, those screened eligible."),
    "approved": gettext_lazy(
        "Of the applications received, those the fund decided to fund, whether or not the "
        "grant agreement has been signed since (an award declined later included)."
    ),
    "funded": gettext_lazy(
        "Of the applications received, those whose grant agreement has been signed."
    ),
    "decided_received": gettext_lazy(
        "Applications received in calls that have been decided; calls still open or in review "
        "are left out."
    ),
    "decided_approved": gettext_lazy("Of those, the applications approved for funding."),
    "acceptance_rate": gettext_lazy(
        "Approved divided by received, in decided calls only: a call still open or in review "
        "has approved nobody yet and would lower the rate."
    ),
    "requested": gettext_lazy("Euros requested by the applications received."),
    "grants_signed": gettext_lazy("Grant agreements signed in the period."),
    "committed": gettext_lazy(
        "What the grant agreements signed in the period commit: the award, or for a terminated "
        "grant only what was released for it."
    ),
    "disbursed": gettext_lazy("Payments transferred in the period, by the day of the transfer."),
    "gap": gettext_lazy("Committed minus disbursed."),
    "spent": gettext_lazy(
        "The part of the grant that the costs proven in an accepted proof of use "
        "(Verwendungsnachweis) used: those costs less the grantee's own contribution, at "
        "most the award; counted on the day staff accepted the proof."
    ),
    "milestones_due": gettext_lazy(
        "Milestones whose due date lies in the period and has come by the day of the report "
        "(cancelled ones left out)."
    ),
    "on_time": gettext_lazy(
        "Of the milestones due, those whose first report came on or before the due date."
    ),
    "late": gettext_lazy(
        "Of the milestones due, those reported after the due date or still missing after it."
    ),
    "pending": gettext_lazy(
        "Milestones whose due date lies in the period but after the day of the report."
    ),
    "accepted": gettext_lazy("Milestones due in the period whose report staff accepted."),
    "repositories": gettext_lazy(
        "Code repositories published under an open-source licence, once per project, counted "
        "when staff first accepted a report naming them."
    ),
    "datasets": gettext_lazy(
        "Datasets published under an open licence, once per project, counted when first accepted."
    ),
    "releases": gettext_lazy("Releases reported in milestone reports accepted in the period."),
    "security_audits": gettext_lazy(
        "Security audits reported in milestone reports accepted in the period."
    ),
    "vulnerabilities_fixed": gettext_lazy(
        "Vulnerabilities fixed, reported in milestone reports accepted in the period."
    ),
    "users_reached": gettext_lazy(
        "Per project the highest number reported in the period (a level, not a sum), added up "
        "over the projects."
    ),
    "organisations_reached": gettext_lazy(
        "Per project the highest number reported in the period, added up over the projects."
    ),
    "contributors": gettext_lazy(
        "Per project the highest number reported in the period, added up over the projects."
    ),
    "collaborations": gettext_lazy(
        "Public bodies that partner with, adopt or reuse a project: each body once per project, "
        "counted when first reported."
    ),
    "collaborating_projects": gettext_lazy("Projects with at least one such public body."),
    "public_bodies": gettext_lazy("Different public bodies among them."),
    "follow_up_projects": gettext_lazy(
        "Projects whose accepted final report, handed in during the period, names follow-up "
        "funding."
    ),
    "follow_up_funding": gettext_lazy("The follow-up funding those final reports name."),
}
EURO_FIGURES = {name for name, (_label, kind) in FIGURE_LABELS.items() if kind == EURO}


def label(name: str) -> str:
    return str(FIGURE_LABELS[name][0])


def definition(name: str) -> str:
    return str(DEFINITIONS[name])


def kind(name: str) -> str:
    return FIGURE_LABELS[name][1]


def value_of(name: str, raw):
    """A figure as a typed cell value: euros from cents, a share or None, counts as int."""
    if name == "acceptance_rate":
        return None if raw is None or pd.isna(raw) else float(raw)
    if name in EURO_FIGURES:
        return euros_from_cents(raw)
    return int(raw)


def row_values(table: pd.DataFrame, key=fig.ALL) -> dict:
    """One row of figures as plain Python numbers (a row of mixed columns comes out of
    pandas as floats): counts and cents as int, the rate as float or NaN. A group without
    a row has nothing: zeros."""
    if key not in table.index:
        return {name: float("nan") if name == "acceptance_rate" else 0 for name in fig.FIGURES}
    values = table.loc[key]
    return {
        name: float(values[name]) if name == "acceptance_rate" else int(values[name])
        for name in fig.FIGURES
    }


def label_of(choices, value) -> str:
    """A stored choice by its label (an unknown value as it is)."""
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)
