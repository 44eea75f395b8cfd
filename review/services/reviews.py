"""Jurors write reviews: drafts saved as they type, submitted when complete, reopened while
the phase allows. When the last review of an application is in, it moves to "reviewed"."""

from django.db import transaction
from django.utils.translation import gettext as _
from django_fsm import has_transition_perm

from accounts.access import may
from core.errors import StaleObjectError, TransitionRefused, WorkflowError
from grants.models import Application
from grants.states import ApplicationState
from review.models import Review, Score
from review.states import COMMENT_MAX_CHARS, ReviewState
from workflow.transitions import fire_transition


def _stale_message():
    return _(
        "This review was saved from another window or device after you opened it. Your "
        "changes were not saved, so that the other changes are not lost. Your input is still "
        "shown below: copy what you need, reload the page and apply it again."
    )


def _locked_review(review) -> Review:
    """The review, locked, with its assignment, application, call and jury, its scores and
    the jury's criteria: everything the checks and the condition read, in three queries."""
    return (
        Review.objects.select_for_update(of=("self",))
        .select_related("assignment__application__call__jury")
        .only(*REVIEW_COLUMNS, *CONTEXT_COLUMNS)
        .prefetch_related("scores", "assignment__application__call__jury__criteria")
        .get(pk=review.pk)
    )


# What a review's checks read of its context; the proposal's long texts are not loaded.
REVIEW_COLUMNS = [field.name for field in Review._meta.concrete_fields]
CONTEXT_COLUMNS = (
    "assignment__juror_id",
    "assignment__confirmed_at",
    "assignment__released_at",
    "assignment__application__reference",
    "assignment__application__state",
    "assignment__application__owner_id",  # the owner is conflicted (review/audiences.py)
    "assignment__application__call__state",
    "assignment__application__call__reviews_per_application",
    "assignment__application__call__jury__phase",
)


def _field_errors(criteria, entries, comment_for_staff, comment_for_applicant) -> dict:
    errors = {}
    by_id = {criterion.pk: criterion for criterion in criteria}
    for criterion_id, entry in entries.items():
        criterion = by_id.get(criterion_id)
        if criterion is None:
            raise WorkflowError(_("Unknown criterion."))
        field = f"score_{criterion_id}"
        value = entry.get("value")
        low, high = criterion.bounds
        if value is not None and not low <= value <= high:
            errors[field] = [
                _("Give a whole number from %(low)s to %(high)s.") % {"low": low, "high": high}
            ]
        if entry.get("not_applicable"):
            if not criterion.allows_not_applicable:
                errors[field] = [_("This criterion must be scored.")]
            elif value is not None:
                errors[field] = [_("Give a score or mark it as not applicable, not both.")]
        if len(entry.get("comment", "")) > COMMENT_MAX_CHARS:
            errors[f"comment_{criterion_id}"] = [_too_long()]
    for name, text in (
        ("comment_for_staff", comment_for_staff),
        ("comment_for_applicant", comment_for_applicant),
    ):
        if len(text) > COMMENT_MAX_CHARS:
            errors[name] = [_too_long()]
    return errors


def _too_long():
    return _("At most %(limit)s characters.") % {"limit": COMMENT_MAX_CHARS}


