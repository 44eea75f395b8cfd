"""Demo data of the grants app: the fund, its topics, three calls and their applications.

Everything is deterministic: texts come from word lists through ``random.Random`` with
fixed seeds, and dates are fixed offsets from an anchor (midnight, Berlin time, on the
first day of the current month), so the story always fits "now": a decided past call,
a call closed a few weeks ago and now in review, and an open call.

Rows are written with ``bulk_create`` and states directly (the seed tells a past that no
service call could replay at today's date); the audit trail is written alongside so
that every timeline is consistent. A call that already has applications is left alone,
which makes a second run a no-op.
"""

import datetime as dt
import random
import re
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.text import slugify

from accounts.demo import DEMO_DOMAIN, FIRST_NAMES, LAST_NAMES
from grants.demo_texts import (
    APPROACH_MORE,
    APPROACH_OPENING,
    CHALLENGE_CLOSING,
    CHALLENGES,
    EXPERIENCE_INDIVIDUAL,
    EXPERIENCE_MORE,
    EXPERIENCE_TEAM,
    GROUPS,
    INELIGIBILITY_NOTES,
    MILESTONE_FIRST,
    MILESTONE_LAST,
    MILESTONE_MIDDLE,
    NAME_PREFIXES_DE,
    NAME_PREFIXES_EN,
    NAME_SUFFIXES,
    OTHER_PROJECTS,
    PRIOR_WORK,
    QUESTIONS,
    SIMILAR,
    SUMMARY_MORE,
    SUMMARY_OPENING,
    TAGLINES,
    TARGET_MORE,
    TARGET_OPENING,
    TECHNOLOGIES,
    WITHDRAWAL_NOTES,
)
from grants.models import (
    Application,
    Call,
    Fund,
    InformationRequest,
    PlannedMilestone,
    TeamMember,
    Topic,
    TransitionLog,
)
from grants.states import (
    WORD_LIMITS,
    ApplicationState,
    CallState,
    Licence,
    Track,
)
from grants.wordcount import count_words

S = ApplicationState
DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)
ROUNDS_PER_YEAR = 3

TOPICS = {
    "open-data": ("Offene Daten", "Open Data"),
    "civic-tech": ("Civic Tech", "Civic Tech"),
    "data-security": ("Datensicherheit", "Data Security"),
}

CALL_RULES = {
    "budget": Decimal("1500000.00"),
    "cap_individual_6": Decimal("47500.00"),
    "cap_individual_10": Decimal("79167.00"),
    "cap_team_6": Decimal("95000.00"),
    "cap_team_10": Decimal("158000.00"),
    "hourly_rate": Decimal("50.00"),
    "overhead_percent": Decimal("5.00"),
    "funding_rate_percent": Decimal("95.00"),
    "reviews_per_application": 3,
}


@dataclass(frozen=True)
class SeedSize:
    generated_applicants: int
    # State → number of applications, the demo applicant's own ones included.
    past: dict
    current: dict
    open: dict
    past_answered_requests: int
    current_open_requests: int
    current_answered_requests: int


SIZES = {
    "small": SeedSize(
        generated_applicants=12,
        past={S.FUNDED: 2, S.APPROVED: 1, S.WAITLISTED: 1, S.REJECTED: 2, S.INELIGIBLE: 1,
              S.WITHDRAWN: 1},
        current={S.SUBMITTED: 3, S.ELIGIBLE: 2, S.IN_REVIEW: 4, S.INELIGIBLE: 2, S.WITHDRAWN: 1},
        open={S.DRAFT: 2, S.SUBMITTED: 1},
        past_answered_requests=1,
        current_open_requests=2,
        current_answered_requests=2,
    ),
    "realistic": SeedSize(
        generated_applicants=300,
        past={S.FUNDED: 18, S.APPROVED: 2, S.WAITLISTED: 6, S.REJECTED: 70, S.INELIGIBLE: 16,
              S.WITHDRAWN: 8},
        current={S.SUBMITTED: 35, S.ELIGIBLE: 45, S.IN_REVIEW: 170, S.INELIGIBLE: 35,
                 S.WITHDRAWN: 15},
        open={S.DRAFT: 26, S.SUBMITTED: 13, S.WITHDRAWN: 1},
        past_answered_requests=10,
        current_open_requests=12,
        current_answered_requests=25,
    ),
}  # fmt: skip

