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
EURO_FIGURES = {name for name, (_label, kind) in FIGURE_LABELS.items() if kind == EURO}


def label(name: str) -> str:
    return str(FIGURE_LABELS[name][0])


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
