"""Loads what the ministry's figures need from the grants app, in a few flat queries
(``values_list``, no model instances), into the pandas frames of reporting.figures.

Only aggregates are read about unfunded applications (their call, topic, amount, dates and
whether they were screened eligible: never a title, text or name). Project-level rows are
read only for grants whose agreement has been signed (the funded projects ministry viewers
may see); the grantee's name, and links that can carry it, only if they consented to their
publication. Bank details and jury data are never read. Loaded for one reader, the data
also knows which projects are withheld from them (``ReportData.withheld``): the report
counts those in its totals but names them nowhere."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

import pandas as pd
from django.conf import settings
from django.db.models import F
from django.utils import timezone

from core.identity import fund_name
from grants.contracts.commitments import committed
from grants.models import (
    Application,
    Call,
    CallTrack,
    ChangeRequest,
    FinalReport,
    GovernmentCollaboration,
    Grant,
    Milestone,
    MilestoneReport,
    Payment,
    ReportLink,
    Topic,
)
from grants.states import (
    ApplicationState,
    ApplicationStateGroup,
    CallStage,
    CallState,
    ChangeRequestKind,
    ChangeRequestState,
    DataLicence,
    FinalReportState,
    Licence,
    LinkKind,
    MilestoneState,
    MilestoneStateGroup,
    PaymentKind,
)
from grants.visibility import withheld_applications
from reporting.figures import COLUMNS, Frames
from reporting.models import IndicatorTarget
from workflow.actions import transition_custom
from workflow.models import TransitionLog

# Funded projects: the states ministry viewers see (reporting.queries.funded_projects_for).
PUBLISHED_STATES = ApplicationStateGroup.FUNDED_ONWARDS
# Screened eligible and not (yet) back out of the race by their own state.
ELIGIBLE_STATES = (
    ApplicationState.ELIGIBLE,
    ApplicationState.IN_REVIEW,
    ApplicationState.REVIEWED,
    ApplicationState.APPROVED,
    ApplicationState.WAITLISTED,
    ApplicationState.REJECTED,
    ApplicationState.INVITED,
    ApplicationState.NOT_INVITED,
    *PUBLISHED_STATES,
)
# Calls whose decisions are final: their acceptance rate means something.
DECIDED_CALL_STATES = (CallState.DECIDED, CallState.ARCHIVED)
OPEN_CODE_LICENCES = frozenset(Licence.values)
OPEN_DATA_LICENCES = frozenset(DataLicence.values) | OPEN_CODE_LICENCES
BERLIN = ZoneInfo(settings.TIME_ZONE)


@dataclass(frozen=True)
class CallInfo:
    pk: int
    slug: str
    title_de: str
    title_en: str
    year: int
    round_number: int
    state: str = CallState.DECIDED
    budget: int = 0  # cents

    @property
    def decided(self) -> bool:
        return self.state in DECIDED_CALL_STATES

    def title(self, language: str) -> str:
        return self.title_en if language == "en" else self.title_de


@dataclass(frozen=True)
class TopicInfo:
    pk: int
    slug: str
    name_de: str
    name_en: str

    def name(self, language: str) -> str:
        return self.name_en if language == "en" else self.name_de


@dataclass(frozen=True)
class TrackInfo:
    """One of a call's tracks (grants.CallTrack), named in both languages."""

    pk: int
    call_id: int
    key: str
    name_de: str
    name_en: str
    position: int
    removed: bool = False

    def name(self, language: str) -> str:
        return self.name_en if language == "en" else self.name_de


@dataclass
class ReportData:
    frames: Frames
    calls: dict[int, CallInfo] = field(default_factory=dict)
    topics: dict[int, TopicInfo] = field(default_factory=dict)
    tracks: dict[int, TrackInfo] = field(default_factory=dict)
    fund_name: str = ""
    # The grants of funded projects that no table or page may name to the reader.
    withheld: frozenset[int] = frozenset()
    # Targets set by staff: (call id or None for the whole fund, indicator, value).
    targets: list[tuple] = field(default_factory=list)
    # The concepts of two-stage calls (reporting.report.stages).
    stages: list["StageRow"] = field(default_factory=list)

    def ordered_calls(self) -> list[CallInfo]:
        return sorted(self.calls.values(), key=lambda c: (-c.year, -c.round_number, c.pk))

    def ordered_topics(self) -> list[TopicInfo]:
        return sorted(self.topics.values(), key=lambda t: t.slug)


def cents(amount: Decimal | None) -> int:
    return 0 if amount is None else int(amount * 100)