TRACK_WEIGHTS = {
    Track.INDIVIDUAL_6: 35,
    Track.TEAM_6: 30,
    Track.INDIVIDUAL_10: 15,
    Track.TEAM_10: 20,
}
TOPIC_WEIGHTS = {"open-data": 40, "civic-tech": 35, "data-security": 25}
LICENCE_WEIGHTS = {Licence.MIT: 20, Licence.AGPL_3: 18, Licence.GPL_3: 15, Licence.APACHE_2: 15,
                   Licence.EUPL_12: 10, Licence.MPL_2: 8, Licence.BSD_3: 5, Licence.LGPL_3: 4,
                   Licence.BSD_2: 2, Licence.ISC: 2, Licence.GPL_2: 1}  # fmt: skip
CODE_HOSTS = ("codeberg.org", "github.com", "gitlab.com")


# ---------------------------------------------------------------------------------------
# Fund, topics, calls.


def demo_anchor(today: dt.date | None = None) -> dt.datetime:
    """Midnight, Berlin time, on the first day of the current month: every demo date is a
    fixed offset from it, so runs within a month write identical rows."""
    today = today or timezone.localdate()
    return timezone.make_aware(dt.datetime.combine(today.replace(day=1), dt.time.min))


def _midnight(moment: dt.datetime) -> dt.datetime:
    local = timezone.localtime(moment)
    return timezone.make_aware(dt.datetime.combine(local.date(), dt.time.min))


def _round_of(closes_at: dt.datetime) -> tuple[int, int]:
    """Three rounds a year, named by the third of the year of their closing day."""
    closing_day = timezone.localtime(closes_at - dt.timedelta(microseconds=1)).date()
    return closing_day.year, (closing_day.month - 1) // 4 + 1


def _shift_round(year: int, number: int, by: int) -> tuple[int, int]:
    index = year * ROUNDS_PER_YEAR + number - 1 + by
    return index // ROUNDS_PER_YEAR, index % ROUNDS_PER_YEAR + 1


@dataclass
class CallPlan:
    kind: str  # past, current, open
    year: int
    round_number: int
    opens_at: dt.datetime
    closes_at: dt.datetime
    state: str
    # Phases after the deadline (staff screening, jury review, decisions).
    screening_until: dt.datetime | None = None
    review_started_at: dt.datetime | None = None
    review_closed_at: dt.datetime | None = None
    decided_at: dt.datetime | None = None


def call_plans(anchor: dt.datetime) -> list[CallPlan]:
    current_closes = _midnight(anchor - 14 * DAY)
    year, number = _round_of(current_closes)
    past_closes = _midnight(anchor - 150 * DAY)
    return [
        CallPlan(
            "past",
            *_shift_round(year, number, -1),
            opens_at=_midnight(past_closes - 60 * DAY),
            closes_at=past_closes,
            state=CallState.DECIDED,
            screening_until=past_closes + 15 * DAY,
            review_started_at=past_closes + 18 * DAY + 10 * HOUR,
            review_closed_at=past_closes + 50 * DAY + 16 * HOUR,
            decided_at=past_closes + 70 * DAY + 11 * HOUR,
        ),
        CallPlan(
            "current",
            year,
            number,
            opens_at=_midnight(current_closes - 86 * DAY),
            closes_at=current_closes,
            state=CallState.IN_REVIEW,
            screening_until=current_closes + 9 * DAY,
            review_started_at=current_closes + 10 * DAY + 10 * HOUR,
        ),
        CallPlan(
            "open",
            *_shift_round(year, number, 1),
            opens_at=_midnight(anchor - 10 * DAY),
            closes_at=_midnight(anchor + 95 * DAY),
            state=CallState.OPEN,
        ),
    ]


def seed_fund() -> tuple[Fund, dict[str, Topic]]:
    fund, _ = Fund.objects.update_or_create(
        reference_prefix="CTF", defaults={"name": "Civic Tech Fund"}
    )
    topics = {
        slug: Topic.objects.update_or_create(
            fund=fund, slug=slug, defaults={"name_de": name_de, "name_en": name_en}
        )[0]
        for slug, (name_de, name_en) in TOPICS.items()
    }
    return fund, topics


