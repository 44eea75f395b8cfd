"""Staff set up the jury of a call: phase, settings, criteria, jurors and invitations."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import may
from accounts.roles import Role
from core.errors import TransitionRefused, WorkflowError
from review import events
from review.models import Criterion, Jury, JuryMember, Score
from review.services.conflicts import suggest_conflicts
from review.states import PhaseAllows, Scale
from workflow.audit import log_event
from workflow.notifications import notify
from workflow.transitions import fire_transition

JURY_TRANSITIONS = ("start_scoring", "start_discussion", "close")

# The example of DESIGN.md, for staff to adapt.
DEFAULT_CRITERIA = (
    {
        "name_de": "Gesellschaftliche Relevanz",
        "name_en": "Relevance",
        "guidance_de": "Wie wichtig ist das Problem, und wie viele Menschen profitieren?",
        "guidance_en": "How important is the problem, and how many people benefit?",
        "weight": 40,
    },
    {
        "name_de": "Umsetzbarkeit",
        "name_en": "Feasibility",
        "guidance_de": "Passen Plan, Team und Budget zu sechs bis zehn Monaten Arbeit?",
        "guidance_en": "Do the plan, the team and the budget fit six to ten months of work?",
        "weight": 30,
    },
    {
        "name_de": "Innovation",
        "name_en": "Innovation",
        "guidance_de": "Was ist neu, verglichen mit bestehenden Lösungen?",
        "guidance_en": "What is new compared with existing solutions?",
        "weight": 30,
    },
)


# What a criterion is when a field is not given.
CRITERION_DEFAULTS = {
    "guidance_de": "",
    "guidance_en": "",
    "scale": Scale.ZERO_TO_TEN,
    "allows_not_applicable": False,
}


def _refuse_unless_staff(actor):
    if not may(actor, "review.manage_jury"):
        raise WorkflowError(_("You may not do this now."))


def set_up_jury(*, call, actor) -> Jury:
    """The call's jury, with the example criteria to adapt; an existing one is returned."""
    _refuse_unless_staff(actor)
    with transaction.atomic():
        jury, created = Jury.objects.get_or_create(call=call)
        if created:
            Criterion.objects.bulk_create(
                Criterion(jury=jury, position=position, **criterion)
                for position, criterion in enumerate(DEFAULT_CRITERIA, start=1)
            )
            log_event(subject=jury, action=events.JURY_SET_UP, actor=actor, to_state=jury.phase)
    return jury


def save_jury_settings(*, jury: Jury, actor, blind: bool, max_per_juror, due_on) -> Jury:
    _refuse_unless_staff(actor)
    with transaction.atomic():
        current = Jury.objects.select_for_update().get(pk=jury.pk)
        before = {
            "blind": current.blind,
            "max_per_juror": current.max_per_juror,
            "due_on": current.due_on,
        }
        current.blind, current.max_per_juror, current.due_on = blind, max_per_juror, due_on
        current.full_clean(exclude=["phase", "call"])
        after = {"blind": blind, "max_per_juror": max_per_juror, "due_on": due_on}
        changes = {
            name: {"from": _json(before[name]), "to": _json(after[name])}
            for name in after
            if before[name] != after[name]
        }
        if changes:
            current.save(update_fields=["blind", "max_per_juror", "due_on"])
            log_event(
                subject=current,
                action=events.JURY_SETTINGS_CHANGED,
                actor=actor,
                from_state=current.phase,
                to_state=current.phase,
                data={"changes": changes},
            )
    return current


