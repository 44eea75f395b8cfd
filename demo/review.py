"""The jury's part of the demo story, told through the review services on the grants
story's timeline (demo/timeline.py).

For the decided calls (the older, archived one and the past one) and the current call in
review: staff set up the jury (criteria,
due date, nine jurors with preferred topics); the system suggests conflicts (same family
name), jurors confirm or dismiss them and declare others; staff compute an assignment,
adjust one juror by hand, compute again and confirm; the jurors score, each with their own
habits (juror 5 is lenient, juror 8 harsh), and an application moves to "reviewed" when its
last review is in. In the decided calls the jury discussed and closed, staff closed the review
of the one application a juror never finished, and decided (decision service). In the
current call scoring goes on: a juror declared a conflict late and was replaced, some
reviews are still open (most of them juror 1's, so that juror 1 has work to do), and the
ranking, calibration and grey zone have real scores to show. Deterministic: every choice
comes from seeded random generators, and the solver is deterministic.

The decided calls decide on a funding line drawn from the calibrated ranking: where the
story's decisions depart from it, staff move the application across the line with the
jury's reason first, so that every decision follows the line; deciding takes the call's
selection record, and marking the call decided seals it.
"""

import datetime as dt
import hashlib
import random

from django.db import transaction

from demo.accounts import DEMO_DOMAIN
from demo.grants.plans import DAY, DECIDED_KINDS, HOUR, MINUTE
from grants.models import Application, Topic
from grants.services.screening import bulk_transition_applications
from grants.states import ApplicationState
from review.line import line_outcome
from review.models import Assignment, Review, SelectionRecord
from review.services.assignment import change_assignment, confirm_assignment, propose_assignment
from review.services.conflicts import declare_conflict, dismiss_suggestion
from review.services.decisions import decide_applications
from review.services.funding import draw_funding_line, move_on_line
from review.services.jury import (
    add_juror,
    save_criteria,
    save_jury_settings,
    set_up_jury,
    transition_jury,
)
from review.services.reviews import save_review, submit_review
from review.states import (
    LINE_FUNDS,
    LINE_LEAVES_OPEN,
    ConflictKind,
    ConflictStatus,
    Decision,
    JuryPhase,
    LineMove,
    RankingBasis,
    Scale,
)

S = ApplicationState

CRITERIA = [
    {
        "name_de": "Gesellschaftliche Relevanz",
        "name_en": "Relevance",
        "guidance_de": "Wie wichtig ist das Problem, und wie viele Menschen profitieren?",
        "guidance_en": "How important is the problem, and how many people benefit?",
        "weight": 40,
        "scale": Scale.ZERO_TO_TEN,
        "allows_not_applicable": False,
    },
    {
        "name_de": "Umsetzbarkeit",
        "name_en": "Feasibility",
        "guidance_de": "Passen Plan, Team und Budget zur Förderdauer?",
        "guidance_en": "Do the plan, the team and the budget fit the funding period?",
        "weight": 30,
        "scale": Scale.ZERO_TO_TEN,
        "allows_not_applicable": False,
    },
    {
        "name_de": "Innovation",
        "name_en": "Innovation",
        "guidance_de": "Was ist neu, verglichen mit bestehenden Lösungen?",
        "guidance_en": "What is new compared with existing solutions?",
        "weight": 20,
        "scale": Scale.ZERO_TO_TEN,
        "allows_not_applicable": False,
    },
    {
        "name_de": "Datenschutz und Sicherheit",
        "name_en": "Privacy and security",
        "guidance_de": "Nur bei personenbezogenen oder sensiblen Daten; sonst „nicht zutreffend“.",
        "guidance_en": "Only where personal or sensitive data is involved; otherwise “not applicable”.",
        "weight": 10,
        "scale": Scale.ONE_TO_FIVE,
        "allows_not_applicable": True,
    },
]

