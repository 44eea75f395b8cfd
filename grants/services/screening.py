"""Staff-side writes on applications: screening, review phase, questions, comments, bulk."""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.access import may
from core.errors import TransitionRefused, WorkflowError
from core.forms import LARGEST_ID
from grants import events
from grants.conversations.services.messages import add_question
from grants.models import Application, InformationRequest, InternalComment
from grants.queries import applications_visible_to, open_information_request_exists
from grants.services.answers import form_questions
from grants.services.limits import check_fields, check_note
from grants.states import (
    NOTE_MAX_CHARS,
    UNLOCKABLE_PARTS,
    UNLOCKABLE_SECTIONS,
    ApplicationStateGroup,
    IneligibilityReason,
    QuestionKind,
)
from workflow.actions import transitions_of
from workflow.audit import log_event
from workflow.notifications import notify
from workflow.transitions import fire_transition, transition_refusal, transition_target

# Bulk selections: at most this many applications at once, ids within the database's bigint.
BULK_MAX_APPLICATIONS = 500  # below Django's 1,000 form fields, so staff get a message

# A question is answered within weeks; a due date further out is a typing error.
ANSWER_DUE_WITHIN_DAYS = 90

# Transitions staff may fire on many applications at once: those declared with "bulk".
BULK_TRANSITIONS = tuple(
    name
    for name, transition in transitions_of(Application).items()
    if transition.custom.get("bulk")
)


def screen_application(
    *,
    application: Application,
    actor,
    eligible: bool,
    expected_state: str,
    reasons=(),
    note: str = "",
) -> Application:
    """Record the eligibility check. Ineligible needs reasons from the list; "other" needs a note."""
    reasons = list(dict.fromkeys(reasons))
    check_note(note, limit=NOTE_MAX_CHARS)
    if not eligible:
        unknown = set(reasons) - set(IneligibilityReason.values)
        if unknown or not reasons:
            raise WorkflowError(
                _("Choose at least one reason."),
                field_errors={"reasons": [_("Choose at least one reason.")]},
            )
        if IneligibilityReason.OTHER in reasons and not note.strip():
            raise WorkflowError(
                _("Explain the other reason in the note."),
                field_errors={"note": [_("Explain the other reason in the note.")]},
            )
    with transaction.atomic():
        current = Application.objects.select_related("owner").get(pk=application.pk)
        if not eligible:
            current.ineligibility_reasons = reasons
            current.screening_note = note
        try:
            fire_transition(
                subject=current,
                transition_name="mark_eligible" if eligible else "mark_ineligible",
                actor=actor,
                expected_state=expected_state,
                note="" if eligible else note,
            )
        except TransitionRefused as refusal:
            if "has_no_open_information_request" in refusal.failed_conditions:
                raise WorkflowError(
                    _("An information request is still open. Wait for the answer before screening.")
                ) from None
            raise
        notify(
            to=current.owner,
            template="application_eligible" if eligible else "application_ineligible",
            context={"application": current, "reason_codes": reasons, "note": note},
        )
    return current


class BulkRefused(WorkflowError):
    """A bulk step was refused as a whole; ``refusals`` says why, per application
    (reference → reason), so that staff can deselect those and try again."""

    def __init__(self, message, *, refusals):
        super().__init__(message)
        self.refusals = refusals


@dataclass
class BulkPlan:
    """What a bulk step would do: the selected applications, the moves it makes, counted
    by (from state, to state), and the applications it is not possible for, with reasons."""

    transition_name: str
    applications: list
    moves: Counter = field(default_factory=Counter)
    refusals: dict = field(default_factory=dict)


def _refusal_reason(application, refusal) -> str:
    if not isinstance(refusal, TransitionRefused):  # changed by someone else meanwhile
        return _("someone else changed it meanwhile")
    if refusal.reason == "state":
        return _("not possible while it is “%(state)s”") % {
            "state": application.get_state_display()
        }
    if refusal.reason == "permission":
        return _("you may not do this")
    if "has_no_open_information_request" in refusal.failed_conditions:
        return _("a question to the applicant is still open")
    return _("the conditions of this step are not met")


def _selected_applications(*, call, application_ids, transition_name, actor, annotate=False):
    """The selection, checked as every bulk step checks it (known action, a bounded number
    of ids of this call that the actor sees)."""
    if transition_name not in BULK_TRANSITIONS:
        raise WorkflowError(_("Unknown action."))
    application_ids = list(dict.fromkeys(int(pk) for pk in application_ids))
    if not application_ids:
        raise WorkflowError(_("Select at least one application."))
    if len(application_ids) > BULK_MAX_APPLICATIONS:
        raise WorkflowError(
            _("Select at most %(max)s applications at once.") % {"max": BULK_MAX_APPLICATIONS}
        )
    if not all(0 < pk <= LARGEST_ID for pk in application_ids):
        raise WorkflowError(_("Some selected applications do not belong to this call."))
    # What the actor may not see (drafts, for staff) is treated exactly like an unknown id,
    # so that a refusal never names it.
    applications = (
        applications_visible_to(actor, only="staff")
        .select_related("owner")
        .filter(call=call, pk__in=application_ids)
        .order_by("reference", "pk")
    )
    if annotate:  # one query for the conditions of every row (see has_no_open_…_request)
        applications = applications.annotate(has_open_question=open_information_request_exists())
    applications = list(applications)
    if len(applications) != len(application_ids):
        raise WorkflowError(_("Some selected applications do not belong to this call."))
    return applications


