"""Plausible proposals for the demo: titles, texts, milestones and teams from the word lists
in demo/grants/texts.py, complete and within the caps (unless a draft is still partial).
Deterministic: everything comes from the ``random.Random`` it is given."""

import random
from decimal import ROUND_FLOOR

from django.utils.text import slugify

from demo.accounts import DEMO_DOMAIN, FIRST_NAMES, LAST_NAMES
from demo.grants.plans import (
    CODE_HOSTS,
    LICENCE_WEIGHTS,
    TOPIC_WEIGHTS,
    TRACK_WEIGHTS,
    AppPlan,
)
from demo.grants.texts import (
    APPROACH_MORE,
    APPROACH_OPENING,
    CHALLENGE_CLOSING,
    CHALLENGES,
    EXPERIENCE_INDIVIDUAL,
    EXPERIENCE_MORE,
    EXPERIENCE_TEAM,
    GROUPS,
    MILESTONE_FIRST,
    MILESTONE_LAST,
    MILESTONE_MIDDLE,
    NAME_PREFIXES_DE,
    NAME_PREFIXES_EN,
    NAME_SUFFIXES,
    OTHER_PROJECTS,
    PRIOR_WORK,
    SIMILAR,
    SUMMARY_MORE,
    SUMMARY_OPENING,
    TAGLINES,
    TARGET_MORE,
    TARGET_OPENING,
    TECHNOLOGIES,
)
from grants.models import Application, Call, CallTrack
from grants.states import DEFAULT_QUESTION_LIMITS, WORD_LIMITS
from grants.tracks import DEFAULT_TRACKS
from grants.wordcount import count_words

# The summary (a core field) and the default questions of a call, by their word limits.
TEXT_LIMITS = {**WORD_LIMITS, **DEFAULT_QUESTION_LIMITS}


def pick_weighted(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _fit(sentences: list[str], limit: int) -> str:
    """Join sentences, dropping from the end until the text is within the word limit."""
    while sentences and count_words(" ".join(sentences)) > limit:
        sentences = sentences[:-1]
    return " ".join(sentences)


def _max_hours(call: Call, track: CallTrack) -> int:
    """The most hours whose requested funding stays within the track's cap."""
    per_hour = call.hourly_rate * (100 + call.overhead_percent) * call.funding_rate_percent / 10000
    hours = int((track.cap / per_hour).to_integral_value(rounding=ROUND_FLOOR))
    probe = Application(call=call, track=track)
    while not probe.budget(hours)["within_cap"]:
        hours -= 1
    return hours


class ProposalWriter:
    """Writes the proposals of one call."""

    def __init__(self, *, call: Call, topics, rng: random.Random):
        self.call, self.topics, self.rng = call, topics, rng
        # The call's usual tracks (grants.tracks), by key: proposals are written before the
        # call exists; the story picks the call's track of the same key.
        self.tracks = {d["key"]: CallTrack(**d) for d in DEFAULT_TRACKS}
        self.max_hours = {key: _max_hours(call, track) for key, track in self.tracks.items()}
        names = [
            prefix + (suffix.capitalize() if prefix in NAME_PREFIXES_EN else suffix)
            for prefix in NAME_PREFIXES_DE + NAME_PREFIXES_EN
            for suffix in NAME_SUFFIXES
        ]
        self.names = rng.sample(names, len(names))

    def write(self, index: int, app: AppPlan, *, track=None, topic_slug=None) -> None:
        """Fill in ``app.fields``, ``milestones``, ``members`` and ``requested``."""
        rng, lang = self.rng, app.lang
        key = track or pick_weighted(rng, TRACK_WEIGHTS)
        track = self.tracks[key]
        topic_slug = topic_slug or pick_weighted(rng, TOPIC_WEIGHTS)
        name = self.names[index % len(self.names)]
        tagline = rng.choice(TAGLINES[topic_slug])[lang]
        words = {"name": name, "subject": tagline, "group": rng.choice(GROUPS)[lang]}
        technology = rng.choice(TECHNOLOGIES).replace(" und ", (" und ", " and ")[lang])
        experience = EXPERIENCE_TEAM if track.is_team else EXPERIENCE_INDIVIDUAL
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
            section: _fit([pair[lang].format(**words) for pair in pairs], TEXT_LIMITS[section])
            for section, pairs in texts.items()
        }
        slug = slugify(name)
        host = rng.choice(CODE_HOSTS)
        app.fields |= {
            "track": key,
            "topic": self.topics[topic_slug],
            "title": f"{name}: {tagline}",
            "licence": pick_weighted(rng, LICENCE_WEIGHTS),
            "repository_url": f"https://{host}/{slug}/{slug}" if rng.random() < 0.85 else "",
        }
        app.milestones = self._milestones(track, lang)
        app.members = self._members(track)
        if app.partial:
            for section in rng.sample(sorted(TEXT_LIMITS), rng.randint(2, 5)):
                app.fields[section] = ""
            app.milestones = app.milestones[: rng.randint(0, 2)]
        hours = sum(milestone["hours"] for milestone in app.milestones)
        app.requested = Application(call=self.call, track=track).budget(hours)["requested"]

    def _milestones(self, track, lang) -> list[dict]:
        """3–5 milestones whose hours keep the requested amount within the track's cap."""
        rng = self.rng
        months, count, upper = track.months, rng.randint(3, 5), self.max_hours[track.key]
        total = rng.randint(int(upper * 0.55), upper) // 10 * 10
        weights = [rng.uniform(0.6, 1.4) for _ in range(count)]
        hours = [int(total * weight / sum(weights)) // 10 * 10 for weight in weights]
        hours[-1] += total - sum(hours)
        due = [*sorted(rng.sample(range(1, months), count - 1)), months]
        phases = [MILESTONE_FIRST, *rng.sample(MILESTONE_MIDDLE, count - 2), MILESTONE_LAST]
        return [
            {"title": phase[lang][0], "deliverable": phase[lang][1], "month": month, "hours": hour}
            for phase, month, hour in zip(phases, due, hours, strict=True)
        ]

    def _members(self, track) -> list[dict]:
        if not track.is_team:
            return []
        people = [(first, last) for first in FIRST_NAMES for last in LAST_NAMES[:12]]
        return [
            {
                "name": f"{first} {last}",
                "email": f"{slugify(first)}.{slugify(last)}@{DEMO_DOMAIN}",
            }
            for first, last in self.rng.sample(people, self.rng.randint(1, 3))
        ]
