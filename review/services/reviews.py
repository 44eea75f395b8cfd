"""Jurors write reviews: drafts saved as they type, submitted when complete, reopened while
the phase allows. When the last review of an application is in, it moves to "reviewed".

A save reads nothing it does not need: the review with its context in one query, the
criteria as the page read them, the scores written in one statement (insert or update per
criterion), and the review's row written only if it still has the version the page showed
(Review._do_update), so no lock is needed to refuse a save from an older page. Submitting
locks the application's row: two jurors submitting its last two reviews take turns."""

import contextlib

from django.db import transaction
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition

from accounts.access import may
from core.errors import StaleObjectError, TransitionRefused, WorkflowError
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
    "assignment__application__owner_id",
    "assignment__application__call__state",
    "assignment__application__call__reviews_per_application",
    "assignment__application__call__jury__phase",
)


def _in_context(review) -> Review:
    """The review as stored now, with its assignment, application, call and jury: what the
    permission and the checks read. One query, no lock (a write is refused anyway if the
    review has been saved meanwhile: Review._do_update)."""
    return (
        Review.objects.select_related("assignment__application__call__jury")
        .only(*REVIEW_COLUMNS, *CONTEXT_COLUMNS)
        .get(pk=review.pk)
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


def _write_draft(current, criteria, *, entries, comment_for_staff, comment_for_applicant) -> None:
    """Validate and store the scores (one statement: each criterion's row inserted or
    updated) and the comments on the object (no permission or version check: the callers
    do those once). Keeps the review's scores in memory for the condition; reads the
    stored ones only if ``entries`` leave a criterion out (they keep what they had)."""
    errors = _field_errors(criteria, entries, comment_for_staff, comment_for_applicant)
    if errors:
        raise WorkflowError(
            _("Your review was not saved: please correct the marked fields."), field_errors=errors
        )
    scores = {}
    if set(entries) != {criterion.pk for criterion in criteria}:
        scores = {score.criterion_id: score for score in current.scores.all()}
    written = []
    for criterion_id, entry in entries.items():
        value = entry.get("value")
        score = Score(
            review=current,
            criterion_id=criterion_id,
            value=value,
            not_applicable=bool(entry.get("not_applicable")) and value is None,
            comment=entry.get("comment", "").strip(),
        )
        scores[criterion_id] = score
        written.append(score)
    if written:
        Score.objects.bulk_create(
            written,
            update_conflicts=True,
            unique_fields=["review", "criterion"],
            update_fields=["value", "not_applicable", "comment"],
        )
    current._prefetched_objects_cache = {
        **getattr(current, "_prefetched_objects_cache", {}),
        "scores": list(scores.values()),
    }
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


def _criteria(current, criteria):
    """The jury's criteria: as the caller read them (kept on the jury for the submission's
    condition), else read now."""
    jury = current.assignment.application.call.jury
    if criteria is None:
        return list(jury.criteria.all())
    jury._prefetched_objects_cache = {
        **getattr(jury, "_prefetched_objects_cache", {}),
        "criteria": list(criteria),
    }
    return list(criteria)


def _save(current) -> None:
    try:
        current.save(update_fields=REVIEW_FIELDS)
    except ConcurrentTransition:
        raise StaleObjectError(_stale_message()) from None


def save_review(
    *,
    review: Review,
    actor,
    expected_version: int,
    entries: dict,
    comment_for_staff: str = "",
    comment_for_applicant: str = "",
    criteria=None,
) -> Review:
    """Save a draft as typed. ``entries``: criterion id → {"value": int or None,
    "not_applicable": bool, "comment": str}; criteria not given keep what they had.
    ``criteria``: the jury's, if the caller has read them."""
    with transaction.atomic():
        current = _in_context(review)
        _refuse_unless_writable(current, actor)
        _check_draft(current, expected_version)
        _write_draft(
            current,
            _criteria(current, criteria),
            entries=entries,
            comment_for_staff=comment_for_staff,
            comment_for_applicant=comment_for_applicant,
        )
        _save(current)
    return current


def submit_review(
    *, review: Review, actor, expected_version: int, criteria=None, **draft
) -> Review:
    """Save what the form holds and submit it. If a criterion is still unscored the draft is
    kept (saved) and the refusal names the criteria still to score."""
    with transaction.atomic():
        current = _in_locked_context(review)
        _check_draft(current, expected_version)
        criteria = _criteria(current, criteria)
        _write_draft(current, criteria, **draft)
        missing = current.missing_scores(criteria)
        if missing:
            _refuse_unless_writable(current, actor)
            _save(current)
        else:
            # The transition checks the permission (a refusal rolls the scores back) and,
            # as the last guard, the condition again (from the scores in memory).
            try:
                fire_transition(
                    subject=current,
                    transition_name="submit",
                    actor=actor,
                    refused_message=_("This review can no longer be changed."),
                )
            except TransitionRefused:
                raise WorkflowError(_("This review can no longer be changed.")) from None
            _complete_application_if_all_in(current, actor)
    if missing:
        raise WorkflowError(
            _("Your draft is saved, but it is not complete yet. Still to score: %(criteria)s.")
            % {"criteria": ", ".join(criterion.name for criterion in missing)}
        )
    return current


def _in_locked_context(review) -> Review:
    """As ``_in_context``, with the application's row locked: two jurors submitting its
    last two reviews take turns, and the second one counts the first one's review (in a
    statement after the lock: one taking the lock sees the data as it was when it began)."""
    return (
        Review.objects.select_for_update(of=("assignment__application",))
        .select_related("assignment__application__call__jury")
        .only(*REVIEW_COLUMNS, *CONTEXT_COLUMNS)
        .get(pk=review.pk)
    )


def _complete_application_if_all_in(current, actor) -> None:
    """If this was the application's last review, it moves to "reviewed": its rule counts
    the reviews (one query), and refuses otherwise."""
    application = current.assignment.application
    if application.state == ApplicationState.IN_REVIEW:
        with contextlib.suppress(TransitionRefused):
            fire_transition(subject=application, transition_name="complete_reviews", actor=actor)


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