def _call_texts(plan: CallPlan) -> dict:
    closing_day = timezone.localtime(plan.closes_at - dt.timedelta(microseconds=1)).date()
    de_day, en_day = closing_day.strftime("%d.%m.%Y"), closing_day.isoformat()
    return {
        "title_de": f"Förderrunde {plan.year}/{plan.round_number}",
        "title_en": f"Funding round {plan.year}/{plan.round_number}",
        "description_de": (
            "Gefördert werden Open-Source-Prototypen in den Bereichen offene Daten, Civic Tech "
            "und Datensicherheit. Einzelpersonen erhalten bis zu 47.500 €, Teams bis zu 95.000 € "
            "für sechs Monate (zehn Monate: 79.167 € bzw. 158.000 €). "
            f"Einsendeschluss ist der {de_day}, 23:59 Uhr (Berliner Zeit)."
        ),
        "description_en": (
            "The fund supports open-source prototypes in open data, civic tech and data security. "
            "Individuals receive up to €47,500, teams up to €95,000 for six months (ten months: "
            f"€79,167 or €158,000). The deadline is {en_day}, 23:59 Berlin time."
        ),
    }


def seed_call(*, fund: Fund, plan: CallPlan, staff) -> tuple[Call, bool]:
    """Create the call of ``plan`` unless it exists; an existing call is left as it is."""
    call, created = Call.objects.get_or_create(
        fund=fund,
        year=plan.year,
        round_number=plan.round_number,
        defaults={
            "slug": f"{plan.year}-{plan.round_number}",
            "opens_at": plan.opens_at,
            "closes_at": plan.closes_at,
            "state": plan.state,
            **CALL_RULES,
            **_call_texts(plan),
        },
    )
    if created:
        created_at = plan.opens_at - 21 * DAY + 10 * HOUR
        Call.objects.filter(pk=call.pk).update(created_at=created_at)
        C = CallState
        opened = plan.opens_at - 7 * DAY + 11 * HOUR
        events = [(created_at, "created", "", C.DRAFT), (opened, "opened", C.DRAFT, C.OPEN)]
        if plan.kind != "open":
            events.append((plan.closes_at + HOUR, "closed", C.OPEN, C.CLOSED))
            events.append((plan.review_started_at - HOUR, "review_started", C.CLOSED, C.IN_REVIEW))
        if plan.kind == "past":
            events.append((plan.decided_at + HOUR, "decided", C.IN_REVIEW, C.DECIDED))
        _write_logs(
            [
                (call, LogEvent(at, f"grants.call.{action}", from_state, to_state, staff))
                for at, action, from_state, to_state in events
            ]
        )
        call.refresh_from_db()
    return call, created


# ---------------------------------------------------------------------------------------
# Applications.


@dataclass
class LogEvent:
    at: dt.datetime
    action: str
    from_state: str
    to_state: str
    actor: object
    note: str = ""
    visible_to_applicant: bool = False


@dataclass
class AppPlan:
    """One application to write: its final state, owner and story."""

    state: str
    owner: object
    request: str = ""  # "", "open" or "answered": an information request
    question: int | None = None  # index into QUESTIONS; random when None
    request_due: dt.date | None = None
    partial: bool = False  # a draft still being written
    fields: dict = field(default_factory=dict)
    milestones: list = field(default_factory=list)
    members: list = field(default_factory=list)
    events: list = field(default_factory=list)
    information_request: InformationRequest | None = None
    application: Application | None = None

    @property
    def lang(self) -> int:
        return 0 if self.owner.language == "de" else 1


