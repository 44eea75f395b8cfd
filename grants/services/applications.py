"""Applicant-side writes: start, edit, submit, withdraw, answer questions."""

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.access import may
from core.errors import StaleObjectError, TransitionRefused, WorkflowError
from grants import events
from grants.completeness import completeness_errors
from grants.conversations.services.messages import add_answer
from grants.models import Application, Call, PlannedMilestone, TeamMember
from grants.queries import question_lists
from grants.questions import eligibility_outcome, eligibility_questions, json_values
from grants.questions import proposal_questions as questions_of
from grants.services.answers import form_questions, record_eligibility, write_answers
from grants.services.limits import check_fields, check_lengths, check_note
from grants.states import (
    NOTE_MAX_CHARS,
    WORD_LIMITS,
    ApplicationState,
    ApplicationStateGroup,
)
from workflow.audit import log_event
from workflow.notifications import notify
from workflow.transitions import fire_transition

EDITABLE_FIELDS = (
    "track",
    "topic",
    "title",
    *WORD_LIMITS,
    "licence",
    "repository_url",
)
TEXT_FIELDS = ("title", *WORD_LIMITS, "repository_url")


def _draft_changed_message():
    return _(
        "This draft was saved from another window or device after you opened it. "
        "Your changes were not saved, so that the other changes are not lost. "
        "Your input is still shown below: copy what you need, reload the page and apply it again."
    )


def _deadline_message(call):
    closes = timezone.localtime(call.closes_at) if call.closes_at else None
    if closes is None:
        return _("This call does not accept applications.")
    return _(
        "The call closed on %(date)s (Berlin time). Your draft is kept, but it can no longer be submitted."
    ) % {"date": formats.date_format(closes - timezone.timedelta(seconds=1), "DATETIME_FORMAT")}


def _eligibility_refusal(outcome) -> WorkflowError:
    if outcome["failed"]:
        return WorkflowError(
            _("Your answers to the eligibility check rule out an application: %(reasons)s")
            % {"reasons": " ".join(q.disqualification_reason for q in outcome["failed"])}
        )
    return WorkflowError(_("Please answer the eligibility check of this call first."))


def start_application(*, call: Call, actor, eligibility_answers: dict | None = None) -> Application:
    """Create an empty draft with the next reference of the call, e.g. CTF-2026-1-0042.
    A call with an eligibility check needs its answers (question key → value), none of them
    disqualifying; they are kept with the draft."""
    if not may(actor, "grants.start_application"):
        raise WorkflowError(_("Only applicants can start an application."))
    if call.is_full_stage:
        raise WorkflowError(
            _(
                "Only teams invited after the concept stage can apply to this call: start the "
                "full proposal from the page of your invited concept."
            )
        )
    if not call.accepts_submissions():
        raise WorkflowError(_("This call is not open for applications."))
    # The call's questions as the page read them (prefetched), else one query.
    checks = eligibility_questions(call)
    outcome = eligibility_outcome(checks, eligibility_answers or {})
    if not outcome["passed"]:
        raise _eligibility_refusal(outcome)
    with transaction.atomic():
        application = create_draft(call=call, actor=actor)
        record_eligibility(application, checks, eligibility_answers or {})
        log_event(
            subject=application,
            action=events.DRAFT_STARTED,
            actor=actor,
            to_state=ApplicationState.DRAFT,
            visible_to_applicant=True,
        )
    return application


def create_draft(*, call: Call, actor, **fields) -> Application:
    """An empty draft with the next reference of the call, e.g. CTF-2026-1-0042, within the
    limit of open drafts per person and call. Call inside a transaction."""
    # The update locks the call's row: parallel starts are counted one after another.
    Call.objects.filter(pk=call.pk).update(last_sequence=F("last_sequence") + 1)
    open_drafts = Application.objects.filter(
        call=call, owner=actor, state=ApplicationState.DRAFT
    ).count()
    if open_drafts >= settings.OPEN_DRAFTS_PER_CALL:
        raise WorkflowError(
            ngettext(
                "You already have %(count)s open draft in this call. Submit or withdraw "
                "it before you start another one.",
                "You already have %(count)s open drafts in this call. Submit or withdraw "
                "one of them before you start another one.",
                open_drafts,
            )
            % {"count": open_drafts}
        )
    sequence = Call.objects.values_list("last_sequence", flat=True).get(pk=call.pk)
    reference = f"{call.fund.reference_prefix}-{call.year}-{call.round_number}-{sequence:04d}"
    return Application.objects.create(call=call, owner=actor, reference=reference, **fields)


