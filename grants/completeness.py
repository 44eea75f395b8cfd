"""What a proposal needs before it can be submitted. Used by the submit service, by the
django-fsm condition, by the preview and by the staff's pages, so all agree.

A concept (the first stage of a two-stage call) asks for the project in short: its title,
summary, topic, track (where the call offers tracks) and the call's questions. It plans no
milestones and no budget (it is decided without money), and names its team only if it
wishes; what it gives is checked as in a full proposal. The full proposal asks for all."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.formats import euro
from grants.questions import answer_errors, proposal_questions, values_of
from grants.states import (
    MILESTONES_MAX,
    MILESTONES_MIN,
    TEAM_SIZE_MAX,
    TRACK_MONTHS_MAX,
    WORD_LIMITS,
)
from grants.wordcount import count_words

REQUIRED_FIELDS = ("title", "track", "topic", "licence", *WORD_LIMITS)
# The licence is chosen with the work plan, in the full proposal (carried over if given).
CONCEPT_REQUIRED_FIELDS = ("title", "track", "topic", *WORD_LIMITS)
# The parts of a proposal a concept does not plan.
NOT_ASKED_IN_CONCEPT = ("milestones", "budget")


def required_fields(call) -> tuple[str, ...]:
    """The core fields a proposal in ``call`` must fill in."""
    if not call.is_concept_stage:
        return REQUIRED_FIELDS
    if not call.offered_tracks:
        return tuple(field for field in CONCEPT_REQUIRED_FIELDS if field != "track")
    return CONCEPT_REQUIRED_FIELDS


def completeness_errors(
    application, milestones=None, team_members=None, values=None
) -> dict[str, list[str]]:
    """Field name (or question key) → messages. Empty when the proposal may be submitted.
    The answers are read from the application's answers unless ``values`` (question id →
    value, grants.questions) is given."""
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    concept = application.call.is_concept_stage
    for field in required_fields(application.call):
        value = getattr(application, f"{field}_id" if field in ("topic", "track") else field)
        if value in (None, "") or (isinstance(value, str) and not value.strip()):
            add(field, _("This field is required."))
    for field, limit in WORD_LIMITS.items():
        words = count_words(getattr(application, field))
        if words > limit:
            add(
                field,
                _("%(count)s words; at most %(limit)s are allowed.")
                % {"count": words, "limit": limit},
            )
    questions = proposal_questions(application.call)
    values = values_of(questions, application) if values is None else values
    errors.update(answer_errors(questions, values))
    track = application.track
    if track is not None and (track.removed_at is not None or track.call_id != application.call_id):
        add("track", _("This track is no longer offered in the call; choose another."))
    if application.repository_url:
        try:
            URLValidator(schemes=["https", "http"])(application.repository_url)
        except ValidationError:
            add("repository_url", _("Enter a full web address starting with https://."))

    team_members = list(application.team_members.all()) if team_members is None else team_members
    if concept:
        _team_errors(add, track, team_members, at_least_one=False)
        return errors

    milestones = list(application.planned_milestones.all()) if milestones is None else milestones
    # Without a track (itself an error), the longest of the call's tracks.
    months = (
        track.months
        if track is not None
        else max((t.months for t in application.call.offered_tracks), default=TRACK_MONTHS_MAX)
    )
    if not MILESTONES_MIN <= len(milestones) <= MILESTONES_MAX:
        add(
            "milestones",
            _("Plan between %(min)s and %(max)s milestones.")
            % {"min": MILESTONES_MIN, "max": MILESTONES_MAX},
        )
    for milestone in milestones:
        label = _("Milestone %(number)s") % {"number": milestone.position}
        if not (milestone.title or "").strip() or not (milestone.deliverable or "").strip():
            add("milestones", _("%(label)s: give a title and a deliverable.") % {"label": label})
        if not milestone.month or not 1 <= milestone.month <= months:
            add(
                "milestones",
                _("%(label)s: the month must be between 1 and %(months)s.")
                % {"label": label, "months": months},
            )
        if not milestone.hours or milestone.hours < 1:
            add("milestones", _("%(label)s: plan at least one hour.") % {"label": label})

    _team_errors(add, track, team_members, at_least_one=True)

    budget = application.budget(hours=sum(m.hours or 0 for m in milestones))
    if track is not None and budget["cap"] is not None and not budget["within_cap"]:
        add(
            "budget",
            _("The requested funding of %(requested)s exceeds the cap of %(cap)s for this track.")
            % {"requested": euro(budget["requested"]), "cap": euro(budget["cap"])},
        )
    return errors


def _team_errors(add, track, team_members, *, at_least_one: bool) -> None:
    """The team fits the track: a team track names at least one further member (a concept
    need not), an individual one none; at most TEAM_SIZE_MAX people; each named fully."""
    if track is not None and track.is_team:
        if at_least_one and not team_members:
            add("team", _("A team application names at least one further team member."))
        if len(team_members) + 1 > TEAM_SIZE_MAX:
            add(
                "team",
                ngettext(
                    "A team has at most %(max)s person.",
                    "A team has at most %(max)s people.",
                    TEAM_SIZE_MAX,
                )
                % {"max": TEAM_SIZE_MAX},
            )
    elif team_members:
        add(
            "team",
            _(
                "An individual application has no further team members; choose a team track or remove them."
            ),
        )
    for message in team_member_errors(team_members):
        add("team", message)


def team_member_errors(team_members) -> list[str]:
    """What is wrong with the further team members as typed: each needs a name and a valid
    e-mail address, given once (their invitation goes there on submission)."""
    messages = []
    seen = set()
    for number, member in enumerate(team_members, start=1):
        label = _("Team member %(number)s") % {"number": number}
        if not (member.name or "").strip():
            messages.append(_("%(label)s: give the name.") % {"label": label})
        email = (member.email or "").strip()
        if not email:
            messages.append(_("%(label)s: give the e-mail address.") % {"label": label})
            continue
        try:
            validate_email(email)
        except ValidationError:
            messages.append(
                _("%(label)s: “%(email)s” is not a valid e-mail address.")
                % {"label": label, "email": email}
            )
            continue
        if email.lower() in seen:
            messages.append(
                _("%(label)s: the address %(email)s is given twice.")
                % {"label": label, "email": email}
            )
        seen.add(email.lower())
    return messages
