"""Open data: every funded grant as a record, streamed from the database with flat memory.
The 360Giving export (JSON, standard 1.4) and the public transparency page are both made
from these records, so they always agree.

Published are grants whose agreement has been signed (funded, final report due, completed,
terminated): the same projects ministry viewers see. The grantee's name only with their
consent (``Grant.publication_consent``); otherwise the recipient is an anonymous individual
with an identifier that names the grant, not the person. Links that can carry a person's
name (a code repository under a personal account: github.com/<name>/…) are published only
with the same consent. Never bank details."""

import datetime as dt
import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation

from core.identity import fund_name, reference_prefix
from grants.contracts.commitments import committed
from grants.models import Answer, Application, ChangeRequest, Fund, Grant, Payment, ReportLink
from grants.queries import flag_questions
from grants.questions import flagged_texts
from grants.states import (
    ApplicationState,
    ChangeRequestKind,
    ChangeRequestState,
    LinkKind,
    MilestoneStateGroup,
    PaymentKind,
)
from reporting.data import PUBLISHED_STATES, consented_link
from workflow.actions import transition_custom
from workflow.models import TransitionLog

CHUNK = 1000
ANONYMOUS_NAME = "Individual recipient"
LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"


@dataclass
class Disbursement:
    position: int
    paid_on: dt.date
    amount: Decimal


@dataclass
class PublishedGrant:
    grant_id: int
    reference: str
    title: str
    description: str
    call_slug: str
    call_title_de: str
    call_title_en: str
    call_year: int
    topic_slug: str
    topic_name_de: str
    topic_name_en: str
    state: str
    requested: Decimal
    award: Decimal
    committed: Decimal  # grants.contracts.commitments: a terminated grant, only what was released
    award_date: dt.date
    starts_on: dt.date
    ends_on: dt.date
    planned_end: dt.date
    actual_end: dt.date | None
    months: int
    recipient: str  # "" unless the grantee consented to publication
    code_url: str  # the same
    disbursements: list[Disbursement] = field(default_factory=list)
    # (question in English, answer) of the questions published once funded.
    public_answers: list[tuple[str, str]] = field(default_factory=list)
    # The call's track the grant was applied for (grants.CallTrack).
    track_key: str = ""
    track_name_de: str = ""
    track_name_en: str = ""

    @property
    def disbursed(self) -> Decimal:
        return sum((d.amount for d in self.disbursements), Decimal("0.00"))

    def call_title(self, language: str) -> str:
        return self.call_title_en if language == "en" else self.call_title_de

    def topic_name(self, language: str) -> str:
        return self.topic_name_en if language == "en" else self.topic_name_de

    def track_name(self, language: str) -> str:
        return self.track_name_en if language == "en" else self.track_name_de