def _locked_drafts():
    """The application locked for a save or a submission, with its call read (not locked).

    Only the application's row is locked: every save and submission in a call reads the
    same call row, and locking it too would queue them all behind each other's commits in
    the last hour before the deadline. Nothing here changes the call; the deadline is its
    closing time, checked when the submission is made."""
    return Application.objects.select_for_update(of=("self",)).select_related("call", "track")


def update_draft(
    *,
    application: Application,
    actor,
    expected_version: int,
    fields: dict,
    milestones: list[dict],
    team_members: list[dict],
    answers: dict | None = None,
    questions: list | None = None,
) -> Application:
    """Save a draft as typed, refusing only a stale edit and text longer than its field: the
    rules (required parts, word limits, months of the track, team addresses, the cap) are
    checked at preview and on submission, so a draft is never lost to them. ``answers``:
    question key → value, for the questions of the call's form (files: store_answer_file);
    ``questions``: those questions if the caller has read them (the form's), saving a query."""
    with transaction.atomic():
        current = _locked_drafts().get(pk=application.pk)
        if not may(actor, "grants.edit_application", current):
            raise WorkflowError(_("This application can no longer be edited."))
        if current.version != expected_version:
            raise StaleObjectError(_draft_changed_message())
        for name, value in fields.items():
            if name not in EDITABLE_FIELDS:
                raise ValueError(f"{name} is not editable")
            setattr(current, name, value)
        if current.track is not None and current.track.call_id != current.call_id:
            raise WorkflowError(
                _("Choose one of the tracks of this call."),
                field_errors={"track": [_("Choose one of the tracks of this call.")]},
            )
        check_fields(current, TEXT_FIELDS)
        for milestone in milestones:
            check_fields(PlannedMilestone(**milestone), milestone, key="milestones")
        for member in team_members:
            check_lengths(TeamMember(**member), member, key="team")
        write_answers(current, answers or {}, questions=_form_questions(current, questions))
        _replace_milestones(current, milestones)
        _sync_team_members(current, team_members)
        current.total_hours = sum(m.get("hours") or 0 for m in milestones)
        current.requested_amount = current.budget()["requested"]
        current.version += 1
        current.save()
    return current


def _form_questions(application, questions) -> dict:
    """key → question of the draft's form: the caller's list (of this call), or read."""
    if questions is None:
        return form_questions(application.call_id)
    if any(q.call_id != application.call_id for q in questions):
        raise ValueError("questions of another call")
    return {q.key: q for q in questions}


def _replace_milestones(application, milestones):
    # Planned milestones of a draft are part of its text: they are rewritten as a whole.
    application.planned_milestones.all().delete()
    PlannedMilestone.objects.bulk_create(
        PlannedMilestone(application=application, position=index, **milestone)
        for index, milestone in enumerate(milestones, start=1)
    )


def _sync_team_members(application, team_members) -> list[TeamMember]:
    """Keep the members who stay (with their invitation time), rename, remove and add the
    rest, in the order typed: at most one query of each kind, however large the team.
    A member is the same person while the address is the same (ignoring case); rows without
    an address, or repeating one, are kept as typed (the rules flag them). Returns the added."""
    existing: dict[str, list[TeamMember]] = {}
    for member in application.team_members.all():
        existing.setdefault(member.email.lower(), []).append(member)
    kept, renamed, added = [], [], []
    for wanted in team_members:
        matches = existing.get(wanted["email"].lower()) if wanted["email"] else None
        if matches:
            member = matches.pop(0)
            kept.append(member.pk)
            if member.name != wanted["name"]:
                member.name = wanted["name"]
                renamed.append(member)
        else:
            added.append(TeamMember(application=application, **wanted))
    removed = [m.pk for members in existing.values() for m in members if m.pk not in kept]
    if removed:
        TeamMember.objects.filter(pk__in=removed).delete()
    if renamed:
        TeamMember.objects.bulk_update(renamed, ["name"])
    if added:
        TeamMember.objects.bulk_create(added)
    return added