def local_days(moments) -> pd.Series:
    """Aware datetimes (or None) as the local (Berlin) day, a pandas timestamp at midnight."""
    stamps = pd.to_datetime(pd.Series(list(moments), dtype="object"), utc=True)
    return stamps.dt.tz_convert(BERLIN).dt.tz_localize(None).dt.normalize().astype("datetime64[s]")


def days(dates) -> pd.Series:
    return pd.to_datetime(pd.Series(list(dates), dtype="object")).astype("datetime64[s]")


def _typed(name: str, data: dict) -> pd.DataFrame:
    columns = COLUMNS[name]
    frame = pd.DataFrame({column: data[column] for column in columns})
    return frame.astype(columns)


@dataclass(frozen=True)
class StageRow:
    """A concept submitted to the first stage of a two-stage call: counted apart, in the
    applications per stage; the other figures count the full proposals, once a project."""

    call_id: int
    full_call_id: int | None
    topic_id: int | None
    submitted_on: dt.date
    state: str
    full_submitted: bool
    full_funded: bool = False  # its full proposal was funded (grant agreement signed)


def load_stages() -> list[StageRow]:
    return [
        StageRow(
            call_id,
            full_call_id,
            topic_id,
            timezone.localtime(submitted_at).date(),
            state,
            full_submitted_at is not None,
            full_state in PUBLISHED_STATES,
        )
        for call_id, full_call_id, topic_id, submitted_at, state, full_submitted_at, full_state in (
            Application.objects.filter(submitted_at__isnull=False, call__stage=CallStage.CONCEPT)
            .order_by()
            .values_list(
                "call_id",
                "call__next_stage_id",
                "topic_id",
                "submitted_at",
                "state",
                "full_proposal__submitted_at",
                "full_proposal__state",
            )
        )
    ]


def load_applications() -> pd.DataFrame:
    rows = list(
        Application.objects.filter(submitted_at__isnull=False)
        .exclude(call__stage=CallStage.CONCEPT)  # the first stage: counted apart (StageRow)
        .order_by()
        .values_list(
            "pk",
            "call_id",
            "topic_id",
            "state",
            "requested_amount",
            "submitted_at",
            "grant__declined_at",
            "track_id",
        )
    )
    screened_eligible = set(
        TransitionLog.objects.filter(
            content_type__app_label="grants",
            content_type__model="application",
            action=transition_custom(Application, "mark_eligible")["action"],
        )
        .order_by()
        .values_list("object_id", flat=True)
    )
    ids = [row[0] for row in rows]
    states = [row[3] for row in rows]
    return _typed(
        "applications",
        {
            "app_id": ids,
            "call_id": [row[1] for row in rows],
            "topic_id": pd.array([row[2] for row in rows], dtype="Int64"),
            "track_id": pd.array([row[7] for row in rows], dtype="Int64"),
            "requested": [cents(row[4]) for row in rows],
            "submitted_on": local_days(row[5] for row in rows),
            "eligible": [
                state in ELIGIBLE_STATES or pk in screened_eligible
                for pk, state in zip(ids, states, strict=True)
            ],
            # Approved: the award stands (signed or not yet) or the grantee declined it.
            "approved": [
                row[3] in ApplicationStateGroup.APPROVED_ONWARDS or row[6] is not None
                for row in rows
            ],
            "funded": [state in PUBLISHED_STATES for state in states],
        },
    )


def load_grants() -> pd.DataFrame:
    rows = list(
        Grant.objects.filter(application__state__in=PUBLISHED_STATES)
        .annotate(committed=committed())
        .order_by()
        .values_list(
            "pk",
            "application_id",
            "application__call_id",
            "application__topic_id",
            "application__state",
            "funding_reference",
            "application__title",
            "publication_consent",
            "application__owner__full_name",
            "amount",
            "accepted_at",
            "starts_on",
            "ends_on",
            "application__repository_url",
            "committed",
            "application__track_id",
        )
    )
    return _typed(
        "grants",
        {
            "grant_id": [row[0] for row in rows],
            "app_id": [row[1] for row in rows],
            "call_id": [row[2] for row in rows],
            "topic_id": pd.array([row[3] for row in rows], dtype="Int64"),
            "track_id": pd.array([row[15] for row in rows], dtype="Int64"),
            "state": [row[4] for row in rows],
            "reference": [row[5] for row in rows],
            "title": [row[6] for row in rows],
            # The name only with the grantee's consent (Grant.publication_consent).
            "recipient": [row[8] if row[7] else "" for row in rows],
            "award": [cents(row[9]) for row in rows],
            "committed": [cents(row[14]) for row in rows],
            "signed_on": local_days(row[10] for row in rows),
            "starts_on": days(row[11] for row in rows),
            "ends_on": days(row[12] for row in rows),
            "code_url": [consented_link(row[7], row[13]) for row in rows],
        },
    )


