"""A two-stage call in the demo: a concept call (decided without money) and the open
full-proposal call it leads to, told through the services on the shared timeline.

Four teams send a concept. Staff invite two and do not invite two, each with feedback in
the team's language. One invited team has written and submitted its full proposal; the
other invited team is the demo applicant's (applicant@demo.example), who can start the
full proposal in the browser. The teams not invited read their feedback on their page."""

import random
import re

from demo.accounts import DEMO_DOMAIN
from demo.grants.content import ProposalWriter
from demo.grants.plans import CALL_RULES, DAY, HOUR, AppPlan, _round_of, _shift_round, call_plans
from demo.timeline import Timeline
from grants.models import Application, Call
from grants.services.applications import (
    EDITABLE_FIELDS,
    start_application,
    submit_application,
    update_draft,
)
from grants.services.calls import save_call, transition_call
from grants.services.screening import bulk_transition_applications, screen_application
from grants.services.stages import start_full_proposal
from grants.states import ApplicationState, CallStage, CallState
from review.services.decisions import decide_application
from review.states import Decision

S = ApplicationState
CONCEPT_CLOSES = 45 * DAY  # before the anchor


def free_rounds(anchor) -> tuple[tuple[int, int], tuple[int, int]]:
    """(year, round) of the concept call and of the full call: the rounds (three a year) from
    the concept's closing on that the other demo calls leave free."""
    used = {(plan.year, plan.round_number) for plan in call_plans(anchor)}
    year, number = _round_of(anchor - CONCEPT_CLOSES)
    found = []
    while len(found) < 2:
        if (year, number) not in used:
            found.append((year, number))
        year, number = _shift_round(year, number, 1)
    return found[0], found[1]


FEEDBACK = {
    Decision.INVITE: (
        "Eine überzeugende Skizze. Zeigen Sie im Vollantrag, mit welchen Kommunen Sie den "
        "Prototyp erproben.",
        "A convincing concept. In the full proposal, show which municipalities will try the "
        "prototype.",
    ),
    Decision.NOT_INVITE: (
        "Die Jury sah eine große Nähe zu bereits geförderten Projekten. Wir freuen uns über "
        "eine neue Skizze in einer späteren Runde.",
        "The jury saw the idea close to projects funded already. We look forward to a new "
        "concept in a later round.",
    ),
}


def _track_of(call, key):
    """The call's track of the key the proposal was written for (grants.tracks)."""
    return call.tracks.get(key=key, removed_at__isnull=True)