# Juror number → preferred topics; juror 5 is lenient, juror 8 harsh.
TOPICS_OF = {
    1: ("open-data", "civic-tech"),
    2: ("open-data",),
    3: ("open-data",),
    4: ("civic-tech",),
    5: ("civic-tech", "data-security"),
    6: ("civic-tech",),
    7: ("data-security",),
    8: ("data-security",),
    9: ("data-security", "open-data"),
}
LENIENT, HARSH = 5, 8
BIAS = {LENIENT: 1.6, HARSH: -1.7}


def true_offset(number: int) -> float:
    """How many points juror ``number`` scores above the truth: the ranking's leniency
    table should find these (less their mean) again."""
    return BIAS.get(number, 0.0) + (number - 5) * 0.05


COMMENTS = {
    "high": (
        ("Überzeugender Bedarf, klarer Plan.", "Convincing need and a clear plan."),
        ("Sehr gut begründet; das Team bringt genau die richtige Erfahrung mit.",
         "Very well argued; the team has exactly the right experience."),
    ),
    "middle": (
        ("Solide, aber die Abgrenzung zu bestehenden Werkzeugen bleibt vage.",
         "Solid, but the distinction from existing tools stays vague."),
        ("Gute Idee; der Zeitplan wirkt knapp.", "Good idea; the schedule looks tight."),
    ),
    "low": (
        ("Der Nutzen für die Zielgruppe wird nicht klar.", "The benefit for the target group is unclear."),
        ("Zu viel für die Förderdauer; bitte fokussieren.", "Too much for the funding period; please focus."),
    ),
}  # fmt: skip
FEEDBACK = {
    "high": (("Ein starkes Vorhaben – viel Erfolg!", "A strong proposal – good luck!"),),
    "middle": (
        ("Schärfen Sie die Abgrenzung zu bestehenden Lösungen und planen Sie Puffer ein.",
         "Sharpen the distinction from existing solutions and plan some slack."),
    ),
    "low": (
        ("Beschreiben Sie konkreter, wer das Werkzeug nutzen wird und wie Sie diese Menschen erreichen.",
         "Describe more concretely who will use the tool and how you will reach them."),
    ),
}  # fmt: skip


# Why staff move an application across the line (German, English): the jury's reasons.
MOVE_REASONS = {
    LineMove.FUND: (
        ("Die Jury empfiehlt die Förderung nach der Diskussion: der einzige Antrag für ländliche Kommunen.",
         "The jury recommends funding after its discussion: the only proposal for rural municipalities."),
        ("Die Jury empfiehlt die Förderung: das Team hat die offene Frage zur Datenschutzprüfung in der Diskussion ausgeräumt.",
         "The jury recommends funding: the team settled the open question on the privacy review in the discussion."),
    ),
    LineMove.DO_NOT_FUND: (
        ("Die Jury rät ab: das Vorhaben wird inzwischen von einer Landesinitiative gefördert.",
         "The jury advises against it: the project is now funded by a state initiative."),
        ("Die Jury rät ab: zu nah an einem bereits geförderten Projekt.",
         "The jury advises against it: too close to a project funded already."),
    ),
}  # fmt: skip
DECIDED_AFTER = ("Entschieden nach der Jurysitzung.", "Decided after the jury meeting.")


def _seed_of(text: str) -> int:
    return int(hashlib.sha256(text.encode()).hexdigest()[:12], 16)


def _band(quality: float) -> str:
    return "high" if quality >= 7 else ("middle" if quality >= 5 else "low")