def safe_url(url: str | None) -> str:
    """Only http(s) addresses become links (a javascript: URL stays text, never a link)."""
    url = (url or "").strip()
    return url if url.lower().startswith(("https://", "http://")) else ""


def consented_link(consent: bool, url: str | None) -> str:
    """A project's link, only with the grantee's consent to publication (an address such
    as github.com/<name>/… names a person), and only an http(s) address."""
    return safe_url((url or "").strip().rstrip("/")) if consent else ""


def load_payments() -> pd.DataFrame:
    rows = list(
        Payment.objects.filter(grant__application__state__in=PUBLISHED_STATES)
        .order_by()
        .values_list("grant_id", "kind", "amount", "paid_on", "created_at")
    )
    paid = [row[1] == PaymentKind.PAID for row in rows]
    released_on = local_days(row[4] for row in rows)
    paid_on = days(row[3] for row in rows)
    return _typed(
        "payments",
        {
            "grant_id": [row[0] for row in rows],
            "paid": paid,
            "amount": [cents(row[2]) for row in rows],
            "on": paid_on.where(pd.Series(paid, dtype="bool"), released_on),
        },
    )


def load_milestones() -> pd.DataFrame:
    rows = list(
        Milestone.objects.filter(grant__application__state__in=PUBLISHED_STATES)
        .order_by()
        .values_list(
            "pk",
            "grant_id",
            "position",
            "title",
            "due_on",
            "first_reported_at",
            "accepted_at",
            "state",
            "amount",
        )
    )
    return _typed(
        "milestones",
        {
            "milestone_id": [row[0] for row in rows],
            "grant_id": [row[1] for row in rows],
            "position": [row[2] for row in rows],
            "title": [row[3] for row in rows],
            "due_on": days(row[4] for row in rows),
            "reported_on": local_days(row[5] for row in rows),
            "accepted_on": local_days(row[6] for row in rows),
            "done": [row[7] in MilestoneStateGroup.DONE for row in rows],
            "cancelled": [row[7] == MilestoneState.CANCELLED for row in rows],
            "amount": [cents(row[8]) for row in rows],
        },
    )


def _of_reports(queryset, report_ids, *fields) -> list[tuple]:
    """(report_id, *fields) of the rows that belong to one of ``report_ids`` (the latest
    versions: the others' rows are left out here rather than by a larger query)."""
    return [
        row for row in queryset.order_by().values_list("report_id", *fields) if row[0] in report_ids
    ]


