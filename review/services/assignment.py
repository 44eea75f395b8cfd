"""Staff assign jurors: the solver proposes (review.maths.assignment), staff adjust single
assignments and confirm; jurors are then e-mailed their applications and the due date."""

import hashlib
from collections import defaultdict

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import may
from accounts.roles import Role
from core.errors import TransitionRefused, WorkflowError
from grants.queries import applications_visible_to
from grants.states import ApplicationState
from review import events
from review.maths.assignment import Problem, solve
from review.models import Assignment, ConflictOfInterest, Jury, JuryMember, Review
from review.services.conflicts import suggest_conflicts
from review.services.jury import jury_refusal
from review.states import BLOCKING_CONFLICTS, ConflictStatus, JuryPhase, PhaseAllows
from workflow.audit import log_event
from workflow.notifications import notify
from workflow.transitions import fire_transition


def _locked_jury(jury, actor) -> Jury:
    if not may(actor, "review.manage_jury"):
        raise WorkflowError(_("You may not do this now."))
    current = Jury.objects.select_for_update().select_related("call").get(pk=jury.pk)
    if current.phase not in PhaseAllows.ASSIGNING:
        raise WorkflowError(_("The jury of this call is closed."))
    return current


def jurors_of(jury):
    """Members who are users with the juror role, in the order they were added."""
    return (
        JuryMember.objects.filter(jury=jury, user__isnull=False, user__groups__name=Role.JUROR)
        .select_related("user")
        .prefetch_related("topics")
        .order_by("pk")
    )


def assignable_applications(jury, actor):
    """Applications whose review has started, as the actor sees them as staff."""
    return (
        applications_visible_to(actor, only="staff")
        .filter(call=jury.call, state=ApplicationState.IN_REVIEW)
        .order_by("pk")
        .only("pk", "state", "topic_id")
    )


def propose_assignment(*, jury: Jury, actor) -> dict:
    """Replace the unconfirmed proposal by the solver's optimum; confirmed assignments stay
    and count. Returns the solver's figures for the page and the log."""
    with transaction.atomic():
        jury = _locked_jury(jury, actor)
        suggest_conflicts(jury=jury, actor=actor)
        members = list(jurors_of(jury))
        applications = list(assignable_applications(jury, actor))
        if not members:
            raise WorkflowError(_("Add jurors before assigning applications."))
        if not applications:
            raise WorkflowError(_("No application is in review yet. Start their review first."))
        juror_ids = [member.user_id for member in members]
        app_ids = [application.pk for application in applications]
        existing = Assignment.objects.filter(application__in=app_ids, juror__in=juror_ids)
        existing.filter(confirmed_at__isnull=True, released_at__isnull=True).delete()
        kept = set(
            existing.filter(released_at__isnull=True).values_list("application_id", "juror_id")
        )
        released = set(
            existing.filter(released_at__isnull=False).values_list("application_id", "juror_id")
        )
        conflicts = set(
            ConflictOfInterest.objects.filter(
                application__in=app_ids, juror__in=juror_ids, status__in=BLOCKING_CONFLICTS
            ).values_list("application_id", "juror_id")
        )
        topics_of = {
            member.user_id: {topic.pk for topic in member.topics.all()} for member in members
        }
        preferred = frozenset(
            (application.pk, juror)
            for application in applications
            for juror in juror_ids
            if application.topic_id in topics_of[juror]
        )
        solution = solve(
            Problem(
                applications=app_ids,
                jurors=juror_ids,
                per_application=jury.reviews_per_application,
                per_juror=jury.max_per_juror,
                excluded=frozenset(conflicts | released),
                preferred=preferred,
                fixed=frozenset(kept),
                seed=_seed_of(jury.call),
            )
        )
        Assignment.objects.bulk_create(
            Assignment(application_id=app, juror_id=juror) for app, juror in sorted(solution.pairs)
        )
        figures = {
            "proposed": len(solution.pairs),
            "kept": len(kept),
            "missing": sum(solution.short.values()),
            "groups": len(solution.groups),
            "exchanges": solution.exchanges,
            "preferred": len(solution.pairs & preferred),
        }
        log_event(
            subject=jury,
            action=events.ASSIGNMENT_PROPOSED,
            actor=actor,
            from_state=jury.phase,
            to_state=jury.phase,
            data=figures,
        )
    return figures


def _seed_of(call) -> int:
    """The solver's tie-breaks: fixed per call (from its short name, not a database id, so
    the same data gives the same proposal in every database)."""
    return int(hashlib.sha256(call.slug.encode()).hexdigest()[:12], 16)


def _has_confirmed(jury) -> bool:
    return Assignment.objects.filter(
        application__call_id=jury.call_id, confirmed_at__isnull=False
    ).exists()


