"""The grants part of the demo story, told through the services people use.

For each call: staff create and open it (``save_call``, ``transition_call``); applicants
start drafts, write them and submit (``start_application``, ``update_draft``,
``submit_application``); staff ask questions and applicants answer
(``request_information``, ``answer_information_request``); some withdraw
(``withdraw_application``); staff screen (``screen_application``), close the call and
start its review, which starts it for every eligible application. Each call happens at its
moment on a ``demo.timeline.Timeline``.

The review app's demo (demo/review.py) adds the jury's events to the same timeline: jurors,
conflicts, assignment, reviews (an application moves to "reviewed" with its last review)
and the decisions of both calls' juries. Agreements, milestones and payments of the
approved applications are told by demo/grants/contracts.py.
"""

import datetime as dt
import random
import re
from decimal import Decimal

from django.utils import timezone, translation
from django.utils.formats import date_format

from core.identity import fund_name, reference_prefix
from demo.accounts import DEMO_DOMAIN
from demo.grants.content import ProposalWriter
from demo.grants.plans import (
    CALL_RULES,
    DAY,
    DECIDED_KINDS,
    HOUR,
    MINUTE,
    PAST_CALL_BUDGET,
    SIZES,
    TOPICS,
    AppPlan,
    CallPlan,
    SeedSize,
    call_plans,
)
from demo.grants.texts import (
    ANSWER_ADDITIONS,
    CALL_CONTACT,
    CALL_FAQ,
    INELIGIBILITY_NOTES,
    QUESTIONS,
    WITHDRAWAL_NOTES,
)
from demo.timeline import Timeline
from grants.models import Application, Call, Fund, Topic
from grants.services.applications import (
    EDITABLE_FIELDS,
    answer_information_request,
    start_application,
    submit_application,
    update_draft,
    withdraw_application,
)
from grants.services.calls import save_call, transition_call
from grants.services.faq import save_faq
from grants.services.screening import (
    request_information,
    screen_application,
)
from grants.states import ApplicationState, Track

S = ApplicationState