def load_reports() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The latest submitted version of each milestone report, its links and its
    collaborations with government (three queries)."""
    submitted = MilestoneReport.objects.filter(
        submitted_at__isnull=False,
        milestone__grant__application__state__in=PUBLISHED_STATES,
    )
    fields = ("pk", "milestone_id", "milestone__grant_id", "version", "problems")
    indicator_names = [
        name for name in COLUMNS["reports"] if name not in ("milestone_id", "grant_id", "problems")
    ]
    rows = list(submitted.order_by().values_list(*fields, *indicator_names))
    latest: dict[int, tuple] = {}
    for row in rows:
        if row[1] not in latest or latest[row[1]][3] < row[3]:
            latest[row[1]] = row
    kept = list(latest.values())
    report_ids = {row[0]: row[1] for row in kept}
    reports = _typed(
        "reports",
        {
            "milestone_id": [row[1] for row in kept],
            "grant_id": [row[2] for row in kept],
            "problems": [row[4] or "" for row in kept],
            **{
                name: [row[5 + index] for row in kept] for index, name in enumerate(indicator_names)
            },
        },
    )
    link_rows = _of_reports(
        ReportLink.objects.filter(report__in=submitted), report_ids, "kind", "url", "licence"
    )
    links = _typed(
        "links",
        {
            "milestone_id": [report_ids[row[0]] for row in link_rows],
            "kind": [row[1] for row in link_rows],
            "url": [row[2].strip().rstrip("/") for row in link_rows],
            "open": [
                (row[1] == LinkKind.REPOSITORY and row[3] in OPEN_CODE_LICENCES)
                or (row[1] == LinkKind.DATASET and row[3] in OPEN_DATA_LICENCES)
                for row in link_rows
            ],
        },
    )
    collaboration_rows = _of_reports(
        GovernmentCollaboration.objects.filter(report__in=submitted),
        report_ids,
        "body",
        "level",
        "kind",
        "description",
    )
    collaborations = _typed(
        "collaborations",
        {
            "milestone_id": [report_ids[row[0]] for row in collaboration_rows],
            "body": [row[1] for row in collaboration_rows],
            "level": [row[2] for row in collaboration_rows],
            "kind": [row[3] for row in collaboration_rows],
            "description": [row[4] or "" for row in collaboration_rows],
        },
    )
    return reports, links, collaborations


def load_final_reports() -> pd.DataFrame:
    rows = list(
        FinalReport.objects.filter(grant__application__state__in=PUBLISHED_STATES)
        .order_by()
        .values_list(
            "grant_id",
            "state",
            "submitted_at",
            "follow_up_funding",
            "follow_up_funder",
            "proof_of_use__accepted_at",
            "proof_of_use__accepted_grant_spent",
        )
    )
    return _typed(
        "final_reports",
        {
            "grant_id": [row[0] for row in rows],
            "accepted": [row[1] == FinalReportState.ACCEPTED for row in rows],
            "submitted_on": local_days(row[2] for row in rows),
            "follow_up": [cents(row[3]) for row in rows],
            "funder": [row[4] or "" for row in rows],
            "proof_on": local_days(row[5] for row in rows),
            "spent": [cents(row[6]) for row in rows],
        },
    )


def load_changes() -> pd.DataFrame:
    rows = list(
        ChangeRequest.objects.filter(
            grant__application__state__in=PUBLISHED_STATES,
            kind__in=(ChangeRequestKind.MILESTONE_DATE, ChangeRequestKind.END_DATE),
        )
        .order_by()
        .values_list("grant_id", "milestone_id", "kind", "state", "reason", "requested_at")
    )
    return _typed(
        "changes",
        {
            "grant_id": [row[0] for row in rows],
            "milestone_id": pd.array([row[1] for row in rows], dtype="Int64"),
            "kind": [row[2] for row in rows],
            "approved": [row[3] == ChangeRequestState.APPROVED for row in rows],
            "reason": [row[4] or "" for row in rows],
            "requested_on": local_days(row[5] for row in rows),
        },
    )


def withheld_grant_ids(viewer) -> frozenset[int]:
    """The funded projects withheld from ``viewer`` (grants.visibility)."""
    withheld = None if viewer is None else withheld_applications(viewer)
    if withheld is None:
        return frozenset()
    return frozenset(
        Grant.objects.filter(application__state__in=PUBLISHED_STATES, application__in=withheld)
        .order_by()
        .values_list("pk", flat=True)
    )


def load(*, viewer=None) -> ReportData:
    """Everything the figures need: fifteen flat queries, the targets, the calls' tracks and
    the concepts of two-stage calls included (sixteen for a ``viewer``: the
    projects withheld from them), however many rows there are. Without a viewer (the
    quarterly report, the command line) nothing is withheld."""
    reports, links, collaborations = load_reports()
    frames = Frames(
        applications=load_applications(),
        grants=load_grants(),
        payments=load_payments(),
        milestones=load_milestones(),
        reports=reports,
        links=links,
        collaborations=collaborations,
        final_reports=load_final_reports(),
        changes=load_changes(),
    )
    calls = {
        row[0]: CallInfo(*row[:7], budget=cents(row[7]))
        for row in Call.objects.order_by().values_list(
            "pk", "slug", "title_de", "title_en", "year", "round_number", "state", "budget"
        )
    }
    frames.calls = calls_frame(calls.values())
    topics = {
        row[0]: TopicInfo(*row)
        for row in Topic.objects.order_by().values_list("pk", "slug", "name_de", "name_en")
    }
    return ReportData(
        frames=frames,
        calls=calls,
        topics=topics,
        tracks=load_tracks(),
        fund_name=fund_name(),
        withheld=withheld_grant_ids(viewer),
        targets=list(
            IndicatorTarget.objects.filter(value__isnull=False)
            # The whole fund's targets first, on every database (NULLs sort last on PostgreSQL).
            .order_by(F("call_id").asc(nulls_first=True), "indicator")
            .values_list("call_id", "indicator", "value")
        ),
        stages=load_stages(),
    )


def load_tracks() -> dict[int, TrackInfo]:
    return {
        row[0]: TrackInfo(*row[:6], removed=row[6] is not None)
        for row in CallTrack.objects.order_by().values_list(
            "pk", "call_id", "key", "name_de", "name_en", "position", "removed_at"
        )
    }


def calls_frame(calls) -> pd.DataFrame:
    calls = list(calls)
    return _typed(
        "calls",
        {
            "call_id": [call.pk for call in calls],
            "year": [call.year for call in calls],
            "decided": [call.decided for call in calls],
            "budget": [call.budget for call in calls],
        },
    )