def _pick_weighted(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _fit(sentences: list[str], limit: int) -> str:
    """Join sentences, dropping from the end until the text is within the word limit."""
    while sentences and count_words(" ".join(sentences)) > limit:
        sentences = sentences[:-1]
    return " ".join(sentences)


def _max_hours(call: Call, track: str) -> int:
    """The most hours whose requested funding stays within the track's cap."""
    per_hour = call.hourly_rate * (100 + call.overhead_percent) * call.funding_rate_percent / 10000
    hours = int((call.cap_for(track) / per_hour).to_integral_value(rounding=ROUND_FLOOR))
    probe = Application(call=call, track=track)
    while not probe.budget(hours)["within_cap"]:
        hours -= 1
    return hours


def _write_logs(entries: list[tuple[object, LogEvent]]) -> None:
    """Insert audit entries in time order, each with the time of its event (the log is
    append-only: rows are written once, never updated)."""
    entries = sorted(entries, key=lambda entry: (entry[1].at, entry[0].pk))
    content_types = {}
    logs = []
    for subject, event in entries:
        model = type(subject)
        if model not in content_types:
            content_types[model] = ContentType.objects.get_for_model(model)
        logs.append(
            TransitionLog(
                content_type=content_types[model],
                object_id=subject.pk,
                action=event.action,
                from_state=event.from_state,
                to_state=event.to_state,
                actor=event.actor,
                note=event.note,
                visible_to_applicant=event.visible_to_applicant,
                created_at=event.at,
            )
        )
    TransitionLog.objects.bulk_create(logs, batch_size=500)


class _ApplicationWriter:
    """Generates the content and history of the applications of one call, and writes them."""

    def __init__(self, *, call: Call, plan: CallPlan, topics, staff, anchor):
        self.call, self.plan, self.topics, self.staff, self.anchor = (
            call,
            plan,
            topics,
            staff,
            anchor,
        )
        self.rng = random.Random(f"civic-tech-fund demo applications {call.slug}")
        self.max_hours = {track: _max_hours(call, track) for track in Track.values}
        names = [
            prefix + (suffix.capitalize() if prefix in NAME_PREFIXES_EN else suffix)
            for prefix in NAME_PREFIXES_DE + NAME_PREFIXES_EN
            for suffix in NAME_SUFFIXES
        ]
        self.names = self.rng.sample(names, len(names))

    def _between(self, start: dt.datetime, end: dt.datetime, mode: float = 0.5) -> dt.datetime:
        seconds = max(int((end - start).total_seconds()), 1)
        return start + dt.timedelta(seconds=int(self.rng.triangular(0, seconds, seconds * mode)))

    def build(self, index: int, app: AppPlan, *, track=None, topic_slug=None) -> None:
        """Title, texts, milestones and team: plausible, complete and within the cap."""
        rng, lang = self.rng, app.lang
        track = track or _pick_weighted(rng, TRACK_WEIGHTS)
        topic_slug = topic_slug or _pick_weighted(rng, TOPIC_WEIGHTS)
        name = self.names[index % len(self.names)]
        tagline = rng.choice(TAGLINES[topic_slug])[lang]
        words = {"name": name, "subject": tagline, "group": rng.choice(GROUPS)[lang]}
        technology = rng.choice(TECHNOLOGIES).replace(" und ", (" und ", " and ")[lang])
        experience = EXPERIENCE_TEAM if Track.is_team(track) else EXPERIENCE_INDIVIDUAL
        texts = {
            "summary": [SUMMARY_OPENING, *rng.sample(SUMMARY_MORE, rng.randint(1, 3))],
            "societal_challenge": [
                *CHALLENGES[topic_slug][: rng.randint(2, 3)],
                CHALLENGE_CLOSING,
            ],
            "technical_approach": [APPROACH_OPENING, *rng.sample(APPROACH_MORE, rng.randint(2, 4))],
            "prior_work": rng.sample(PRIOR_WORK, rng.randint(1, 2)),
            "similar_approaches": [rng.choice(SIMILAR)],
            "target_group": [TARGET_OPENING, TARGET_MORE][: rng.randint(1, 2)],
            "team_experience": [experience, EXPERIENCE_MORE][: rng.randint(1, 2)],
        }
        words |= {
            "tech": technology,
            "count": rng.randint(6, 40),
            "other": rng.choice(OTHER_PROJECTS),
            "years": rng.randint(3, 18),
        }
        app.fields = {
            section: _fit([pair[lang].format(**words) for pair in pairs], WORD_LIMITS[section])
            for section, pairs in texts.items()
        }
        slug = slugify(name)
        host = rng.choice(CODE_HOSTS)
        app.fields |= {
            "call": self.call,
            "owner": app.owner,
            "track": track,
            "topic": self.topics[topic_slug],
            "title": f"{name}: {tagline}",
            "licence": _pick_weighted(rng, LICENCE_WEIGHTS),
            "repository_url": f"https://{host}/{slug}/{slug}" if rng.random() < 0.85 else "",
            "version": rng.randint(2, 9),
        }
        # 3–5 milestones whose hours keep the requested amount within the track's cap.
        months, count, upper = Track.months(track), rng.randint(3, 5), self.max_hours[track]
        total = rng.randint(int(upper * 0.55), upper) // 10 * 10
        weights = [rng.uniform(0.6, 1.4) for _ in range(count)]
        hours = [int(total * weight / sum(weights)) // 10 * 10 for weight in weights]
        hours[-1] += total - sum(hours)
        due = [*sorted(rng.sample(range(1, months), count - 1)), months]
        phases = [MILESTONE_FIRST, *rng.sample(MILESTONE_MIDDLE, count - 2), MILESTONE_LAST]
        app.milestones = [
            PlannedMilestone(
                position=position,
                title=phase[lang][0],
                deliverable=phase[lang][1],
                month=month,
                hours=hour,
            )
            for position, (phase, month, hour) in enumerate(
                zip(phases, due, hours, strict=True), start=1
            )
        ]
        if Track.is_team(track):
            people = [(first, last) for first in FIRST_NAMES for last in LAST_NAMES[:12]]
            app.members = [
                TeamMember(
                    name=f"{first} {last}",
                    email=f"{slugify(first)}.{slugify(last)}@{DEMO_DOMAIN}",
                )
                for first, last in rng.sample(people, rng.randint(1, 3))
            ]
        if app.partial:
            for section in rng.sample(sorted(WORD_LIMITS), rng.randint(2, 5)):
                app.fields[section] = ""
            app.milestones = app.milestones[: rng.randint(0, 2)]
        total = sum(milestone.hours for milestone in app.milestones)
        app.fields["total_hours"] = total
        app.fields["requested_amount"] = Application(call=self.call, track=track).budget(total)[
            "requested"
        ]

    def timeline(self, index: int, app: AppPlan) -> None:
        """The audit trail that leads to the application's state, with consistent times."""
        plan, rng, staff, owner, lang = self.plan, self.rng, self.staff, app.owner, app.lang
        window_end = min(plan.closes_at, self.anchor)
        created = self._between(plan.opens_at + HOUR, window_end - 2 * DAY, 0.6)
        app.fields["created_at"] = created
        events = [LogEvent(created, "grants.application.created", "", S.DRAFT, owner, "", True)]
        app.events = events
        if app.state == S.DRAFT:
            app.fields["version"] = rng.randint(1, 6)
            return

        def log(at, action, from_state, to_state, actor, note="", visible=True):
            action = f"grants.application.{action}"
            events.append(LogEvent(at, action, from_state, to_state, actor, note, visible))

        submitted = self._between(created + HOUR, window_end - dt.timedelta(minutes=1), 0.9)
        app.fields["submitted_at"] = submitted
        log(submitted, "submitted", S.DRAFT, S.SUBMITTED, owner)
        closes = plan.closes_at
        if app.request:
            question_index = rng.randrange(len(QUESTIONS)) if app.question is None else app.question
            question, answer, sections = QUESTIONS[question_index]
            if app.request == "open":
                asked = self._between(closes + 2 * DAY, min(closes + 12 * DAY, self.anchor - HOUR))
            else:
                asked = self._between(closes + HOUR, closes + 4 * DAY)
            request = InformationRequest(
                question=question[lang],
                editable_sections=sections,
                due_on=app.request_due or (asked + 14 * DAY).date(),
                asked_by=staff,
                asked_at=asked,
            )
            app.information_request = request
            log(asked, "information_requested", S.SUBMITTED, S.SUBMITTED, staff, question[lang])
            if app.request == "answered":
                request.answer, request.answered_by = answer[lang], owner
                request.answered_at = asked + dt.timedelta(seconds=rng.randint(7200, 3 * 86400))
                app.fields["version"] += 1
                answered = request.answered_at
                log(answered, "information_provided", S.SUBMITTED, S.SUBMITTED, owner, answer[lang])
        last = events[-1].at
        state = app.state
        if state == S.WITHDRAWN:
            end = min(plan.screening_until or window_end, self.anchor - HOUR)
            at = self._between(last + HOUR, max(end, last + 2 * HOUR), 0.3)
            note = rng.choice(WITHDRAWAL_NOTES)[lang]
            log(at, "withdrawn", S.SUBMITTED, S.WITHDRAWN, owner, note)
        if state in (S.SUBMITTED, S.WITHDRAWN):
            return
        screened = self._between(
            max(last, closes) + HOUR, max(plan.screening_until, last + 2 * HOUR), 0.4
        )
        if state == S.INELIGIBLE:
            reasons = rng.sample(sorted(INELIGIBILITY_NOTES), rng.choice((1, 1, 1, 2)))
            note = " ".join(INELIGIBILITY_NOTES[reason][lang] for reason in reasons)
            app.fields["ineligibility_reasons"] = reasons
            app.fields["screening_note"] = note
            log(screened, "screened_ineligible", S.SUBMITTED, S.INELIGIBLE, staff, note)
            return
        log(screened, "screened_eligible", S.SUBMITTED, S.ELIGIBLE, staff)
        if state == S.ELIGIBLE:
            return
        offset = dt.timedelta(seconds=index)  # bulk actions: one second apart
        started = plan.review_started_at + offset
        log(started, "review_started", S.ELIGIBLE, S.IN_REVIEW, staff, visible=False)
        if state == S.IN_REVIEW:
            return
        closed = plan.review_closed_at + offset
        log(closed, "review_closed", S.IN_REVIEW, S.REVIEWED, staff, visible=False)
        decision = S.APPROVED if state == S.FUNDED else state
        decided = plan.decided_at + offset
        log(decided, decision, S.REVIEWED, decision, staff)
        if state == S.FUNDED:
            signed = decided + dt.timedelta(seconds=rng.randint(5 * 86400, 20 * 86400))
            log(signed, "agreement_signed", S.APPROVED, S.FUNDED, staff)

    def write(self, apps: list[AppPlan]) -> None:
        for index, app in enumerate(apps):
            self.timeline(index, app)
        # References follow the order in which the drafts were started.
        apps.sort(key=lambda app: (app.fields["created_at"], app.owner.email))
        prefix = f"{self.call.fund.reference_prefix}-{self.call.year}-{self.call.round_number}"
        for sequence, app in enumerate(apps, start=1):
            app.application = Application(
                state=app.state, reference=f"{prefix}-{sequence:04d}", **app.fields
            )
        applications = [app.application for app in apps]
        Application.objects.bulk_create(applications, batch_size=250)
        # created_at / updated_at are automatic on insert: restore the story's times. Every
        # transition and the applicant's answer saved the application; a question did not.
        for app in apps:
            app.application.created_at = app.fields["created_at"]
            app.application.updated_at = max(
                event.at
                for event in app.events
                if event.action != "grants.application.information_requested"
            )
        Application.objects.bulk_update(applications, ["created_at", "updated_at"], batch_size=250)
        milestones, members, requests = [], [], []
        for app in apps:
            for milestone in app.milestones:
                milestone.application = app.application
                milestones.append(milestone)
            for member in app.members:
                member.application = app.application
                member.invited_at = app.application.submitted_at
                members.append(member)
            if app.information_request is not None:
                app.information_request.application = app.application
                requests.append(app.information_request)
        PlannedMilestone.objects.bulk_create(milestones, batch_size=500)
        TeamMember.objects.bulk_create(members, batch_size=500)
        asked = [request.asked_at for request in requests]
        InformationRequest.objects.bulk_create(requests)
        for request, at in zip(requests, asked, strict=True):
            request.asked_at = at
        InformationRequest.objects.bulk_update(requests, ["asked_at"])
        _write_logs([(app.application, event) for app in apps for event in app.events])
        Call.objects.filter(pk=self.call.pk).update(last_sequence=len(apps))


def _own_applications(plan: CallPlan, demo, anchor) -> list[tuple[AppPlan, str, str]]:
    """The demo applicant's applications (with track and topic), so that each of their
    screens has something to show: a draft to finish, a question to answer, decisions."""
    return {
        "past": [
            (AppPlan(S.FUNDED, demo), Track.TEAM_6, "open-data"),
            (AppPlan(S.REJECTED, demo), Track.INDIVIDUAL_6, "civic-tech"),
        ],
        "current": [
            (
                AppPlan(
                    S.SUBMITTED,
                    demo,
                    request="open",
                    question=0,
                    request_due=(anchor + 35 * DAY).date(),
                ),
                Track.INDIVIDUAL_10,
                "data-security",
            ),
            (AppPlan(S.IN_REVIEW, demo, request="answered"), Track.TEAM_10, "open-data"),
        ],
        "open": [(AppPlan(S.DRAFT, demo), Track.TEAM_6, "civic-tech")],
    }[plan.kind]


def seed_applications(*, call: Call, plan: CallPlan, size: SeedSize, topics, users, anchor) -> int:
    """Write the applications of a call that has none yet. Returns how many."""
    staff = users[f"staff@{DEMO_DOMAIN}"]
    demo = users[f"applicant@{DEMO_DOMAIN}"]
    generated = [
        user
        for email, user in sorted(users.items())
        if re.fullmatch(rf"applicant\d+@{re.escape(DEMO_DOMAIN)}", email)
    ]
    writer = _ApplicationWriter(call=call, plan=plan, topics=topics, staff=staff, anchor=anchor)
    rng = writer.rng
    own = _own_applications(plan, demo, anchor)
    states = [state for state, count in getattr(size, plan.kind).items() for _ in range(count)]
    for app, _track, _topic in own:
        states.remove(app.state)
    rng.shuffle(states)
    apps = [
        AppPlan(state, owner)
        for state, owner in zip(states, rng.sample(generated, len(states)), strict=True)
    ]
    if plan.kind == "current":
        waiting = [app for app in apps if app.state == S.SUBMITTED]
        for app in rng.sample(waiting, size.current_open_requests - 1):
            app.request = "open"
        answerable = (S.SUBMITTED, S.ELIGIBLE, S.IN_REVIEW, S.INELIGIBLE)
        candidates = [app for app in apps if app.state in answerable and not app.request]
        for app in rng.sample(candidates, size.current_answered_requests - 1):
            app.request = "answered"
    elif plan.kind == "past":
        candidates = [app for app in apps if app.state != S.WITHDRAWN]
        for app in rng.sample(candidates, size.past_answered_requests):
            app.request = "answered"
    else:
        drafts = [app for app in apps if app.state == S.DRAFT]
        for app in drafts[: len(drafts) // 2]:
            app.partial = True
    for index, (app, track, topic_slug) in enumerate(own):
        writer.build(index, app, track=track, topic_slug=topic_slug)
    for index, app in enumerate(apps, start=len(own)):
        writer.build(index, app)
    if plan.kind == "open":
        # The demo draft lacks one section, so that the completeness check has a point to make.
        own[0][0].fields["similar_approaches"] = ""
    all_apps = [app for app, _track, _topic in own] + apps
    if plan.kind == "past":
        _keep_commitments_within_budget(call, all_apps)
    writer.write(all_apps)
    return len(all_apps)


def _keep_commitments_within_budget(call: Call, apps: list[AppPlan]) -> None:
    """Approved and funded applications never commit more than the call's budget; what
    does not fit is waitlisted."""
    committed = Decimal("0")
    for app in apps:
        if app.state in (S.APPROVED, S.FUNDED):
            amount = app.fields["requested_amount"]
            if committed + amount > call.budget:
                app.state = S.WAITLISTED
            else:
                committed += amount


def seed_grants(*, size: str, users, anchor: dt.datetime) -> dict[str, int]:
    """Fund, topics, the three calls and their applications. Returns applications written
    per call kind (0 where the call already had applications)."""
    fund, topics = seed_fund()
    staff = users[f"staff@{DEMO_DOMAIN}"]
    written = {}
    for plan in call_plans(anchor):
        call, _created = seed_call(fund=fund, plan=plan, staff=staff)
        if call.applications.exists():
            written[plan.kind] = 0
            continue
        written[plan.kind] = seed_applications(
            call=call, plan=plan, size=SIZES[size], topics=topics, users=users, anchor=anchor
        )
    return written