def seed_fund() -> tuple[Fund, dict[str, Topic]]:
    """The fund and its topics: configuration an admin makes, not a workflow."""
    fund, _ = Fund.objects.update_or_create(
        reference_prefix=reference_prefix(), defaults={"name": fund_name()}
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
    # Each text writes the day as the rest of the page does in its language (config.formats):
    # "14. März 2027", "14 March 2027".
    with translation.override("de"):
        de_day = date_format(closing_day, "DATE_FORMAT")
    with translation.override("en"):
        en_day = date_format(closing_day, "DATE_FORMAT")
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


def _own_applications(plan: CallPlan, demo, anchor) -> list[tuple[AppPlan, str, str]]:
    """The demo applicant's applications (with track and topic), so that each of their
    screens has something to show: a draft to finish, a question to answer, decisions."""
    return {
        "older": [],
        "past": [
            # Approved; its agreement and milestones are told by demo/grants/contracts.py.
            (AppPlan(S.APPROVED, demo), Track.TEAM_10, "open-data"),
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


class CallStory:
    """One call from its creation to today: planned first (content and moments, from one
    seeded random generator), then told by the timeline."""

    def __init__(self, *, plan: CallPlan, fund, topics, users, size: SeedSize, anchor):
        self.plan, self.fund, self.size, self.anchor = plan, fund, size, anchor
        self.staff = users[f"staff@{DEMO_DOMAIN}"]
        self.demo = users[f"applicant@{DEMO_DOMAIN}"]
        self.generated = [
            user
            for email, user in sorted(users.items())
            if re.fullmatch(rf"applicant\d+@{re.escape(DEMO_DOMAIN)}", email)
        ]
        self.rng = random.Random(
            f"civic-tech-fund demo applications {plan.year}-{plan.round_number}"
        )
        # The rules are known before the call exists: proposals are written against them.
        rules = Call(fund=fund, **CALL_RULES)
        self.writer = ProposalWriter(call=rules, topics=topics, rng=self.rng)
        self.call = None  # created by the story
        self.budget = PAST_CALL_BUDGET if plan.kind in DECIDED_KINDS else CALL_RULES["budget"]
        self.apps = self._plan_applications()

    def _between(self, start: dt.datetime, end: dt.datetime, mode: float = 0.5) -> dt.datetime:
        seconds = max(int((end - start).total_seconds()), 1)
        return start + dt.timedelta(seconds=int(self.rng.triangular(0, seconds, seconds * mode)))

    # Planning.

    def _plan_applications(self) -> list[AppPlan]:
        plan, size, rng = self.plan, self.size, self.rng
        own = _own_applications(plan, self.demo, self.anchor)
        states = [state for state, count in getattr(size, plan.kind).items() for _ in range(count)]
        for app, _track, _topic in own:
            states.remove(app.state)
        rng.shuffle(states)
        apps = [
            AppPlan(state, owner)
            for state, owner in zip(states, rng.sample(self.generated, len(states)), strict=True)
        ]
        if plan.kind == "current":
            waiting = [app for app in apps if app.state == S.SUBMITTED]
            for app in rng.sample(waiting, size.current_open_requests - 1):
                app.request = "open"
            answerable = (S.SUBMITTED, S.ELIGIBLE, S.IN_REVIEW, S.INELIGIBLE)
            candidates = [app for app in apps if app.state in answerable and not app.request]
            for app in rng.sample(candidates, size.current_answered_requests - 1):
                app.request = "answered"
        elif plan.kind == "older":
            pass  # its questions are long answered and forgotten
        elif plan.kind == "past":
            candidates = [app for app in apps if app.state != S.WITHDRAWN]
            for app in rng.sample(candidates, size.past_answered_requests):
                app.request = "answered"
        else:
            drafts = [app for app in apps if app.state == S.DRAFT]
            for app in drafts[: len(drafts) // 2]:
                app.partial = True
        for index, (app, track, topic_slug) in enumerate(own):
            self.writer.write(index, app, track=track, topic_slug=topic_slug)
        for index, app in enumerate(apps, start=len(own)):
            self.writer.write(index, app)
        if plan.kind == "open":
            # The demo draft lacks one section, so that the completeness check has a point to make.
            own[0][0].fields["similar_approaches"] = ""
        all_apps = [app for app, _track, _topic in own] + apps
        if plan.kind in DECIDED_KINDS:
            self._keep_commitments_within_budget(all_apps)
        return all_apps

    def _keep_commitments_within_budget(self, apps: list[AppPlan]) -> None:
        """Approved and funded applications never commit more than the call's budget; what
        does not fit is waitlisted."""
        committed = Decimal("0")
        for app in apps:
            if app.state in (S.APPROVED, S.FUNDED):
                if committed + app.requested > self.budget:
                    app.state = S.WAITLISTED
                else:
                    committed += app.requested

    # Scheduling.

    def schedule(self, timeline: Timeline) -> None:
        plan = self.plan
        timeline.at(plan.created_at, self._create_call)
        timeline.at(plan.opened_at, self._move_call, "open")
        for index, app in enumerate(self.apps):
            self._schedule_application(timeline, index, app)
        if plan.kind == "open":
            return
        timeline.at(plan.closes_at + HOUR, self._move_call, "close")
        # Starting the call's review starts it for every eligible application.
        timeline.at(plan.review_started_at, self._move_call, "start_review")
        # The jury (demo/review.py) reviews and decides; the call is marked decided after.
        if plan.kind in DECIDED_KINDS:
            timeline.at(plan.decided_at + HOUR, self._move_call, "decide")
        if plan.archived_at is not None:
            timeline.at(plan.archived_at, self._move_call, "archive")

    def _schedule_application(self, timeline: Timeline, index: int, app: AppPlan) -> None:
        """The moments of one application's story, from its first draft to its last step."""
        plan, rng = self.plan, self.rng
        window_end = min(plan.closes_at, self.anchor)
        created = self._between(plan.opens_at + HOUR, window_end - 2 * DAY, 0.6)
        timeline.at(created, self._start, app)
        if app.state == S.DRAFT:
            timeline.at(self._between(created + 5 * MINUTE, created + 2 * DAY), self._write, app)
            return
        submitted = self._between(created + HOUR, window_end - MINUTE, 0.9)
        timeline.at(self._between(created + 5 * MINUTE, submitted - 5 * MINUTE), self._write, app)
        timeline.at(submitted, self._submit, app)
        last = submitted
        closes = plan.closes_at
        if app.request:
            question_index = rng.randrange(len(QUESTIONS)) if app.question is None else app.question
            question, answer, sections = QUESTIONS[question_index]
            if app.request == "open":
                asked = self._between(closes + 2 * DAY, min(closes + 12 * DAY, self.anchor - HOUR))
            else:
                asked = self._between(closes + HOUR, closes + 4 * DAY)
            due = app.request_due or (asked + 14 * DAY).date()
            timeline.at(asked, self._ask, app, question[app.lang], due, sections)
            last = asked
            if app.request == "answered":
                last = asked + dt.timedelta(seconds=rng.randint(7200, 3 * 86400))
                timeline.at(last, self._answer, app, answer[app.lang], sections)
        if app.state == S.WITHDRAWN:
            end = min(plan.screening_until or window_end, self.anchor - HOUR)
            at = self._between(last + HOUR, max(end, last + 2 * HOUR), 0.3)
            timeline.at(at, self._withdraw, app, rng.choice(WITHDRAWAL_NOTES)[app.lang])
        if app.state in (S.SUBMITTED, S.WITHDRAWN):
            return
        if app.state == S.ELIGIBLE and plan.review_started_at is not None:
            # Still eligible: screened after the call's review started (which starts it for
            # every application eligible by then).
            start = max(last, plan.review_started_at) + HOUR
            screened = self._between(start, max(self.anchor - HOUR, start + HOUR), 0.5)
        else:
            screened = self._between(
                max(last, closes) + HOUR, max(plan.screening_until, last + 2 * HOUR), 0.4
            )
        if app.state == S.INELIGIBLE:
            reasons = rng.sample(sorted(INELIGIBILITY_NOTES), rng.choice((1, 1, 1, 2)))
            note = " ".join(INELIGIBILITY_NOTES[reason][app.lang] for reason in reasons)
            timeline.at(screened, self._screen, app, False, reasons, note)
            return
        timeline.at(screened, self._screen, app, True, [], "")

    # The events: each one service call, as the person would make it.

    def _create_call(self):
        plan = self.plan
        self.call = save_call(
            call=Call(fund=self.fund),
            actor=self.staff,
            changes={
                "slug": f"{plan.year}-{plan.round_number}",
                "year": plan.year,
                "round_number": plan.round_number,
                "opens_at": plan.opens_at,
                "closes_at": plan.closes_at,
                **CALL_RULES,
                "budget": self.budget,
                **_call_texts(plan),
                **CALL_CONTACT,
                "contact_email": f"programm@{DEMO_DOMAIN}",
            },
        )
        save_faq(call=self.call, actor=self.staff, entries=list(CALL_FAQ))

    def _move_call(self, transition_name):
        self.call = transition_call(
            call=self.call,
            actor=self.staff,
            transition_name=transition_name,
            expected_state=self.call.state,
        )

    def _start(self, app):
        app.application = start_application(call=self.call, actor=app.owner)

    def _write(self, app):
        # The narrative sections are answers to the call's default questions.
        app.application = update_draft(
            application=app.application,
            actor=app.owner,
            expected_version=app.application.version,
            fields={k: v for k, v in app.fields.items() if k in EDITABLE_FIELDS},
            answers={k: v for k, v in app.fields.items() if k not in EDITABLE_FIELDS},
            milestones=app.milestones,
            team_members=app.members,
        )

    def _submit(self, app):
        app.application = submit_application(
            application=app.application,
            actor=app.owner,
            expected_version=app.application.version,
        )

    def _ask(self, app, question, due_on, sections):
        request_information(
            application=app.application,
            actor=self.staff,
            question=question,
            due_on=due_on,
            editable_sections=sections,
        )

    def _answer(self, app, answer, sections):
        # The applicant adds to the unlocked section what the answer says, as people do.
        texts = {
            name: f"{app.fields.get(name, '')}\n\n{ANSWER_ADDITIONS[name][app.lang]}".strip()
            for name in sections
            if name in ANSWER_ADDITIONS
        }
        app.application = answer_information_request(
            application=app.application,
            actor=app.owner,
            answer=answer,
            section_values={k: v for k, v in texts.items() if k in EDITABLE_FIELDS},
            answers={k: v for k, v in texts.items() if k not in EDITABLE_FIELDS},
            expected_version=app.application.version,
        )

    def _withdraw(self, app, note):
        withdraw_application(
            application=app.application,
            actor=app.owner,
            expected_state=S.SUBMITTED,
            note=note,
        )

    def _screen(self, app, eligible, reasons, note):
        screen_application(
            application=app.application,
            actor=self.staff,
            eligible=eligible,
            expected_state=S.SUBMITTED,
            reasons=reasons,
            note=note,
        )


def plan_grants(timeline: Timeline, *, size: str, users, anchor) -> list[CallStory]:
    """Fund and topics now; the story of every call that does not exist yet on ``timeline``.
    An existing call is left as it is, which makes a second run a no-op."""
    fund, topics = seed_fund()
    stories = []
    for plan in call_plans(anchor):
        if Call.objects.filter(fund=fund, year=plan.year, round_number=plan.round_number).exists():
            continue
        story = CallStory(
            plan=plan, fund=fund, topics=topics, users=users, size=SIZES[size], anchor=anchor
        )
        story.schedule(timeline)
        stories.append(story)
    return stories


def check_story(stories: list[CallStory]) -> None:
    """After the run: every call and application reached the state the plan promised."""
    for story in stories:
        story.call.refresh_from_db()
        if story.call.state != story.plan.state:
            raise AssertionError(f"{story.call} is {story.call.state}, not {story.plan.state}.")
        states = dict(Application.objects.filter(call=story.call).values_list("pk", "state"))
        for app in story.apps:
            if states[app.application.pk] != app.state:
                raise AssertionError(
                    f"{app.application.reference} is {states[app.application.pk]}, not {app.state}."
                )