def plan_bulk_transition(*, call, application_ids, transition_name: str, actor) -> BulkPlan:
    """What bulk_transition_applications would do, without doing it: for the confirmation
    page, and to name each application the step is not possible for, and why."""
    applications = _selected_applications(
        call=call,
        application_ids=application_ids,
        transition_name=transition_name,
        actor=actor,
        annotate=True,
    )
    plan = BulkPlan(transition_name=transition_name, applications=applications)
    for application in applications:
        refusal = transition_refusal(
            subject=application, transition_name=transition_name, actor=actor
        )
        if refusal is None:
            target = transition_target(Application, transition_name, application.state)
            plan.moves[(application.state, target)] += 1
        else:
            plan.refusals[application.reference] = _refusal_reason(application, refusal)
    return plan


def bulk_transition_applications(*, call, application_ids, transition_name: str, actor) -> Counter:
    """Fire one transition on many applications in one transaction: all or nothing.
    Returns a Counter of (from, to) pairs for the summary; a refusal names, per
    application, why the step is not possible (BulkRefused)."""
    changes: Counter = Counter()
    with transaction.atomic():
        applications = _selected_applications(
            call=call,
            application_ids=application_ids,
            transition_name=transition_name,
            actor=actor,
        )
        refusals = {}
        for application in applications:
            try:
                entry = fire_transition(
                    subject=application, transition_name=transition_name, actor=actor
                )
            except WorkflowError as refusal:
                refusals[application.reference] = _refusal_reason(application, refusal)
                continue
            changes[(entry.from_state, entry.to_state)] += 1
            if transition_name == "mark_eligible":
                notify(
                    to=application.owner,
                    template="application_eligible",
                    context={"application": application},
                )
        if refusals:
            transaction.set_rollback(True)
            raise BulkRefused(
                _("Nothing was changed, because this step is not possible for: %(references)s.")
                % {"references": ", ".join(refusals)},
                refusals=refusals,
            )
    return changes


def due_date_error(due_on: dt.date) -> str | None:
    """Why a question's due date is not acceptable, or None: from today (Berlin) to
    ANSWER_DUE_WITHIN_DAYS days ahead."""
    today = timezone.localdate()
    latest = today + dt.timedelta(days=ANSWER_DUE_WITHIN_DAYS)
    if due_on < today:
        return _("The due date cannot be in the past.")
    if due_on > latest:
        return _("The due date can be at most %(days)s days ahead, until %(date)s.") % {
            "days": ANSWER_DUE_WITHIN_DAYS,
            "date": formats.date_format(latest, "DATE_FORMAT"),
        }
    return None


def request_information(
    *, application: Application, actor, question: str, due_on, editable_sections=()
) -> InformationRequest:
    if not may(actor, "grants.request_information", application):
        raise WorkflowError(_("You may not do this now."))
    if not question.strip():
        raise WorkflowError(
            _("Write the question."), field_errors={"question": [_("This field is required.")]}
        )
    if error := due_date_error(due_on):
        raise WorkflowError(error, field_errors={"due_on": [error]})
    check_note(question, limit=NOTE_MAX_CHARS, field="question")
    questions = form_questions(application.call_id)
    unlockable = {*UNLOCKABLE_SECTIONS, *UNLOCKABLE_PARTS}
    unlockable |= {key for key, q in questions.items() if q.kind != QuestionKind.FILE}
    if set(editable_sections) - unlockable:
        raise WorkflowError(_("Unknown section."))
    with transaction.atomic():
        current = (
            Application.objects.select_for_update().select_related("owner").get(pk=application.pk)
        )
        if current.state not in ApplicationStateGroup.INFORMATION_REQUESTABLE:
            raise WorkflowError(
                _("Questions can be asked only while an application is being assessed.")
            )
        if not current.has_no_open_information_request():
            raise WorkflowError(_("There is already an open question for this application."))
        information_request = InformationRequest.objects.create(
            application=current,
            question=question,
            due_on=due_on,
            editable_sections=list(editable_sections),
            asked_by=actor,
        )
        add_question(information_request)
        log_event(
            subject=current,
            action=events.INFORMATION_REQUESTED,
            actor=actor,
            from_state=current.state,
            to_state=current.state,
            note=question,
            visible_to_applicant=True,
        )
        notify(
            to=current.owner,
            template="information_requested",
            context={"application": current, "question": question, "due_on": due_on},
        )
    return information_request


def add_internal_comment(*, application: Application, actor, body: str) -> InternalComment:
    if not may(actor, "grants.comment_internally", application):
        raise WorkflowError(_("You may not do this now."))
    if not body.strip():
        raise WorkflowError(
            _("The comment is empty."), field_errors={"body": [_("This field is required.")]}
        )
    comment = InternalComment(application=application, author=actor, body=body.strip())
    check_fields(comment, ["body"])
    comment.save()
    return comment