def _write_draft(current, *, entries, comment_for_staff, comment_for_applicant) -> None:
    """Validate and store the scores and comments (no permission or version check: the
    callers do those once). Keeps the prefetched scores up to date for the condition."""
    criteria = list(current.assignment.application.call.jury.criteria.all())
    errors = _field_errors(criteria, entries, comment_for_staff, comment_for_applicant)
    if errors:
        raise WorkflowError(
            _("Your review was not saved: please correct the marked fields."), field_errors=errors
        )
    existing = {score.criterion_id: score for score in current.scores.all()}
    changed, added = [], []
    for criterion_id, entry in entries.items():
        value = entry.get("value")
        not_applicable = bool(entry.get("not_applicable")) and value is None
        comment = entry.get("comment", "").strip()
        score = existing.get(criterion_id)
        if score is None:
            score = Score(
                review=current,
                criterion_id=criterion_id,
                value=value,
                not_applicable=not_applicable,
                comment=comment,
            )
            added.append(score)
            existing[criterion_id] = score
        elif (score.value, score.not_applicable, score.comment) != (value, not_applicable, comment):
            score.value, score.not_applicable, score.comment = value, not_applicable, comment
            changed.append(score)
    if added:
        Score.objects.bulk_create(added)
    if changed:
        Score.objects.bulk_update(changed, ["value", "not_applicable", "comment"])
    current._prefetched_objects_cache["scores"] = list(existing.values())
    current.comment_for_staff = comment_for_staff.strip()
    current.comment_for_applicant = comment_for_applicant.strip()
    current.version += 1


def _refuse_unless_writable(current, actor) -> None:
    if not may(actor, "review.write_review", current):
        raise WorkflowError(_("This review can no longer be changed."))


def _check_draft(current, expected_version) -> None:
    if current.state != ReviewState.DRAFT:
        raise WorkflowError(_("This review has been submitted. Reopen it to change it."))
    if current.version != expected_version:
        raise StaleObjectError(_stale_message())


REVIEW_FIELDS = ["comment_for_staff", "comment_for_applicant", "version", "updated_at"]


def save_review(
    *,
    review: Review,
    actor,
    expected_version: int,
    entries: dict,
    comment_for_staff: str = "",
    comment_for_applicant: str = "",
) -> Review:
    """Save a draft as typed. ``entries``: criterion id → {"value": int or None,
    "not_applicable": bool, "comment": str}; criteria not given keep what they had."""
    with transaction.atomic():
        current = _locked_review(review)
        _refuse_unless_writable(current, actor)
        _check_draft(current, expected_version)
        _write_draft(
            current,
            entries=entries,
            comment_for_staff=comment_for_staff,
            comment_for_applicant=comment_for_applicant,
        )
        current.save(update_fields=REVIEW_FIELDS)
    return current


def submit_review(*, review: Review, actor, expected_version: int, **draft) -> Review:
    """Save what the form holds and submit it. If a criterion is still unscored the draft is
    kept (saved) and the refusal names the criteria still to score."""
    with transaction.atomic():
        current = _locked_review(review)
        _check_draft(current, expected_version)
        _write_draft(current, **draft)
        missing = current.missing_scores()
        if missing:
            _refuse_unless_writable(current, actor)
            current.save(update_fields=REVIEW_FIELDS)
        else:
            # The transition checks the permission (a refusal rolls the scores back) and,
            # as the last guard, the condition again (from the scores in memory).
            try:
                fire_transition(subject=current, transition_name="submit", actor=actor)
            except TransitionRefused:
                raise WorkflowError(_("This review can no longer be changed.")) from None
            _complete_application_if_all_in(current.assignment.application, actor)
    if missing:
        raise WorkflowError(
            _("Your draft is saved, but it is not complete yet. Still to score: %(criteria)s.")
            % {"criteria": ", ".join(criterion.name for criterion in missing)}
        )
    return current


def _complete_application_if_all_in(application, actor) -> None:
    # The row lock makes two jurors who submit the last two reviews at once take turns:
    # the second one counts the first one's review.
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("call")
        .only("state", "reference", "call__state", "call__reviews_per_application")
        .get(pk=application.pk)
    )
    if locked.state == ApplicationState.IN_REVIEW and has_transition_perm(
        locked.complete_reviews, actor
    ):
        fire_transition(subject=locked, transition_name="complete_reviews", actor=actor)


def reopen_review(*, review: Review, actor) -> Review:
    with transaction.atomic():
        current = _locked_review(review)
        current.version += 1
        fire_transition(
            subject=current,
            transition_name="reopen",
            actor=actor,
            expected_state=ReviewState.SUBMITTED,
            refused_message=_("This review can no longer be changed."),
        )
    return current
