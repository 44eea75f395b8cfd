"""The ministry's figures, computed with pandas from the frames that reporting.data loads.

Plain pandas, no database and no Django: the unit tests build the frames by hand. Money is
held in integer cents (exact sums); dates are pandas timestamps of local (Berlin) days.

How a window (``start``, ``end``, both included, either open) counts, figure by figure —
each event is counted by its own date:

- applications received, eligible, approved, funded and the euros requested: applications
  *submitted* in the window; eligible are those screened eligible, approved those the fund
  decided to fund (an award declined later included), funded those whose grant agreement
  has been signed (in any state since); the acceptance rate is approved ÷ received of that
  cohort in *decided* calls only (calls still open or in review would lower it);
- committed: what the grant agreements *signed* in the window commit (defined once in
  grants.contracts.commitments and loaded as a column: a terminated grant commits only what
  was released for it); disbursed: payments *made* in the window (bank transfer date); the
  gap is committed − disbursed;
- milestones: those whose due date lies in the window (cancelled ones left out); due are
  those whose due date has come by the report's day (today); of them, on time when the
  first report came on or before the due date, late when it came after it or is still
  missing after it; pending when the due date lies after today; accepted when staff
  accepted the report (paid ones included);
- outcomes: milestone reports *accepted* in the window (the latest submitted version of each
  report): releases, security audits and vulnerabilities fixed are summed; users and
  organisations reached and contributors are levels, so per project the highest figure
  reported counts (not the sum over its milestones), then summed over projects; code
  repositories under an open software licence and datasets under an open licence are
  counted once per project, when first reported; collaborations with government once per
  project and public body, when first reported;
- follow-up funding: final reports *accepted*, by the date they were handed in;
- spent according to proof of use: the part of the grant that the costs proven in a proof of
  use used (its costs less the own contribution, at most the award), counted on the day
  staff accepted the proof (with the final report).
"""

import datetime as dt
from dataclasses import dataclass, field, replace

import pandas as pd

from reporting.periods import EVERYTHING, Window

BY_CALL, BY_TOPIC, BY_QUARTER, BY_TRACK = "call", "topic", "quarter", "track"
ALL = "all"

APPLICATION_FIGURES = ("received", "eligible", "approved", "funded", "decided_received",
                       "decided_approved", "acceptance_rate", "requested")  # fmt: skip
MONEY_FIGURES = ("grants_signed", "committed", "disbursed", "gap", "spent")
MILESTONE_FIGURES = ("milestones_due", "on_time", "late", "pending", "accepted")
OUTCOME_FIGURES = (
    "repositories",
    "datasets",
    "releases",
    "security_audits",
    "vulnerabilities_fixed",
    "users_reached",
    "organisations_reached",
    "contributors",
    "collaborations",
    "collaborating_projects",
    "public_bodies",
    "follow_up_projects",
    "follow_up_funding",
)
FIGURES = APPLICATION_FIGURES + MONEY_FIGURES + MILESTONE_FIGURES + OUTCOME_FIGURES
SUMMED_INDICATORS = ("releases", "security_audits", "vulnerabilities_fixed")
LEVEL_INDICATORS = ("users_reached", "organisations_reached", "contributors")
INDICATORS = SUMMED_INDICATORS + LEVEL_INDICATORS


def _frame(columns: dict) -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in columns.items()})


