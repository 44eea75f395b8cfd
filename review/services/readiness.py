"""No decisions before the reviews are in. The funding line, its lottery and every
decision (one, in bulk, from the waiting list) need one of:

- the jury closed (no juror scores any more),
- every application of the call reviewed (none still waiting for screening or reviews),
- staff opening decisions early, with a reason that is logged on the jury.

Otherwise a line would silently leave out every application still lacking a review."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.access import may
from core.errors import WorkflowError
from grants.models import Application
from grants.states import ApplicationState
from review import events
from review.models import Jury
from review.states import NOTE_MAX_CHARS, JuryPhase
from workflow.audit import log_event

# Applications that would be missing from a line drawn now: not screened, or not reviewed.
AWAITING_REVIEW = (
    ApplicationState.SUBMITTED,
    ApplicationState.ELIGIBLE,
    ApplicationState.IN_REVIEW,
)


@dataclass(frozen=True)
class Readiness:
    jury: Jury | None
    waiting: int  # applications still awaiting screening or reviews

    @property
    def closed(self) -> bool:
        return self.jury is not None and self.jury.phase == JuryPhase.CLOSED

    @property
    def opened_early(self) -> bool:
        return self.jury is not None and self.jury.early_decisions_at is not None

    @property
    def ready(self) -> bool:
        return self.closed or self.waiting == 0 or self.opened_early

    def refusal(self) -> str:
        return ngettext(
            "The reviews are not all in: %(count)s application still awaits screening or "
            "reviews, and a funding line now would leave it out. Close the jury, wait until "
            "every application is reviewed, or open decisions early with a reason.",
            "The reviews are not all in: %(count)s applications still await screening or "
            "reviews, and a funding line now would leave them out. Close the jury, wait "
            "until every application is reviewed, or open decisions early with a reason.",
            self.waiting,
        ) % {"count": self.waiting}


def readiness(call, jury=None) -> Readiness:
    """One query (two without ``jury``)."""
    if jury is None:
        jury = Jury.objects.filter(call_id=call.pk).first()
    waiting = Application.objects.filter(call_id=call.pk, state__in=AWAITING_REVIEW).count()
    return Readiness(jury=jury, waiting=waiting)


def require_reviews_in(call) -> None:
    """Refuse (WorkflowError with the reason) unless decisions may be taken in ``call``."""
    state = readiness(call)
    if not state.ready:
        raise WorkflowError(state.refusal())


def open_decisions_early(*, jury: Jury, actor, reason: str) -> Jury:
    """Let the line and decisions go ahead before the reviews are in, with the reason."""
    reason = reason.strip()
    if not may(actor, "review.draw_funding_line"):
        raise WorkflowError(_("You may not do this now."))
    if not reason:
        raise WorkflowError(
            _("Give the reason for deciding before the reviews are in."),
            field_errors={"reason": [_("This field is required.")]},
        )
    if len(reason) > NOTE_MAX_CHARS:
        raise WorkflowError(
            _("The reason is too long (at most %(limit)s characters).") % {"limit": NOTE_MAX_CHARS},
            field_errors={
                "reason": [_("At most %(limit)s characters.") % {"limit": NOTE_MAX_CHARS}]
            },
        )
    with transaction.atomic():
        current = Jury.objects.select_for_update().get(pk=jury.pk)
        if current.early_decisions_at is not None:
            raise WorkflowError(_("Decisions have been opened early already."))
        state = readiness(current.call, current)
        if state.ready:
            raise WorkflowError(_("The reviews are in: decisions need no early opening."))
        current.early_decisions_reason = reason
        current.early_decisions_by = actor
        current.early_decisions_at = timezone.now()
        current.save(
            update_fields=["early_decisions_reason", "early_decisions_by", "early_decisions_at"]
        )
        log_event(
            subject=current,
            action=events.DECISIONS_OPENED_EARLY,
            actor=actor,
            from_state=current.phase,
            to_state=current.phase,
            note=reason,
            data={"waiting": state.waiting},
        )
    return current
