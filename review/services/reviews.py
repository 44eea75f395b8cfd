"""Jurors write reviews: drafts saved as they type, submitted when complete, reopened while
the phase allows. When the last review of an application is in, it moves to "reviewed"."""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.access import may
from grants.models import Application
from grants.states import ApplicationState
from review.models import Review, Score
from review.states import COMMENT_MAX_CHARS, ReviewState
from workflow.errors import StaleObjectError, TransitionRefused, WorkflowError
from workflow.transitions import fire_transition


def _stale_message():
    return _(
        "This review was saved from another window or device after you opened it. Your "
        "changes were not saved, so that the other changes are not lost. Your input is still "
        "shown below: copy what you need, reload the page and apply it again."
    )


def missing_scores(review, criteria=None, scores=None) -> list:
    """The criteria of ``review`` still without a score ("not applicable" counts as one
    where the criterion allows it)."""
    criteria = (
        list(review.assignment.application.call.jury.criteria.all())
        if criteria is None
        else criteria
    )
    scores = (
        {score.criterion_id: score for score in review.scores.all()} if scores is None else scores
    )
    missing = []
    for criterion in criteria:
        score = scores.get(criterion.pk)
        answered = score is not None and (
            score.value is not None or (score.not_applicable and criterion.allows_not_applicable)
        )
        if not answered:
            missing.append(criterion)
    return missing


def _locked_review(review) -> Review:
    return (
        Review.objects.select_for_update(of=("self",))
        .select_related("assignment__application__call__jury")
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
        if not may(actor, "review.write_review", current):
            raise WorkflowError(_("This review can no longer be changed."))
        if current.state != ReviewState.DRAFT:
            raise WorkflowError(_("This review has been submitted. Reopen it to change it."))
        if current.version != expected_version:
            raise StaleObjectError(_stale_message())
        criteria = list(current.assignment.application.call.jury.criteria.all())
        errors = _field_errors(criteria, entries, comment_for_staff, comment_for_applicant)
        if errors:
            raise WorkflowError(
                _("Your review was not saved: please correct the marked fields."),
                field_errors=errors,
            )
        existing = {score.criterion_id: score for score in current.scores.all()}
        changed, added = [], []
        for criterion_id, entry in entries.items():
            value = entry.get("value")
            not_applicable = bool(entry.get("not_applicable")) and value is None
            comment = entry.get("comment", "").strip()
            score = existing.get(criterion_id)
            if score is None:
                added.append(
                    Score(
                        review=current,
                        criterion_id=criterion_id,
                        value=value,
                        not_applicable=not_applicable,
                        comment=comment,
                    )
                )
            elif (score.value, score.not_applicable, score.comment) != (
                value,
                not_applicable,
                comment,
            ):
                score.value, score.not_applicable, score.comment = value, not_applicable, comment
                changed.append(score)
        if added:
            Score.objects.bulk_create(added)
        if changed:
            Score.objects.bulk_update(changed, ["value", "not_applicable", "comment"])
        current.comment_for_staff = comment_for_staff.strip()
        current.comment_for_applicant = comment_for_applicant.strip()
        current.version += 1
        current.save(
            update_fields=["comment_for_staff", "comment_for_applicant", "version", "updated_at"]
        )
    return current


def submit_review(*, review: Review, actor, expected_version: int, **draft) -> Review:
    """Save what the form holds, then submit. If something is missing the draft is kept and
    the refusal names the criteria still to score."""
    current = save_review(review=review, actor=actor, expected_version=expected_version, **draft)
    with transaction.atomic():
        current = _locked_review(current)
        current.version += 1
        try:
            fire_transition(subject=current, transition_name="submit", actor=actor)
        except TransitionRefused as refusal:
            if "is_complete" in refusal.failed_conditions:
                names = ", ".join(criterion.name for criterion in missing_scores(current))
                raise WorkflowError(
                    _(
                        "Your draft is saved, but it is not complete yet. Still to score: %(criteria)s."
                    )
                    % {"criteria": names}
                ) from None
            raise
        _complete_application_if_all_in(current.assignment.application_id, actor)
    return current


def _complete_application_if_all_in(application_id, actor) -> None:
    # The row lock makes two jurors who submit the last two reviews at once take turns:
    # the second one counts the first one's review.
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("call")
        .get(pk=application_id)
    )
    if application.state != ApplicationState.IN_REVIEW:
        return
    if may(actor, "review.complete_reviews", application):
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