# The columns of each frame (reporting.data fills them; tests build them by hand).
COLUMNS = {
    # Submitted applications (drafts never count).
    "applications": {
        "app_id": "int64",
        "call_id": "int64",
        "topic_id": "Int64",
        "track_id": "Int64",  # the call's track applied for (grants.CallTrack)
        "requested": "int64",
        "submitted_on": "datetime64[s]",
        "eligible": "bool",
        "approved": "bool",  # the fund decided to fund it (declined later or not)
        "funded": "bool",
    },
    # Every call: its year, whether it has been decided (decided or archived) and its budget.
    "calls": {"call_id": "int64", "year": "int64", "decided": "bool", "budget": "int64"},
    # Grants whose agreement has been signed (funded, final report due, completed, terminated).
    "grants": {
        "grant_id": "int64",
        "app_id": "int64",
        "call_id": "int64",
        "topic_id": "Int64",
        "track_id": "Int64",
        "state": "str",
        "reference": "str",
        "title": "str",
        "recipient": "str",  # the grantee's name if they consented to publication, else ""
        "award": "int64",
        "committed": "int64",  # grants.contracts.commitments: the award, or what a terminated one released
        "signed_on": "datetime64[s]",
        "starts_on": "datetime64[s]",
        "ends_on": "datetime64[s]",
        "code_url": "str",
    },
    # The payment ledger: released (by release date) and paid (by bank transfer date).
    "payments": {
        "grant_id": "int64",
        "paid": "bool",
        "amount": "int64",
        "on": "datetime64[s]",
    },
    "milestones": {
        "milestone_id": "int64",
        "grant_id": "int64",
        "position": "int64",
        "title": "str",
        "due_on": "datetime64[s]",
        "reported_on": "datetime64[s]",
        "accepted_on": "datetime64[s]",
        "done": "bool",  # accepted or paid
        "cancelled": "bool",
        "amount": "int64",
    },
    # The latest submitted version of every milestone report.
    "reports": {
        "milestone_id": "int64",
        "grant_id": "int64",
        "problems": "str",
        **dict.fromkeys(INDICATORS, "int64"),
    },
    # Links of those reports: kind is repository, dataset or another kind; open: under an
    # open licence (software licences for code, open data licences for datasets).
    "links": {"milestone_id": "int64", "kind": "str", "url": "str", "open": "bool"},
    "collaborations": {
        "milestone_id": "int64",
        "body": "str",
        "level": "str",
        "kind": "str",
        "description": "str",  # what the public body does with the project
    },
    "final_reports": {
        "grant_id": "int64",
        "accepted": "bool",
        "submitted_on": "datetime64[s]",
        "follow_up": "int64",
        "funder": "str",
        # The accepted proof of use: its day and the grant spent according to it (cents).
        "proof_on": "datetime64[s]",
        "spent": "int64",
    },
    # Change requests that moved a due date or the end date, with the grantee's reason.
    "changes": {
        "grant_id": "int64",
        "milestone_id": "Int64",
        "kind": "str",
        "approved": "bool",
        "reason": "str",
        "requested_on": "datetime64[s]",
    },
}


@dataclass
class Frames:
    applications: pd.DataFrame = field(default_factory=lambda: _frame(COLUMNS["applications"]))
    calls: pd.DataFrame = field(default_factory=lambda: _frame(COLUMNS["calls"]))
    grants: pd.DataFrame = field(default_factory=lambda: _frame(COLUMNS["grants"]))
    payments: pd.DataFrame = field(default_factory=lambda: _frame(COLUMNS["payments"]))
    milestones: pd.DataFrame = field(default_factory=lambda: _frame(COLUMNS["milestones"]))
    reports: pd.DataFrame = field(default_factory=lambda: _frame(COLUMNS["reports"]))
    links: pd.DataFrame = field(default_factory=lambda: _frame(COLUMNS["links"]))
    collaborations: pd.DataFrame = field(default_factory=lambda: _frame(COLUMNS["collaborations"]))
    final_reports: pd.DataFrame = field(default_factory=lambda: _frame(COLUMNS["final_reports"]))
    changes: pd.DataFrame = field(default_factory=lambda: _frame(COLUMNS["changes"]))

    @classmethod
    def from_rows(cls, **rows) -> "Frames":
        """Frames from lists of dicts (or tuples in column order), typed as in COLUMNS."""
        frames = {}
        for name, columns in COLUMNS.items():
            data = [
                row if isinstance(row, dict) else dict(zip(columns, row, strict=True))
                for row in rows.get(name, [])
            ]
            frame = pd.DataFrame(data, columns=list(columns))
            frames[name] = frame.astype(columns) if len(frame) else _frame(columns)
        return cls(**frames)


def quarter_labels(dates: pd.Series) -> pd.Series:
    """2026-Q1 style labels (as reporting.periods.Quarter prints them); NaN for no date.
    Made once per distinct quarter: string arithmetic on every row is slow."""
    codes = dates.dt.year * 10 + dates.dt.quarter
    labels = {code: f"{int(code) // 10}-Q{int(code) % 10}" for code in codes.dropna().unique()}
    return codes.map(labels)


def normalised_body(bodies: pd.Series) -> pd.Series:
    return bodies.str.strip().str.casefold().str.split().str.join(" ")