def _local_day(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(moment) if moment is not None else None


GRANT_FIELDS = (
    "pk",
    "funding_reference",
    "application__title",
    "application__summary",
    "application__call__slug",
    "application__call__title_de",
    "application__call__title_en",
    "application__call__year",
    "application__topic__slug",
    "application__topic__name_de",
    "application__topic__name_en",
    "application__track__key",
    "application__track__name_de",
    "application__track__name_en",
    "application__state",
    "application__requested_amount",
    "amount",
    "application__decided_at",
    "accepted_at",
    "starts_on",
    "ends_on",
    "months",
    "publication_consent",
    "application__owner__full_name",
    "application__repository_url",
    "application_id",
    "committed",
)


def published_grants() -> Iterator[PublishedGrant]:
    """Every published grant in funding-reference order, with its bank transfers. Two
    streamed queries (grants, and paid entries in the same order, merged as they come) and
    three small ones (original end dates, termination dates, reported code repositories),
    whatever the number of grants."""
    published = Grant.objects.filter(application__state__in=PUBLISHED_STATES)
    original_end = {}
    for grant_id, old_date in (
        ChangeRequest.objects.filter(
            grant__in=published,
            kind=ChangeRequestKind.END_DATE,
            state=ChangeRequestState.APPROVED,
        )
        .order_by("decided_at", "pk")
        .values_list("grant_id", "old_date")
    ):
        original_end.setdefault(grant_id, old_date)
    terminated_on = {
        object_id: _local_day(moment)
        for object_id, moment in TransitionLog.objects.filter(
            content_type__app_label="grants",
            content_type__model="application",
            action=transition_custom(Application, "terminate")["action"],
        ).values_list("object_id", "created_at")
    }
    repositories = dict(
        ReportLink.objects.filter(
            report__milestone__grant__publication_consent=True,
            kind=LinkKind.REPOSITORY,
            report__submitted_at__isnull=False,
            report__milestone__state__in=MilestoneStateGroup.DONE,
            report__milestone__grant__in=published,
        )
        .order_by("report__milestone__grant_id", "pk")
        .values_list("report__milestone__grant_id", "url")
    )
    payments = (
        Payment.objects.filter(kind=PaymentKind.PAID, grant__in=published)
        .order_by("grant__funding_reference", "pk")
        .values_list("grant_id", "milestone__position", "paid_on", "amount")
        .iterator(chunk_size=CHUNK)
    )
    public_questions = flag_questions("public_when_funded")
    answers = _grouped(
        Answer.objects.filter(application__grant__in=published, question__in=list(public_questions))
        .annotate(grant_id=F("application__grant"))
        .order_by("application__grant__funding_reference", "pk")
        .iterator(chunk_size=CHUNK)
    )
    pending_answers = next(answers, None)
    pending = next(payments, None)
    rows = (
        published.annotate(committed=committed())
        .order_by("funding_reference")
        .values_list(*GRANT_FIELDS)
    )
    for row in rows.iterator(chunk_size=CHUNK):
        values = dict(zip(GRANT_FIELDS, row, strict=True))
        grant_id = values["pk"]
        state = values["application__state"]
        record = PublishedGrant(
            grant_id=grant_id,
            reference=values["funding_reference"],
            title=values["application__title"],
            description=values["application__summary"],
            call_slug=values["application__call__slug"],
            call_title_de=values["application__call__title_de"],
            call_title_en=values["application__call__title_en"],
            call_year=values["application__call__year"],
            topic_slug=values["application__topic__slug"] or "",
            topic_name_de=values["application__topic__name_de"] or "",
            topic_name_en=values["application__topic__name_en"] or "",
            track_key=values["application__track__key"] or "",
            track_name_de=values["application__track__name_de"] or "",
            track_name_en=values["application__track__name_en"] or "",
            state=state,
            requested=values["application__requested_amount"],
            award=values["amount"],
            committed=values["committed"],
            award_date=_local_day(values["application__decided_at"] or values["accepted_at"]),
            starts_on=values["starts_on"],
            ends_on=values["ends_on"],
            planned_end=original_end.get(grant_id, values["ends_on"]),
            actual_end=(
                terminated_on.get(values["application_id"])
                if state == ApplicationState.TERMINATED
                else values["ends_on"]
                if state == ApplicationState.COMPLETED
                else None
            ),
            months=values["months"],
            recipient=(
                values["application__owner__full_name"] if values["publication_consent"] else ""
            ),
            code_url=consented_link(
                values["publication_consent"],
                repositories.get(grant_id) or values["application__repository_url"],
            ),
        )
        while pending is not None and pending[0] == grant_id:
            record.disbursements.append(Disbursement(pending[1], pending[2], pending[3]))
            pending = next(payments, None)
        if pending_answers is not None and pending_answers[0] == grant_id:
            with translation.override("en"):  # open data speaks English
                record.public_answers = [
                    (question.label_en, text)
                    for question, text in flagged_texts(
                        public_questions,
                        pending_answers[1],
                        flag="public_when_funded",
                        consented=values["publication_consent"],
                    )
                ]
            pending_answers = next(answers, None)
        yield record


def _grouped(answers):
    """(grant id, its answers) from answers sorted by grant, one grant at a time."""
    for grant_id, group in itertools.groupby(answers, key=lambda answer: answer.grant_id):
        yield grant_id, list(group)


# 360Giving ---------------------------------------------------------------------------


def _amount(value: Decimal) -> float | int:
    return int(value) if value == value.to_integral_value() else float(value)


def publisher() -> dict:
    fund = Fund.objects.order_by("pk").first()
    prefix = fund.reference_prefix if fund else reference_prefix()
    return {
        "prefix": prefix,
        "name": fund_name(),
        "identifier": settings.OPEN_DATA_ORGANISATION_ID or f"360G-{prefix}",
    }


def grant_360(record: PublishedGrant, organisation: dict, site_url: str) -> dict:
    """One grant in the 360Giving Data Standard (1.4)."""
    prefix = organisation["prefix"]
    identifier = f"360G-{prefix}-{record.reference}"
    item = {
        "id": identifier,
        "title": record.title,
        "description": _description(record),
        "currency": "EUR",
        "amountAppliedFor": _amount(record.requested),
        "amountAwarded": _amount(record.award),
        "amountDisbursed": _amount(record.disbursed),
        "awardDate": record.award_date.isoformat(),
        "plannedDates": [
            {
                "startDate": record.starts_on.isoformat(),
                "endDate": record.planned_end.isoformat(),
                "duration": record.months,
            }
        ],
        "recipientIndividual": {
            "id": f"360G-{prefix}-IND-{record.reference}",
            "name": record.recipient or ANONYMOUS_NAME,
        },
        "fundingOrganization": [{"id": organisation["identifier"], "name": organisation["name"]}],
        "grantProgramme": [{"code": record.call_slug, "title": record.call_title_en}],
        "fromOpenCall": "Yes",
        "classifications": [
            {
                "vocabulary": f"360G-{prefix}-topics",
                "code": record.topic_slug,
                "title": record.topic_name_en,
            },
            *(
                [
                    {
                        "vocabulary": f"360G-{prefix}-tracks",
                        "code": record.track_key,
                        "title": record.track_name_en,
                    }
                ]
                if record.track_key
                else []
            ),
        ],
        "url": f"{site_url}{reverse('transparency')}#grant-{record.reference}",
    }
    if record.actual_end is not None:
        item["actualDates"] = [
            {"startDate": record.starts_on.isoformat(), "endDate": record.actual_end.isoformat()}
        ]
    if record.disbursements:
        item["disbursementTransaction"] = [
            {
                "id": f"{identifier}-{payment.position}",
                "transactionDate": payment.paid_on.isoformat(),
                "value": _amount(payment.amount),
                "currency": "EUR",
                "description": f"Milestone {payment.position}",
            }
            for payment in record.disbursements
        ]
    if record.code_url:
        item["relatedDocument"] = [
            {"id": f"{identifier}-code", "title": "Source code", "url": record.code_url}
        ]
    return item


def _description(record: PublishedGrant) -> str:
    """The proposal's summary, then its answers to the questions published once funded."""
    parts = [record.description or record.title]
    parts += [f"{question}: {answer}" for question, answer in record.public_answers]
    return "\n\n".join(parts)


def package_360(organisation: dict, site_url: str) -> dict:
    """The package's metadata (without its grants)."""
    now = timezone.now()
    return {
        "version": "1.4",
        "title": f"{organisation['name']}: funded grants",
        "description": (
            f"Every grant of the {organisation['name']} whose agreement has been signed: "
            "open-source prototypes in open data, civic tech and data security. Grantees "
            "who did not agree to publication are shown as an anonymous individual."
        ),
        "identifier": f"360G-{organisation['prefix']}-grants",
        "issued": timezone.localdate(now).isoformat(),
        "modified": now.replace(microsecond=0).isoformat(),
        "publisher": {
            "identifier": organisation["identifier"],
            "name": organisation["name"],
            "website": site_url + "/",
        },
        "license": LICENSE_URL,
        "accessURL": site_url + reverse("transparency"),
        "downloadURL": site_url + reverse("open_data_360giving"),
    }


def stream_360giving(site_url: str | None = None) -> Iterator[str]:
    """The 360Giving package as JSON text in pieces: the metadata, then one grant at a
    time, so that neither the server nor the command holds all grants in memory."""
    site_url = (site_url or settings.SITE_URL).rstrip("/")
    organisation = publisher()
    head = json.dumps(package_360(organisation, site_url), ensure_ascii=False, indent=1)
    yield head[:-2] + ',\n "grants": [\n'
    first = True
    for record in published_grants():
        piece = json.dumps(grant_360(record, organisation, site_url), ensure_ascii=False)
        yield ("  " if first else ",\n  ") + piece
        first = False
    yield "\n ]\n}\n"