def change_assignment(
    *, jury: Jury, application_id: int, actor, remove_juror_id=None, add_juror_id=None
) -> None:
    """Take one juror off an application and/or put one on. Once the jury's assignment has
    been confirmed, a new juror is confirmed (and e-mailed) at once, and a juror taken off
    is released: their review, if any, stays in the record but out of sight."""
    if remove_juror_id is None and add_juror_id is None:
        raise WorkflowError(_("Choose a juror to take off or to add."))
    if add_juror_id is not None:
        # Committed on their own: what the system finds stays recorded even if it refuses
        # this change.
        with transaction.atomic():
            suggest_conflicts(jury=_locked_jury(jury, actor), actor=actor)
    with transaction.atomic():
        jury = _locked_jury(jury, actor)
        application = (
            assignable_applications(jury, actor)
            .filter(pk=application_id)
            .only("pk", "state", "reference")
            .first()
        )
        if application is None:
            raise WorkflowError(_("This application is not in review."))
        now = timezone.now()
        confirmed_mode = _has_confirmed(jury)
        changes = {"application": application.reference}
        if remove_juror_id is not None:
            assignment = Assignment.objects.filter(
                application=application, juror_id=remove_juror_id, released_at__isnull=True
            ).first()
            if assignment is None:
                raise WorkflowError(_("This juror is not assigned to the application."))
            if assignment.confirmed_at is None:
                assignment.delete()  # an unconfirmed proposal nobody has seen
            else:
                assignment.released_at, assignment.release_reason = now, "replaced by staff"
                assignment.save(update_fields=["released_at", "release_reason"])
            changes["removed"] = remove_juror_id
        if add_juror_id is not None:
            member = jurors_of(jury).filter(user_id=add_juror_id).first()
            if member is None:
                raise WorkflowError(_("This person is not a juror of this call."))
            conflict = ConflictOfInterest.objects.filter(
                juror_id=add_juror_id, application=application, status__in=BLOCKING_CONFLICTS
            ).first()
            if conflict is not None:
                raise WorkflowError(_conflict_refusal(conflict, member.user))
            assignment, created = Assignment.objects.get_or_create(
                application=application, juror_id=add_juror_id
            )
            if not created and assignment.released_at is None:
                raise WorkflowError(_("This juror is assigned to the application already."))
            assignment.released_at, assignment.release_reason = None, ""
            if confirmed_mode:
                assignment.confirmed_at = assignment.confirmed_at or now
            assignment.save()
            if confirmed_mode:
                Review.objects.get_or_create(assignment=assignment)
                _notify_jurors(jury, {add_juror_id})
            changes["added"] = add_juror_id
        log_event(
            subject=jury,
            action=events.ASSIGNMENT_CHANGED,
            actor=actor,
            from_state=jury.phase,
            to_state=jury.phase,
            data=changes,
        )


def _conflict_refusal(conflict, juror) -> str:
    if conflict.status == ConflictStatus.HARD:
        return _(
            "%(juror)s is the applicant or a team member of this application: a conflict of interest that cannot be dismissed."
        ) % {"juror": juror}
    return _("%(juror)s has a conflict of interest with this application.") % {"juror": juror}


def confirm_assignment(*, jury: Jury, actor) -> int:
    """Confirm the proposal: jurors see their applications and are e-mailed. The first
    confirmation starts independent scoring. Returns the number confirmed."""
    with transaction.atomic():
        jury = _locked_jury(jury, actor)
        proposals = Assignment.objects.filter(
            application__call_id=jury.call_id, confirmed_at__isnull=True, released_at__isnull=True
        )
        pending = list(proposals.values_list("pk", "juror_id"))
        if not pending:
            raise WorkflowError(_("There is no proposal to confirm. Compute one first."))
        if jury.phase == JuryPhase.PREPARATION:
            try:
                fire_transition(
                    subject=jury,
                    transition_name="start_scoring",
                    actor=actor,
                    expected_state=JuryPhase.PREPARATION,
                )
            except TransitionRefused as refusal:
                raise jury_refusal(jury, refusal) from None
        now = timezone.now()
        proposals.update(confirmed_at=now)
        Review.objects.bulk_create(Review(assignment_id=pk) for pk, _juror in pending)
        jurors = {juror for _pk, juror in pending}
        _notify_jurors(jury, jurors)
        log_event(
            subject=jury,
            action=events.ASSIGNMENT_CONFIRMED,
            actor=actor,
            from_state=jury.phase,
            to_state=jury.phase,
            data={"confirmed": len(pending), "jurors": len(jurors)},
        )
    return len(pending)


def _notify_jurors(jury, juror_ids) -> None:
    """E-mail each juror the number of applications they now have and the due date."""
    counts = defaultdict(int)
    for juror_id in Assignment.objects.filter(
        application__call_id=jury.call_id,
        juror_id__in=juror_ids,
        confirmed_at__isnull=False,
        released_at__isnull=True,
    ).values_list("juror_id", flat=True):
        counts[juror_id] += 1
    for member in JuryMember.objects.filter(jury=jury, user_id__in=juror_ids).select_related(
        "user"
    ):
        notify(
            to=member.user,
            template="jury_assignment",
            context={
                "call": jury.call,
                "count": counts[member.user_id],
                "due_on": jury.due_on,
                "for_juror": True,
            },
        )