@dataclass
class Events:
    """The frames prepared once for counting: every table carries the grant's call and
    topic and a ``date`` column (the date its figures count by), and the flags that depend
    on today. ``figures`` then only filters and groups."""

    today: pd.Timestamp
    grants: pd.DataFrame  # by signed_on; committed
    applications: pd.DataFrame  # by submitted_on
    paid: pd.DataFrame  # by transfer date
    milestones: pd.DataFrame  # by due date; on_time, late, pending, done
    reports: pd.DataFrame  # accepted reports, by acceptance date; indicators
    repositories: pd.DataFrame  # open code, once per project and URL, first acceptance
    datasets: pd.DataFrame  # open data, the same
    collaborations: pd.DataFrame  # once per project and public body, first acceptance
    finals: pd.DataFrame  # accepted final reports, by hand-in date
    changes: pd.DataFrame
    frames: Frames
    proofs: pd.DataFrame = None  # accepted proofs of use, by acceptance date; spent

    def select(self, *, call_ids=None, topic_ids=None) -> "Events":
        if call_ids is None and topic_ids is None:
            return self

        def keep(frame):
            mask = pd.Series(True, index=frame.index)
            if call_ids is not None:
                mask &= frame["call_id"].isin(list(call_ids))
            if topic_ids is not None:
                mask &= frame["topic_id"].isin(list(topic_ids))
            return frame[mask]

        selected = {
            name: keep(getattr(self, name))
            for name in ("grants", "applications", "paid", "milestones", "reports",
                         "repositories", "datasets", "collaborations", "finals", "proofs")
        }  # fmt: skip
        grant_ids = set(selected["grants"]["grant_id"])
        return replace(
            self,
            **selected,
            changes=self.changes[self.changes["grant_id"].isin(grant_ids)],
        )


def _late(milestones: pd.DataFrame, today: pd.Timestamp) -> pd.DataFrame:
    """Due by today, and of those on time or late; pending: due after today. A milestone
    due today and not reported yet is due, neither on time nor late."""
    reported = milestones["reported_on"].notna()
    due = milestones["due_on"] <= today
    return milestones.assign(
        due=due,
        on_time=due & reported & (milestones["reported_on"] <= milestones["due_on"]),
        late=(reported & (milestones["reported_on"] > milestones["due_on"]))
        | (~reported & (milestones["due_on"] < today)),
        pending=~due,
    )


def _applications(frames: Frames) -> pd.DataFrame:
    """Applications by submission day, marked whether their call has been decided."""
    applications = frames.applications
    decided_calls = set(frames.calls.loc[frames.calls["decided"], "call_id"])
    decided = applications["call_id"].isin(decided_calls)
    return applications.assign(
        date=applications["submitted_on"],
        decided_received=decided,
        decided_approved=decided & applications["approved"],
    )


def prepare(frames: Frames, *, today: dt.date) -> Events:
    """Join the frames once: grant attributes onto milestones, payments and reports, the
    first report of each repository, dataset and public body, and today's flags."""
    today_ts = pd.Timestamp(today)
    grant_columns = frames.grants[["grant_id", "call_id", "topic_id", "track_id"]]
    grants = frames.grants.assign(date=frames.grants["signed_on"])
    paid = frames.payments[frames.payments["paid"]].merge(grant_columns, on="grant_id")
    milestones = frames.milestones[~frames.milestones["cancelled"]].merge(
        grant_columns, on="grant_id"
    )
    milestones = _late(milestones, today_ts).assign(date=lambda m: m["due_on"])
    accepted = frames.milestones[
        frames.milestones["done"] & frames.milestones["accepted_on"].notna()
    ]
    accepted = accepted[["milestone_id", "grant_id", "accepted_on"]].merge(
        grant_columns, on="grant_id"
    )
    reports = frames.reports.drop(columns=["grant_id"]).merge(accepted, on="milestone_id")

    def first(frame, subset):
        rows = frame.merge(accepted, on="milestone_id")
        rows = rows.sort_values("accepted_on", kind="stable").drop_duplicates(subset)
        return rows.assign(date=rows["accepted_on"])

    links = frames.links[frames.links["open"]]
    collaborations = frames.collaborations.assign(
        body_key=normalised_body(frames.collaborations["body"])
    )
    finals = frames.final_reports[frames.final_reports["accepted"]].merge(
        grant_columns, on="grant_id"
    )
    return Events(
        today=today_ts,
        grants=grants,
        applications=_applications(frames),
        paid=paid.assign(date=paid["on"]),
        milestones=milestones,
        reports=reports.assign(date=reports["accepted_on"]),
        repositories=first(links[links["kind"] == "repository"], ["grant_id", "url"]),
        datasets=first(links[links["kind"] == "dataset"], ["grant_id", "url"]),
        collaborations=first(collaborations, ["grant_id", "body_key"]),
        finals=finals.assign(date=finals["submitted_on"], has_follow_up=finals["follow_up"] > 0),
        changes=frames.changes,
        frames=frames,
        proofs=finals[finals["proof_on"].notna()].assign(date=finals["proof_on"]),
    )