class JuryStory:
    """The jury of one call, scheduled on the grants story's timeline."""

    def __init__(self, story, *, jurors, anchor):
        self.story, self.plan, self.anchor = story, story.plan, anchor
        self.jurors = jurors  # juror number → user
        self.number_of = {user.pk: number for number, user in jurors.items()}
        self.staff = story.staff
        self.rng = random.Random(
            f"civic-tech-fund demo jury {self.plan.year}-{self.plan.round_number}"
        )
        self.jury = None
        self.criteria = []
        self.quality = {}  # application pk → latent quality
        self.keep_open = set()  # review pks left open on purpose
        self.released = set()  # review pks whose juror declared a conflict late
        self.versions = {}  # review pk → version after the demo's last save
        self.reviewed = [app for app in story.apps if app.state in _JURY_STATES[self.plan.kind]]

    # Scheduling.

    def schedule(self, timeline) -> None:
        self.timeline = timeline
        start = self.plan.review_started_at
        timeline.at(start - DAY, self._set_up)
        timeline.at(start + HOUR, self._propose)
        timeline.at(start + 3 * HOUR, self._answer_suggestions)
        timeline.at(start + 5 * HOUR, self._declare_conflicts)
        timeline.at(start + 22 * HOUR, self._propose)
        timeline.at(start + 22 * HOUR + 30 * MINUTE, self._adjust)
        timeline.at(start + 23 * HOUR, self._confirm)
        if self.plan.kind in DECIDED_KINDS:
            closed = self.plan.review_closed_at
            timeline.at(closed - 7 * DAY, self._move_jury, "start_discussion")
            timeline.at(closed, self._close_stragglers)
            timeline.at(closed + HOUR, self._move_jury, "close")
            timeline.at(self.plan.decided_at, self._decide)
        else:
            timeline.at(start + 23 * HOUR + 10 * MINUTE, self._late_conflict)

    def _scoring_window(self) -> tuple[dt.datetime, dt.datetime]:
        start = self.plan.review_started_at + DAY
        if self.plan.kind in DECIDED_KINDS:
            return start, self.plan.review_closed_at - 8 * DAY
        return start, self.anchor - HOUR

    def _between(self, start, end) -> dt.datetime:
        seconds = max(int((end - start).total_seconds()), 60)
        return start + dt.timedelta(seconds=self.rng.randrange(seconds))

    # Events.

    def _set_up(self):
        call = self.story.call
        self.jury = set_up_jury(call=call, actor=self.staff)
        self.criteria = save_criteria(jury=self.jury, actor=self.staff, criteria=CRITERIA)
        self.jury = save_jury_settings(
            jury=self.jury,
            actor=self.staff,
            blind=False,
            max_per_juror=None,
            due_on=(self.plan.review_started_at + 21 * DAY).date(),
        )
        topics = {topic.slug: topic for topic in Topic.objects.filter(fund=call.fund)}
        for number, user in self.jurors.items():
            add_juror(
                jury=self.jury,
                actor=self.staff,
                email=user.email,
                topics=[topics[slug] for slug in TOPICS_OF[number]],
            )
        for app in self.story.apps:
            if app.state in _JURY_STATES[self.plan.kind]:
                self.quality[app.application.pk] = self._quality(app.state)

    def _quality(self, state) -> float:
        if self.plan.kind == "current":
            return self.rng.uniform(3.0, 9.2)
        if state in (S.FUNDED, S.APPROVED):
            return self.rng.uniform(7.4, 9.2)
        if state == S.WAITLISTED:
            return self.rng.uniform(6.7, 7.3)
        return self.rng.uniform(2.5, 6.6)

    def _propose(self):
        propose_assignment(jury=self.jury, actor=self.staff)

    def _answer_suggestions(self):
        """Each juror with suggestions confirms the first as personal and dismisses the
        rest; in the current call juror 6 has not answered yet (his dashboard asks him to)."""
        from review.models import ConflictOfInterest

        suggestions = ConflictOfInterest.objects.filter(
            application__call=self.story.call, status=ConflictStatus.SUGGESTED
        ).order_by("juror_id", "application__reference")
        confirmed = set()
        for conflict in suggestions:
            number = self.number_of.get(conflict.juror_id)
            if self.plan.kind == "current" and number == 6:
                continue
            if number not in confirmed:
                confirmed.add(number)
                declare_conflict(
                    application_id=conflict.application_id,
                    actor=conflict.juror,
                    kind=ConflictKind.PERSONAL,
                    note=("Verwandt mit dem Antragsteller." if conflict.juror.language == "de"
                          else "Related to the applicant."),
                )  # fmt: skip
            else:
                dismiss_suggestion(conflict_id=conflict.pk, actor=conflict.juror)

    def _declare_conflicts(self):
        """A few declarations of the jurors' own accord."""
        from review.models import ConflictOfInterest

        for number, kind in ((3, ConflictKind.COLLEAGUE), (7, ConflictKind.ORGANISATION),
                             (3, ConflictKind.OTHER)):  # fmt: skip
            juror = self.jurors[number]
            taken = set(
                ConflictOfInterest.objects.filter(juror=juror).values_list(
                    "application_id", flat=True
                )
            )
            application_id = self.rng.choice(sorted(set(self.quality) - taken))
            note = {
                ConflictKind.COLLEAGUE: ("", ""),
                ConflictKind.ORGANISATION: ("Gleicher Verein.", "Same association."),
                ConflictKind.OTHER: ("Ich habe das Team beim Antrag beraten.",
                                     "I advised the team on the proposal."),
            }[kind][0 if juror.language == "de" else 1]  # fmt: skip
            declare_conflict(application_id=application_id, actor=juror, kind=kind, note=note)

    def _adjust(self):
        """Staff swap one juror by hand: juror 4 is replaced on one application by juror 1."""
        assignment = (
            Assignment.objects.filter(
                application__call=self.story.call,
                juror=self.jurors[4],
                confirmed_at__isnull=True,
                released_at__isnull=True,
            )
            .exclude(application__review_assignments__juror=self.jurors[1])
            .exclude(application__conflicts_of_interest__juror=self.jurors[1])
            .order_by("application__reference")
            .first()
        )
        if assignment is not None:
            change_assignment(
                jury=self.jury,
                application_id=assignment.application_id,
                actor=self.staff,
                remove_juror_id=self.jurors[4].pk,
                add_juror_id=self.jurors[1].pk,
            )

    def _confirm(self):
        confirm_assignment(jury=self.jury, actor=self.staff)
        self.jury.refresh_from_db()
        reviews = list(
            Review.objects.filter(assignment__application__call=self.story.call)
            .select_related("assignment")
            .order_by("assignment__application_id", "assignment__juror_id")
        )
        self._choose_open_reviews(reviews)
        start, end = self._scoring_window()
        for review in reviews:
            self._schedule_review(review, self._between(start, end))

    def _choose_open_reviews(self, reviews):
        """Decided calls: one review of one rejected application is never finished. Current
        call: every application still "in review" keeps one open review, juror 1's where
        juror 1 is on it."""
        planned = {app.application.pk: app.state for app in self.story.apps if app.application}
        by_app = {}
        for review in reviews:
            by_app.setdefault(review.assignment.application_id, []).append(review)
        if self.plan.kind in DECIDED_KINDS:
            rejected = sorted(pk for pk in by_app if planned[pk] == S.REJECTED)
            self.straggler = rejected[0] if rejected else None
            if self.straggler:
                self.keep_open.add(by_app[self.straggler][0].pk)
            return
        juror1 = self.jurors[1].pk
        for pk, items in sorted(by_app.items()):
            if planned[pk] != S.IN_REVIEW:
                continue
            own = [review for review in items if review.assignment.juror_id == juror1]
            self.keep_open.add((own or [self.rng.choice(items)])[0].pk)

    def _schedule_review(self, review, moment):
        about = (review.pk, review.assignment.juror_id, review.assignment.application_id)
        if review.pk in self.keep_open:
            # Some open reviews have a draft saved already (as the juror typed).
            if self.rng.random() < 0.4:
                self.timeline.at(moment, self._write, *about, False)
            return
        self.timeline.at(moment, self._write, *about, True)

    def _entries(self, quality, number, *, partial):
        entries = {}
        bias = true_offset(number)
        for index, criterion in enumerate(self.criteria):
            if partial and index >= 2:
                break
            low, high = criterion.bounds
            if criterion.allows_not_applicable and self.rng.random() < 0.35:
                entries[criterion.pk] = {"value": None, "not_applicable": True, "comment": ""}
                continue
            raw = quality + bias + self.rng.gauss(0, 0.9) + (index - 1.5) * 0.2
            if criterion.scale == Scale.ONE_TO_FIVE:
                raw = 1 + raw * 4 / 10
            value = min(max(round(raw), low), high)
            entries[criterion.pk] = {"value": value, "not_applicable": False, "comment": ""}
        return entries

    def _write(self, review_pk, juror_id, application_id, submit):
        if review_pk in self.released:
            return  # released meanwhile (a late conflict)
        number = self.number_of[juror_id]
        juror = self.jurors[number]
        quality = self.quality[application_id]
        review = Review(pk=review_pk)
        lang = 0 if juror.language == "de" else 1
        band = _band(quality + BIAS.get(number, 0.0))
        draft = {
            "entries": self._entries(quality, number, partial=not submit),
            "comment_for_staff": self.rng.choice(COMMENTS[band])[lang] if submit else "",
            "comment_for_applicant": (
                self.rng.choice(FEEDBACK[band])[lang] if submit and self.rng.random() < 0.6 else ""
            ),
        }
        version = self.versions.get(review_pk, 1)
        write = submit_review if submit else save_review
        self.versions[review_pk] = write(
            review=review, actor=juror, expected_version=version, **draft
        ).version

    def _late_conflict(self):
        """Current call: juror 9 finds a conflict among his applications during scoring; staff
        put juror 2 on the application instead, whose review is in soon after."""
        planned = {app.application.pk: app.state for app in self.story.apps if app.application}
        candidates = list(
            Assignment.objects.filter(
                application__call=self.story.call,
                juror=self.jurors[9],
                released_at__isnull=True,
                application_id__in=[pk for pk, state in planned.items() if state == S.REVIEWED],
            )
            .exclude(application__review_assignments__juror=self.jurors[2])
            .exclude(application__conflicts_of_interest__juror=self.jurors[2])
            .order_by("application__reference")
            .values_list("application_id", flat=True)
        )
        if not candidates:
            return
        application_id = candidates[0]
        at = self.plan.review_started_at + DAY + 2 * HOUR
        self.timeline.at(at, self._declare_late, application_id)
        self.timeline.at(at + 2 * HOUR, self._replace_late, application_id)

    def _declare_late(self, application_id):
        self.released.update(
            Review.objects.filter(
                assignment__application_id=application_id, assignment__juror=self.jurors[9]
            ).values_list("pk", flat=True)
        )
        declare_conflict(
            application_id=application_id,
            actor=self.jurors[9],
            kind=ConflictKind.COLLEAGUE,
            note="Ein Teammitglied war bis letztes Jahr mein Kollege.",
        )

    def _replace_late(self, application_id):
        change_assignment(
            jury=self.jury,
            application_id=application_id,
            actor=self.staff,
            add_juror_id=self.jurors[2].pk,
        )
        review = Review.objects.select_related("assignment").get(
            assignment__application_id=application_id, assignment__juror=self.jurors[2]
        )
        _start, end = self._scoring_window()
        self._schedule_review(
            review, self._between(self.plan.review_started_at + DAY + 5 * HOUR, end)
        )

    def _move_jury(self, transition_name):
        self.jury.refresh_from_db()
        self.jury = transition_jury(
            jury=self.jury,
            actor=self.staff,
            transition_name=transition_name,
            expected_state=self.jury.phase,
        )

    def _close_stragglers(self):
        """Decided calls: the one application whose juror never finished is closed by staff with
        the reviews it has."""
        waiting = list(
            Application.objects.filter(call=self.story.call, state=S.IN_REVIEW).values_list(
                "pk", flat=True
            )
        )
        if waiting:
            bulk_transition_applications(
                call=self.story.call,
                application_ids=waiting,
                transition_name="close_review",
                actor=self.staff,
            )

    def _decide(self):
        """Decided calls: staff draw the funding line, move across it what the jury decided
        otherwise (with its reason), and decide in one go, approvals first."""
        decision = {
            S.FUNDED: Decision.APPROVE,
            S.APPROVED: Decision.APPROVE,
            S.WAITLISTED: Decision.WAITLIST,
            S.REJECTED: Decision.REJECT,
        }
        planned = {
            app.application.pk: decision[app.state]
            for app in self.story.apps
            if app.state in decision
        }
        self._line_following(planned)
        order = {Decision.APPROVE: 0, Decision.WAITLIST: 1, Decision.REJECT: 2}
        lang = 0 if self.staff.language == "de" else 1
        with transaction.atomic():
            decide_applications(
                call=self.story.call,
                decisions=sorted(planned.items(), key=lambda item: (order[item[1]], item[0])),
                actor=self.staff,
                reason=DECIDED_AFTER[lang],
            )

    def _line_following(self, planned):
        """Draw the line, then move across it, with the jury's reason, each application
        whose planned decision departs from it, until every decision follows the line."""
        line = draw_funding_line(
            call=self.story.call, actor=self.staff, basis=RankingBasis.CALIBRATED
        )
        lang = 0 if self.staff.language == "de" else 1
        moved = set()
        while True:
            statuses = line_outcome(line).status_of
            departing = [
                (pk, LineMove.FUND if wanted == Decision.APPROVE else LineMove.DO_NOT_FUND)
                for pk, wanted in sorted(planned.items())
                if pk in statuses
                and pk not in moved
                and (wanted == Decision.APPROVE)
                != (statuses[pk] in (*LINE_FUNDS, *LINE_LEAVES_OPEN))
            ]
            if not departing:
                return line
            for pk, direction in departing:
                reasons = MOVE_REASONS[direction]
                move_on_line(
                    line=line,
                    actor=self.staff,
                    application_id=pk,
                    direction=direction,
                    reason=reasons[len(moved) % len(reasons)][lang],
                )
                moved.add(pk)