class TwoStageStory:
    def __init__(self, *, fund, topics, users, anchor):
        self.fund, self.anchor = fund, anchor
        self.staff = users[f"staff@{DEMO_DOMAIN}"]
        generated = [
            user
            for email, user in sorted(users.items())
            if re.fullmatch(rf"applicant\d+@{re.escape(DEMO_DOMAIN)}", email)
        ]
        german = [user for user in generated if user.language == "de"]
        english = [user for user in generated if user.language != "de"]
        demo = users[f"applicant@{DEMO_DOMAIN}"]
        # (owner, decision, starts the full proposal)
        self.teams = [
            (english[0] if english else generated[0], Decision.INVITE, True),
            (demo, Decision.INVITE, False),
            (german[0] if german else generated[1], Decision.NOT_INVITE, False),
            (english[1] if len(english) > 1 else generated[2], Decision.NOT_INVITE, False),
        ]
        rng = random.Random("civic-tech-fund demo two stages")
        writer = ProposalWriter(call=Call(fund=fund, **CALL_RULES), topics=topics, rng=rng)
        self.apps = []
        for index, (owner, _decision, _full) in enumerate(self.teams):
            app = AppPlan(state=S.SUBMITTED, owner=owner)
            writer.write(index + 500, app)
            self.apps.append(app)
        self.concept_call = self.full_call = None
        self.full_proposal = None

    def schedule(self, timeline: Timeline) -> None:
        start = self.anchor - 75 * DAY + 10 * HOUR
        timeline.at(start, self._create_calls)
        timeline.at(start + HOUR, self._open, "concept_call")
        timeline.at(start + 2 * HOUR, self._open, "full_call")
        for index, app in enumerate(self.apps):
            moment = start + (3 + index) * DAY
            timeline.at(moment, self._start, app)
            timeline.at(moment + HOUR, self._write, app)
            timeline.at(moment + 2 * HOUR, self._submit, app)
        closed = self.anchor - CONCEPT_CLOSES + 9 * HOUR
        timeline.at(closed, self._step, "concept_call", "close")
        for index, app in enumerate(self.apps):
            timeline.at(closed + DAY + index * HOUR, self._screen, app)
        timeline.at(closed + 2 * DAY, self._step, "concept_call", "start_review")
        timeline.at(closed + 20 * DAY, self._close_reviews)
        for index, (app, (_owner, decision, _full)) in enumerate(
            zip(self.apps, self.teams, strict=True)
        ):
            timeline.at(closed + 21 * DAY + index * HOUR, self._decide, app, decision)
        timeline.at(closed + 22 * DAY, self._step, "concept_call", "decide")
        for app, (_owner, _decision, full) in zip(self.apps, self.teams, strict=True):
            if full:
                timeline.at(closed + 27 * DAY, self._start_full, app)
                timeline.at(closed + 28 * DAY, self._submit_full, app)

    # The events.

    def _create_calls(self):
        concept_round, full_round = free_rounds(self.anchor)
        texts = {
            "concept_call": (
                "Zweistufige Runde: Projektskizzen",
                "Two-stage round: concepts",
                "Beschreiben Sie Ihre Idee auf einer Seite. Die besten Skizzen laden wir zum "
                "Vollantrag ein.",
                "Describe your idea on one page. We invite the best concepts to a full proposal.",
            ),
            "full_call": (
                "Zweistufige Runde: Vollanträge",
                "Two-stage round: full proposals",
                "Nur eingeladene Teams: Arbeitsplan, Meilensteine und Budget.",
                "Invited teams only: work plan, milestones and budget.",
            ),
        }

        def changes(name, year_and_round, opens_at, closes_at, **more):
            title_de, title_en, text_de, text_en = texts[name]
            year, round_number = year_and_round
            return {
                "slug": f"{year}-{round_number}",
                "year": year,
                "round_number": round_number,
                "title_de": title_de,
                "title_en": title_en,
                "description_de": text_de,
                "description_en": text_en,
                "opens_at": opens_at,
                "closes_at": closes_at,
                **more,
            }

        self.full_call = save_call(
            call=Call(fund=self.fund),
            actor=self.staff,
            changes=changes(
                "full_call",
                full_round,
                self.anchor - 20 * DAY,
                self.anchor + 60 * DAY,
                **CALL_RULES,
                stage=CallStage.FULL,
            ),
        )
        self.concept_call = save_call(
            call=Call(fund=self.fund),
            actor=self.staff,
            changes=changes(
                "concept_call",
                concept_round,
                self.anchor - 72 * DAY,
                self.anchor - CONCEPT_CLOSES,
                stage=CallStage.CONCEPT,
                next_stage=self.full_call,
                reviews_per_application=2,
            ),
        )

    def _open(self, name):
        self._step(name, "open")

    def _step(self, name, transition_name):
        call = getattr(self, name)
        setattr(
            self,
            name,
            transition_call(
                call=call,
                actor=self.staff,
                transition_name=transition_name,
                expected_state=call.state,
            ),
        )

    def _start(self, app):
        app.application = start_application(call=self.concept_call, actor=app.owner)

    def _write(self, app, application=None):
        target = application or app.application
        written = update_draft(
            application=target,
            actor=app.owner,
            expected_version=target.version,
            fields={
                k: _track_of(target.call, v) if k == "track" else v
                for k, v in app.fields.items()
                if k in EDITABLE_FIELDS
            },
            answers={k: v for k, v in app.fields.items() if k not in EDITABLE_FIELDS},
            milestones=app.milestones,
            team_members=app.members,
        )
        if application is None:
            app.application = written
        return written

    def _submit(self, app):
        app.application = submit_application(
            application=app.application, actor=app.owner, expected_version=app.application.version
        )

    def _screen(self, app):
        screen_application(
            application=app.application,
            actor=self.staff,
            eligible=True,
            expected_state=S.SUBMITTED,
            reasons=[],
            note="",
        )

    def _close_reviews(self):
        bulk_transition_applications(
            call=self.concept_call,
            application_ids=[app.application.pk for app in self.apps],
            transition_name="close_review",
            actor=self.staff,
        )

    def _decide(self, app, decision):
        app.application = decide_application(
            application=app.application,
            actor=self.staff,
            decision=decision,
            expected_state=S.REVIEWED,
            feedback=FEEDBACK[decision][app.lang],
        )

    def _start_full(self, app):
        full = start_full_proposal(concept=app.application, actor=app.owner)
        self.full_proposal = self._write(app, full)  # the plan and budget the concept lacked

    def _submit_full(self, app):
        self.full_proposal = submit_application(
            application=self.full_proposal,
            actor=app.owner,
            expected_version=self.full_proposal.version,
        )


def plan_two_stage(timeline: Timeline, *, fund, topics, users, anchor) -> TwoStageStory | None:
    """The story of the two linked calls, unless they exist already (a second run)."""
    if Call.objects.filter(fund=fund, stage=CallStage.CONCEPT).exists():
        return None
    story = TwoStageStory(fund=fund, topics=topics, users=users, anchor=anchor)
    story.schedule(timeline)
    return story


def check_two_stage(story: TwoStageStory | None) -> None:
    if story is None:
        return
    expected = {
        S.INVITED: 2,
        S.NOT_INVITED: 2,
    }
    states = list(
        Application.objects.filter(call=story.concept_call).values_list("state", flat=True)
    )
    for state, count in expected.items():
        if states.count(state) != count:
            raise AssertionError(f"Two-stage demo: {states.count(state)} {state}, not {count}.")
    story.concept_call.refresh_from_db()
    if story.concept_call.state != CallState.DECIDED:
        raise AssertionError(f"The concept call is {story.concept_call.state}.")
    full = Application.objects.get(call=story.full_call)
    if (full.state, full.concept_id is not None) != (S.SUBMITTED, True):
        raise AssertionError(f"The full proposal is {full.state}.")