GROUP_COLUMNS = {
    BY_CALL: "call_id",
    BY_TOPIC: "topic_id",
    BY_TRACK: "track_id",
    BY_QUARTER: "quarter",
}


def _grouped(frame: pd.DataFrame, window: Window, by) -> tuple[pd.DataFrame, list[str]]:
    """The rows in the window with the columns to group them by."""
    frame = frame[window.mask(frame["date"])]
    if by is None:
        return frame.assign(key=ALL), ["key"]
    groupings = (by,) if isinstance(by, str) else tuple(by)
    unknown = [grouping for grouping in groupings if grouping not in GROUP_COLUMNS]
    if unknown:
        raise ValueError(f"Unknown grouping: {', '.join(map(str, unknown))}")
    if BY_QUARTER in groupings:
        frame = frame.assign(quarter=quarter_labels(frame["date"]))
    return frame, [GROUP_COLUMNS[grouping] for grouping in groupings]


def figures(events: Events, *, window: Window = EVERYTHING, by=None) -> pd.DataFrame:
    """One row per group, one column per figure in FIGURES. ``by``: call, topic, track or quarter,
    or a tuple of them (a row per combination, e.g. per topic and call); None: one row
    keyed "all". Counts and cents are integers; the rate a float (NaN when nothing was
    received)."""
    parts = []

    def add(frame, sums=(), size=None):
        rows, keys = _grouped(frame, window, by)
        grouped = rows.groupby(keys)
        if sums:
            parts.append(grouped[list(sums)].sum())
        if size:
            parts.append(grouped.size().rename(size))
        return rows, keys

    add(
        events.applications,
        ("eligible", "approved", "funded", "decided_received", "decided_approved", "requested"),
        "received",
    )
    add(events.grants, ("committed",), "grants_signed")
    add(events.paid.rename(columns={"amount": "disbursed"}), ("disbursed",))
    add(events.milestones, ("due", "on_time", "late", "pending", "done"))
    rows, keys = add(events.reports, SUMMED_INDICATORS)
    # Levels: per project the highest figure reported (in the group), then the sum.
    levels = rows.groupby([*keys, "grant_id"])[list(LEVEL_INDICATORS)].max()
    parts.append(levels.groupby(level=list(range(len(keys)))).sum())
    add(events.repositories, size="repositories")
    add(events.datasets, size="datasets")
    rows, keys = add(events.collaborations, size="collaborations")
    grouped = rows.groupby(keys)
    parts.append(grouped["grant_id"].nunique().rename("collaborating_projects"))
    parts.append(grouped["body_key"].nunique().rename("public_bodies"))
    add(events.finals, ("has_follow_up", "follow_up"))
    add(events.proofs, ("spent",))

    table = pd.concat(parts, axis=1).fillna(0)
    table = table.rename(
        columns={
            "done": "accepted",
            "due": "milestones_due",
            "has_follow_up": "follow_up_projects",
            "follow_up": "follow_up_funding",
        }
    )
    if isinstance(by, str):  # without a grouping the rows are grouped by "key" already
        table.index.name = "key"
    if by is None and table.empty:
        table = pd.DataFrame(index=pd.Index([ALL], name="key"))
    for name in FIGURES:
        if name not in ("acceptance_rate", "gap"):
            column = table[name] if name in table else pd.Series(0, index=table.index)
            table[name] = column.astype("int64")
    table["gap"] = table["committed"] - table["disbursed"]
    decided = table["decided_received"]
    # Nothing approved where nothing was decided: 0 / 0, not a number (no rate), as wanted.
    table["acceptance_rate"] = table["decided_approved"] / decided
    table = table[list(FIGURES)]
    if by == BY_QUARTER:
        table = table.sort_index()
    return table


def topic_shares(by_topic: pd.DataFrame) -> pd.Series:
    """Each topic's share of the applications received (NaN when none were received)."""
    # When none were received every count is 0: 0 / 0 is not a number, as wanted.
    return by_topic["received"] / by_topic["received"].sum()