def submit_application(*, application: Application, actor, expected_version: int) -> Application:
    """Submit a complete draft before the deadline; the draft stays untouched if refused.

    Each thing is checked once: the version here, ownership and state by the transition's
    permission and source, the deadline and completeness by its conditions (django-fsm, the
    last guard). Milestones and team are loaded once, for the completeness check and the
    team invitations."""
    with transaction.atomic():
        current = (
            _locked_drafts()
            .prefetch_related("planned_milestones", "team_members", *question_lists())
            .get(pk=application.pk)
        )
        if current.version != expected_version:
            raise StaleObjectError(_draft_changed_message())
        try:
            fire_transition(subject=current, transition_name="submit", actor=actor)
        except TransitionRefused as refusal:
            raise _submission_refused(current, refusal) from None
        notify(to=actor, template="application_submitted", context={"application": current})
        uninvited = [member for member in current.team_members.all() if member.invited_at is None]
        for member in uninvited:
            notify(
                to=member.email,
                language=actor.language,
                template="team_invitation",
                context={"application": current, "member_name": member.name},
            )
        if uninvited:
            TeamMember.objects.filter(pk__in=[member.pk for member in uninvited]).update(
                invited_at=current.submitted_at
            )
    return current


def _submission_refused(application, refusal: TransitionRefused) -> WorkflowError:
    """The refusal of a submission, explained."""
    if refusal.reason == "state":
        return WorkflowError(_("This application has already been submitted or withdrawn."))
    if "call_accepts_submissions" in refusal.failed_conditions:
        return WorkflowError(_deadline_message(application.call))
    if "is_complete" in refusal.failed_conditions:
        return WorkflowError(
            _(
                "Your application is not complete yet. Your draft is saved; please fix the points below."
            ),
            field_errors=completeness_errors(application),
        )
    return refusal


def withdraw_application(
    *, application: Application, actor, expected_state: str, note: str = ""
) -> Application:
    check_note(note, limit=NOTE_MAX_CHARS)
    with transaction.atomic():
        current = (
            Application.objects.select_for_update(of=("self",))
            .select_related("owner", "call")
            .get(pk=application.pk)
        )
        entry = fire_transition(
            subject=current,
            transition_name="withdraw",
            actor=actor,
            expected_state=expected_state,
            note=note,
            refused_message=_("This application can no longer be withdrawn."),
        )
        if entry.from_state != ApplicationState.DRAFT:
            notify(
                to=current.owner,
                template="application_withdrawn",
                context={"application": current},
            )
        _withdraw_full_proposal(current, actor)
    return current


def _withdraw_full_proposal(concept: Application, actor) -> None:
    """Withdrawing a concept withdraws its invitation, and the full proposal started from
    it while that can still be withdrawn."""
    if not concept.call.is_concept_stage:
        return
    full = (
        Application.objects.select_for_update()
        .filter(concept=concept, state__in=ApplicationStateGroup.WITHDRAWABLE)
        .first()
    )
    if full is None:
        return
    fire_transition(
        subject=full,
        transition_name="withdraw",
        actor=actor,
        note=_("Withdrawn with its concept %(reference)s.") % {"reference": concept.reference},
    )


def answer_information_request(
    *,
    application: Application,
    actor,
    answer: str,
    section_values: dict,
    expected_version: int,
    milestones: list[dict] | None = None,
    milestone_hours: list[int | None] | None = None,
    team_members: list[dict] | None = None,
    answers: dict | None = None,
) -> Application:
    """Answer staff's open question; the applicant may change the parts it unlocked: text
    sections, answers to the call's questions (``answers``: key → value), and the milestones (``milestones``, rows as in a draft), their hours alone
    (``budget``: ``milestone_hours`` by position) or the team (``team_members``). What the
    answer changed is kept in the log entry's data, for staff to see as a diff."""
    with transaction.atomic():
        current = (
            Application.objects.select_for_update()
            .select_related("call", "owner")
            .prefetch_related(*SNAPSHOT_LISTS)
            .get(pk=application.pk)
        )
        if not may(actor, "grants.answer_information_request", current):
            raise WorkflowError(_("There is no open question to answer."))
        if current.version != expected_version:
            raise StaleObjectError(_draft_changed_message())
        if not answer.strip():
            raise WorkflowError(
                _("Please write an answer."),
                field_errors={"answer": [_("This field is required.")]},
            )
        open_request = current.information_requests.get(answered_at__isnull=True)
        unlocked = set(open_request.editable_sections)
        before = snapshot(current)
        for name, value in section_values.items():
            if name not in unlocked or name not in TEXT_FIELDS:
                raise WorkflowError(_("This section may not be changed."))
            setattr(current, name, value)
        open_request.answer = answer
        check_fields(open_request, ["answer"])
        check_fields(current, section_values)
        questions = {q.key: q for q in questions_of(current.call) if q.key in unlocked}
        write_answers(current, answers or {}, questions=questions)
        current._prefetched_objects_cache.pop("answers", None)  # read again for the checks
        _apply_unlocked_plan(current, unlocked, milestones, milestone_hours, team_members)
        # The application was complete when it was submitted and must stay so: the parts the
        # answer may change are checked as on submission (required, word limits, a web
        # address, months, hours, the cap, the team). Problems elsewhere are not the
        # applicant's to fix here.
        relevant = unlocked | ({"milestones"} if "budget" in unlocked else set())
        errors = {
            name: messages
            for name, messages in completeness_errors(current).items()
            if name in relevant
        }
        if errors:
            transaction.set_rollback(True)
            raise WorkflowError(
                _(
                    "Your answer was not sent: the application must stay complete. "
                    "Please correct the marked sections."
                ),
                field_errors=errors,
            )
        open_request.answered_by = actor
        open_request.answered_at = timezone.now()
        open_request.save()
        add_answer(open_request)
        current.version += 1
        current.save()
        changes = changed_parts(before, snapshot(current))
        log_event(
            subject=current,
            action=events.INFORMATION_PROVIDED,
            actor=actor,
            from_state=current.state,
            to_state=current.state,
            note=answer,
            data={"information_request": open_request.pk, "changes": changes},
            visible_to_applicant=True,
        )
        _invite_new_team_members(current, actor)
    return current


