"""States, choices and limits of the review app, named once."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from grants.states import ApplicationState


class JuryPhase(models.TextChoices):
    """The review phases of a call; exactly one is active at a time (the jury's state)."""

    PREPARATION = "preparation", _("Preparation")
    SCORING = "scoring", _("Independent scoring")
    DISCUSSION = "discussion", _("Discussion")
    CLOSED = "closed", pgettext_lazy("jury phase", "Closed")


class PhaseAllows:
    """What each phase allows (pretalx keeps such capability flags on its review phases)."""

    # Jurors declare conflicts while they may still be assigned or are scoring.
    DECLARE_CONFLICTS = (JuryPhase.PREPARATION, JuryPhase.SCORING, JuryPhase.DISCUSSION)
    # Jurors write, submit and reopen their reviews.
    SCORING = (JuryPhase.SCORING, JuryPhase.DISCUSSION)
    # Jurors read the other submitted reviews of an application once theirs is submitted.
    READING_OTHERS = (JuryPhase.DISCUSSION,)
    # Staff compute and confirm assignments (and replace a juror later).
    ASSIGNING = (JuryPhase.PREPARATION, JuryPhase.SCORING, JuryPhase.DISCUSSION)
    # Criteria may change only before anyone scores against them.
    EDITING_CRITERIA = (JuryPhase.PREPARATION,)
    # The panel of an application and staff comment on it, and its rapporteur sums up.
    DISCUSSING = (JuryPhase.DISCUSSION,)
    # Staff name an application's rapporteur ahead of the discussion or during it.
    NAMING_RAPPORTEURS = (JuryPhase.SCORING, JuryPhase.DISCUSSION)


class Scale(models.TextChoices):
    ZERO_TO_TEN = "0-10", _("0 to 10")
    ONE_TO_FIVE = "1-5", _("1 to 5")

    @classmethod
    def bounds(cls, scale: str) -> tuple[int, int]:
        return (0, 10) if scale == cls.ZERO_TO_TEN else (1, 5)


class ConflictKind(models.TextChoices):
    OWN = "own", _("My own application or one I contributed to")
    COLLEAGUE = "colleague", _("A colleague (current or within the last three years)")
    ORGANISATION = "organisation", _("Same organisation")
    PERSONAL = "personal", _("Personal relationship (family, friendship, dispute)")
    OTHER = "other", _("Other reason (see note)")


class ConflictStatus(models.TextChoices):
    SUGGESTED = "suggested", _("Suggested, to confirm or dismiss")
    DECLARED = "declared", _("Declared")
    DISMISSED = "dismissed", _("Dismissed")
    # The juror's own application, or one whose team names a verified address of theirs.
    HARD = "hard", _("Own application or team member: cannot be dismissed")


# A suggestion counts as a conflict until the juror dismisses it: they are not assigned to
# the application and do not see it.
BLOCKING_CONFLICTS = (ConflictStatus.SUGGESTED, ConflictStatus.DECLARED, ConflictStatus.HARD)


class ReviewState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class RankingBasis(models.TextChoices):
    CALIBRATED = "calibrated", _("Calibrated score")
    RAW = "raw", _("Raw weighted mean")


class LineState(models.TextChoices):
    OPEN = "open", _("Proposal")
    FROZEN = "frozen", _("Grey zone frozen")
    DRAWN = "drawn", _("Lottery drawn")
    DISCARDED = "discarded", _("Discarded")


class LineMove(models.TextChoices):
    FUND = "fund", _("Fund (above the line)")
    DO_NOT_FUND = "do_not_fund", _("Do not fund (below the line)")


class SeedSource(models.TextChoices):
    """The public sources a lottery's seed may come from, named before the grey zone is
    frozen (review.maths.lottery.SEED_FORMATS says what each one publishes)."""

    LOTTERY_DRAW = "lottery_draw", _("A published lottery draw (its numbers)")
    DRAND = "drand", _("A round of the drand randomness beacon (League of Entropy)")
    NIST_BEACON = "nist_beacon", _("A pulse of the NIST randomness beacon")
    OTHER = "other", _("Another public source, named in the reference")


class LineStatus(models.TextChoices):
    """Where the funding line puts an application."""

    MOVED_IN = "moved_in", _("moved above the line")
    MOVED_OUT = "moved_out", _("moved below the line")
    MINIMUM = "minimum", _("funded for its topic's minimum")
    FUNDED = "funded", _("funded")
    FIRST_OUT = "first_out", _("the first that no longer fits: the line")
    FITS_REMAINING = "fits_remaining", _("fits the remaining money")
    BELOW = "below", _("below the line")


# Where an approval follows the line, and where waiting list or rejection does.
LINE_FUNDS = (LineStatus.MOVED_IN, LineStatus.MINIMUM, LineStatus.FUNDED)
LINE_LEAVES_OPEN = (LineStatus.FITS_REMAINING,)


class Decision(models.TextChoices):
    APPROVE = "approve", _("Approve")
    WAITLIST = "waitlist", _("Put on the waiting list")
    REJECT = "reject", _("Reject")
    # The decisions on a concept (the first stage of a two-stage call): no money.
    INVITE = "invite", _("Invite to the full proposal")
    NOT_INVITE = "not_invite", _("Do not invite")


# The decisions of a call with a budget, and those of a concept call.
MONEY_DECISIONS = (Decision.APPROVE, Decision.WAITLIST, Decision.REJECT)
CONCEPT_DECISIONS = (Decision.INVITE, Decision.NOT_INVITE)


def decision_choices(decisions) -> list[tuple[str, str]]:
    return [(decision.value, decision.label) for decision in decisions]


# Applications jurors work on: once staff have started their review, until withdrawn.
JURY_STATES = (
    ApplicationState.IN_REVIEW,
    ApplicationState.REVIEWED,
    ApplicationState.APPROVED,
    ApplicationState.WAITLISTED,
    ApplicationState.REJECTED,
    ApplicationState.INVITED,
    ApplicationState.NOT_INVITED,
    ApplicationState.FUNDED,
    ApplicationState.FINAL_REPORT_DUE,
    ApplicationState.COMPLETED,
    ApplicationState.TERMINATED,
)
# Applications a juror may declare a conflict with: those the jury may still see.
CONFLICT_LIST_STATES = (ApplicationState.ELIGIBLE, *JURY_STATES)
# Applications on the ranking: reviewed ones and those still being reviewed or decided.
RANKED_STATES = (
    ApplicationState.IN_REVIEW,
    ApplicationState.REVIEWED,
    ApplicationState.APPROVED,
    ApplicationState.WAITLISTED,
    ApplicationState.REJECTED,
    ApplicationState.INVITED,
    ApplicationState.NOT_INVITED,
    ApplicationState.FUNDED,
    ApplicationState.FINAL_REPORT_DUE,
    ApplicationState.COMPLETED,
    ApplicationState.TERMINATED,
)

COMMENT_MAX_CHARS = 5000
DISCUSSION_COMMENT_MAX_CHARS = 4000
SUMMARY_MAX_CHARS = 8000
NOTE_MAX_CHARS = 2000
SEED_MAX_CHARS = 200
SEED_REFERENCE_MAX_CHARS = 200