def collaborations_by(events: Events, *, window: Window = EVERYTHING, column: str) -> pd.Series:
    """Collaborations with government (once per project and public body) by ``column``:
    level (municipal, state, federal …) or kind (partner, adopts, reuses)."""
    rows = events.collaborations[window.mask(events.collaborations["date"])]
    return rows.groupby(column).size().sort_values(ascending=False, kind="stable")


def collaboration_list(events: Events, *, window: Window = EVERYTHING) -> pd.DataFrame:
    """Every collaboration (once per project and public body) first reported in the
    window, with its project, by funding reference and body."""
    rows = events.collaborations[window.mask(events.collaborations["date"])]
    rows = rows.merge(events.grants[["grant_id", "reference", "title"]], on="grant_id")
    return rows.sort_values(["reference", "body_key"], kind="stable")[
        ["grant_id", "reference", "title", "body", "level", "kind", "description", "accepted_on"]
    ].reset_index(drop=True)


def delays(events: Events, *, window: Window = EVERYTHING) -> pd.DataFrame:
    """The late milestones due in the window: reported after the due date or still missing,
    with the days late (until the report, or until today) and the reasons given: the
    "problems and changes" of the latest report, and the change requests about the
    milestone or the end date. Latest due first."""
    milestones = events.milestones
    late = milestones[milestones["late"] & window.mask(milestones["date"])].copy()
    until = late["reported_on"].fillna(events.today)
    late["days_late"] = (until - late["due_on"]).dt.days.astype("int64")
    problems = events.frames.reports.set_index("milestone_id")["problems"].to_dict()
    # Change requests about a milestone, and about the whole grant (its end date).
    asked: dict[tuple, list[str]] = {}
    for grant_id, milestone_id, reason in events.changes[
        ["grant_id", "milestone_id", "reason"]
    ].itertuples(index=False):
        key = (grant_id, None if pd.isna(milestone_id) else int(milestone_id))
        asked.setdefault(key, []).append(reason.strip())
    reasons = []
    for grant_id, milestone_id in late[["grant_id", "milestone_id"]].itertuples(index=False):
        texts = [(problems.get(milestone_id) or "").strip()]
        texts += asked.get((grant_id, milestone_id), []) + asked.get((grant_id, None), [])
        reasons.append(list(dict.fromkeys(text for text in texts if text)))
    late["reasons"] = reasons
    late = late.merge(events.grants[["grant_id", "reference", "title"]], on="grant_id")
    late = late.rename(columns={"title_x": "milestone", "title_y": "project"})
    return late.sort_values(["due_on", "reference"], ascending=[False, True], kind="stable")[
        [
            "grant_id",
            "reference",
            "project",
            "position",
            "milestone",
            "due_on",
            "reported_on",
            "days_late",
            "reasons",
        ]
    ].reset_index(drop=True)


def projects(events: Events, *, window: Window = EVERYTHING) -> pd.DataFrame:
    """The funded projects running in the window (funding period meets it), with their
    figures to date: award, disbursed, milestones accepted of all, late, open code and
    data, collaborations, follow-up funding. By funding reference."""
    grants = events.grants
    grants = grants[window.meets(grants["starts_on"], grants["ends_on"])]
    per_grant = pd.DataFrame(index=pd.Index(grants["grant_id"], name="grant_id"))
    per_grant["disbursed"] = events.paid.groupby("grant_id")["amount"].sum()
    grouped = events.milestones.groupby("grant_id")
    per_grant["milestones"] = grouped.size()
    per_grant["milestones_accepted"] = grouped["done"].sum()
    per_grant["milestones_late"] = grouped["late"].sum()
    per_grant["repositories"] = events.repositories.groupby("grant_id").size()
    per_grant["datasets"] = events.datasets.groupby("grant_id").size()
    per_grant["collaborations"] = events.collaborations.groupby("grant_id").size()
    reports = events.reports.groupby("grant_id")
    for name in SUMMED_INDICATORS:
        per_grant[name] = reports[name].sum()
    for name in LEVEL_INDICATORS:
        per_grant[name] = reports[name].max()
    finals = events.finals.set_index("grant_id")
    per_grant["follow_up"] = finals["follow_up"]
    per_grant = per_grant.fillna(0).astype("int64").reset_index()
    funders = finals["funder"].to_dict()
    per_grant["funder"] = [funders.get(grant_id, "") for grant_id in per_grant["grant_id"]]
    result = grants.drop(columns=["date", "committed"]).merge(per_grant, on="grant_id", how="left")
    return result.sort_values("reference", kind="stable").reset_index(drop=True)