def _apply_unlocked_plan(application, unlocked, milestones, milestone_hours, team_members):
    """Milestones, their hours and the team, as far as the question unlocked them; the
    budget follows the hours. Lengths are checked as on every save."""
    given = {
        "milestones": milestones is not None,
        "budget": milestone_hours is not None,
        "team": team_members is not None,
    }
    for part, is_given in given.items():
        if is_given and part not in unlocked:
            raise WorkflowError(_("This section may not be changed."))
    if milestones is not None:
        for milestone in milestones:
            check_fields(PlannedMilestone(**milestone), milestone, key="milestones")
        _replace_milestones(application, milestones)
    elif milestone_hours is not None:
        planned = list(application.planned_milestones.all())
        if len(milestone_hours) != len(planned):
            raise WorkflowError(_("This section may not be changed."))
        for milestone, hours in zip(planned, milestone_hours, strict=True):
            milestone.hours = hours
        PlannedMilestone.objects.bulk_update(planned, ["hours"])
    if team_members is not None:
        for member in team_members:
            check_lengths(TeamMember(**member), member, key="team")
        _sync_team_members(application, team_members)
    if milestones is not None or milestone_hours is not None or team_members is not None:
        # Read the rows again for the checks and the record of what changed.
        application._prefetched_objects_cache = {}
    if milestones is not None or milestone_hours is not None:
        application.total_hours = sum(m.hours or 0 for m in application.planned_milestones.all())
        application.requested_amount = application.budget()["requested"]


def _invite_new_team_members(application, actor):
    """Members added by an answer are invited as those named at submission were."""
    uninvited = [m for m in application.team_members.all() if m.invited_at is None]
    for member in uninvited:
        notify(
            to=member.email,
            language=actor.language,
            template="team_invitation",
            context={"application": application, "member_name": member.name},
        )
    if uninvited:
        TeamMember.objects.filter(pk__in=[m.pk for m in uninvited]).update(
            invited_at=timezone.now()
        )


# What snapshot() reads, for prefetch_related.
SNAPSHOT_LISTS = ("planned_milestones", "team_members", *question_lists())


def snapshot(application) -> dict:
    """The parts of a proposal an answer may change, as JSON values (answers by their
    question's key)."""
    return {
        **{name: getattr(application, name) for name in TEXT_FIELDS},
        **json_values(questions_of(application.call), application),
        "milestones": [
            {
                "title": m.title,
                "deliverable": m.deliverable,
                "month": m.month,
                "hours": m.hours,
            }
            for m in application.planned_milestones.all()
        ],
        "team": [{"name": m.name, "email": m.email} for m in application.team_members.all()],
        "budget": {
            "hours": application.total_hours,
            "requested": str(application.requested_amount),
        },
    }


def changed_parts(before: dict, after: dict) -> dict:
    """{part: {"from": …, "to": …}} for every part that differs."""
    return {
        name: {"from": before[name], "to": after[name]}
        for name in before
        if before[name] != after[name]
    }