# Planned states of the applications the jury reviews, per kind of call.
_JURY_STATES = {
    **dict.fromkeys(DECIDED_KINDS, (S.FUNDED, S.APPROVED, S.WAITLISTED, S.REJECTED)),
    "current": (S.IN_REVIEW, S.REVIEWED),
}


def plan_review(timeline, stories, *, users, anchor) -> list[JuryStory]:
    """The jury story of every new decided (older, past) and current call on ``timeline``."""
    jurors = {number: users[f"juror{number}@{DEMO_DOMAIN}"] for number in range(1, 10)}
    juries = []
    for story in stories:
        if story.plan.kind not in _JURY_STATES:
            continue
        jury_story = JuryStory(story, jurors=jurors, anchor=anchor)
        jury_story.schedule(timeline)
        juries.append(jury_story)
    return juries


def check_review(juries) -> None:
    """After the run: the juries reached their phases; a decided call's selection record is
    sealed and every decision in it follows the funding line."""
    expected = {**dict.fromkeys(DECIDED_KINDS, JuryPhase.CLOSED), "current": JuryPhase.SCORING}
    for jury_story in juries:
        jury_story.jury.refresh_from_db()
        if jury_story.jury.phase != expected[jury_story.plan.kind]:
            raise AssertionError(f"{jury_story.jury} is in {jury_story.jury.phase}.")
        if jury_story.plan.kind in DECIDED_KINDS:
            record = SelectionRecord.objects.get(call=jury_story.story.call)
            if record.sealed_at is None or not all(
                item["follows_line"] for item in record.decisions
            ):
                raise AssertionError(f"{record}: not sealed, or a decision departs from the line.")