def _json(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def save_criteria(*, jury: Jury, actor, criteria: list[dict]) -> list[Criterion]:
    """Replace the criteria (in the order given). Only before anybody scores; the weights
    must add up to 100 %."""
    _refuse_unless_staff(actor)
    if not criteria:
        raise WorkflowError(_("Give at least one criterion."))
    total = sum(criterion["weight"] for criterion in criteria)
    if total != 100:
        raise WorkflowError(
            _("The weights add up to %(total)s %%; they must add up to 100 %%.") % {"total": total}
        )
    with transaction.atomic():
        current = Jury.objects.select_for_update().get(pk=jury.pk)
        if (
            current.phase not in PhaseAllows.EDITING_CRITERIA
            or Score.objects.filter(criterion__jury=current).exists()
        ):
            raise WorkflowError(
                _("The criteria can no longer be changed: jurors have started scoring.")
            )
        existing = list(current.criteria.order_by("position"))
        kept = []
        for position, values in enumerate(criteria, start=1):
            criterion = (
                existing[position - 1] if position <= len(existing) else Criterion(jury=current)
            )
            for name, value in {**CRITERION_DEFAULTS, **values}.items():
                setattr(criterion, name, value)
            criterion.position = position + 1000  # unique while positions are rewritten
            try:
                criterion.full_clean(exclude=["jury", "position"])
            except ValidationError as error:
                raise WorkflowError(
                    _("Criterion %(number)s: %(errors)s")
                    % {"number": position, "errors": " ".join(error.messages)}
                ) from None
            criterion.save()
            kept.append(criterion)
        Criterion.objects.filter(jury=current).exclude(pk__in=[c.pk for c in kept]).delete()
        for position, criterion in enumerate(kept, start=1):
            criterion.position = position
        Criterion.objects.bulk_update(kept, ["position"])
        log_event(
            subject=current,
            action=events.CRITERIA_CHANGED,
            actor=actor,
            from_state=current.phase,
            to_state=current.phase,
            data={
                "criteria": [
                    {"name_en": c.name_en, "weight": c.weight, "scale": c.scale} for c in kept
                ]
            },
        )
    return kept


def _juror_group():
    return Group.objects.get_or_create(name=Role.JUROR)[0]


def add_juror(*, jury: Jury, actor, email: str, topics=()) -> JuryMember:
    """Add someone to the jury by e-mail address: an existing user gets the juror role at
    once; anybody else is invited to register with that address and joins once they have
    confirmed it (``join_juries_on_confirmed_email``)."""
    _refuse_unless_staff(actor)
    email = email.strip().lower()
    if not email:
        raise WorkflowError(
            _("Enter an e-mail address."), field_errors={"email": [_("This field is required.")]}
        )
    user = get_user_model().objects.filter(email__iexact=email).first()
    with transaction.atomic():
        if JuryMember.objects.filter(jury=jury, email=email).exists() or (
            user is not None and JuryMember.objects.filter(jury=jury, user=user).exists()
        ):
            raise WorkflowError(
                _("%(email)s is already on this jury.") % {"email": email},
                field_errors={"email": [_("Already on this jury.")]},
            )
        member = JuryMember.objects.create(
            jury=jury, user=user, email=email, joined_at=timezone.now() if user else None
        )
        member.topics.set(topics)
        if user is not None:
            user.groups.add(_juror_group())
            log_event(
                subject=jury,
                action=events.JUROR_ADDED,
                actor=actor,
                from_state=jury.phase,
                to_state=jury.phase,
                data={"email": email},
            )
            # Their own applications are conflicts from the start, before any assignment.
            suggest_conflicts(jury=jury, actor=actor, jurors=[user])
            notify(to=user, template="jury_added", context={"call": jury.call, "for_juror": True})
        else:
            log_event(
                subject=jury,
                action=events.JUROR_INVITED,
                actor=actor,
                from_state=jury.phase,
                to_state=jury.phase,
                data={"email": email},
            )
            notify(
                to=email,
                language=actor.language,
                template="jury_invitation",
                context={"call": jury.call, "email": email, "for_juror": True},
            )
    return member


def set_juror_topics(*, member: JuryMember, actor, topics) -> JuryMember:
    _refuse_unless_staff(actor)
    topics = list(topics)
    if any(topic.fund_id != member.jury.call.fund_id for topic in topics):
        raise WorkflowError(_("Unknown topic."))
    with transaction.atomic():
        member.topics.set(topics)
        log_event(
            subject=member.jury,
            action=events.JUROR_TOPICS_CHANGED,
            actor=actor,
            from_state=member.jury.phase,
            to_state=member.jury.phase,
            data={"email": member.email, "topics": sorted(topic.slug for topic in topics)},
        )
    return member


def join_juries_on_confirmed_email(request=None, email_address=None, **kwargs):
    """allauth's ``email_confirmed`` signal: invitations to this address become jury
    memberships of the user who proved they own it; in every open jury of theirs, the
    applications whose team names this address become conflicts of interest."""
    if email_address is None:
        return
    user = email_address.user
    pending = list(
        JuryMember.objects.filter(email__iexact=email_address.email, user__isnull=True)
        .exclude(jury__members__user=user)
        .select_related("jury")
    )
    with transaction.atomic():
        now = timezone.now()
        for member in pending:
            member.user, member.joined_at = user, now
            member.save(update_fields=["user", "joined_at"])
            log_event(
                subject=member.jury,
                action=events.JUROR_JOINED,
                actor=user,
                from_state=member.jury.phase,
                to_state=member.jury.phase,
                data={"email": member.email},
            )
        if pending:
            user.groups.add(_juror_group())
        for jury in Jury.objects.filter(
            members__user=user, phase__in=PhaseAllows.DECLARE_CONFLICTS
        ).order_by("pk"):
            suggest_conflicts(jury=jury, actor=user, jurors=[user])


def transition_jury(*, jury: Jury, actor, transition_name: str, expected_state: str) -> Jury:
    if transition_name not in JURY_TRANSITIONS:
        raise WorkflowError(_("Unknown action."))
    with transaction.atomic():
        current = Jury.objects.select_related("call").get(pk=jury.pk)
        try:
            fire_transition(
                subject=current,
                transition_name=transition_name,
                actor=actor,
                expected_state=expected_state,
            )
        except TransitionRefused as refusal:
            raise jury_refusal(current, refusal) from None
    return current


def jury_refusal(jury, refusal: TransitionRefused) -> WorkflowError:
    """A refused phase change, explained."""
    if "has_valid_criteria" in refusal.failed_conditions:
        return WorkflowError(
            _("Scoring cannot start yet: the criteria's weights must add up to 100 %.")
        )
    if "has_due_date" in refusal.failed_conditions:
        return WorkflowError(_("Scoring cannot start yet: set the date the reviews are due."))
    return refusal
