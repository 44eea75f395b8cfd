"""The inventory of the review app: juries, conflicts, reviews, the discussion, the ranking
and the funding line."""

from django.utils.translation import gettext_lazy as _

from privacy.inventory.funding import BY_STAFF, DECIDED
from privacy.inventory.registry import not_personal, personal
from privacy.kinds import DataKind as K
from privacy.kinds import LegalBasis as B
from review.models import (
    Assignment,
    ConflictOfInterest,
    Criterion,
    DiscussionComment,
    DiscussionSummary,
    FundingLine,
    FundingLineMove,
    Jury,
    JuryMember,
    Review,
    Score,
    SelectionRecord,
    StoredRanking,
)

personal(
    JuryMember,
    "user",
    kind=K.IDENTITY,
    basis=B.PUBLIC_TASK,
    purpose=_("Who is on a call's jury"),
    retention=DECIDED,
)
personal(
    JuryMember,
    "email",
    kind=K.CONTACT,
    basis=B.PUBLIC_TASK,
    purpose=_("To invite a juror who has no account yet"),
    retention=DECIDED,
)
not_personal(Criterion, "name_de", "name_en", "guidance_de", "guidance_en", reason=BY_STAFF)
personal(
    ConflictOfInterest,
    "juror",
    kind=K.IDENTITY,
    basis=B.PUBLIC_TASK,
    purpose=_("Which juror reviews which application, or may not"),
    retention=DECIDED,
)
personal(
    Assignment,
    "juror",
    kind=K.IDENTITY,
    basis=B.PUBLIC_TASK,
    purpose=_("Which juror reviews which application, or may not"),
    retention=DECIDED,
)
personal(
    ConflictOfInterest,
    "note",
    "reasons",
    kind=K.REVIEW,
    basis=B.PUBLIC_TASK,
    purpose=_("Why a juror may not review an application (the suggestion names the reason)"),
    retention=DECIDED,
)
personal(
    Assignment,
    "release_reason",
    kind=K.REVIEW,
    basis=B.PUBLIC_TASK,
    purpose=_("Why a juror no longer reviews an application"),
    retention=DECIDED,
)
personal(
    Review,
    "comment_for_staff",
    "comment_for_applicant",
    kind=K.REVIEW,
    basis=B.PUBLIC_TASK,
    purpose=_("The jury's assessment of a proposal"),
    retention=DECIDED,
)
personal(
    Score,
    "value",
    "comment",
    kind=K.REVIEW,
    basis=B.PUBLIC_TASK,
    purpose=_("The jury's assessment of a proposal"),
    retention=DECIDED,
)
personal(
    FundingLine,
    "ranking",
    "grey_zone",
    "lottery",
    kind=K.REVIEW,
    basis=B.PUBLIC_TASK,
    purpose=_(
        "The funding line's ranking: references, titles, amounts, ranks and scores (titles "
        "erased with the proposal)"
    ),
    retention=DECIDED,
)
not_personal(FundingLine, "seed", reason=_("A public random number"))
not_personal(FundingLine, "seed_reference", reason=_("Which public draw or round gives the seed"))
not_personal(FundingLine, "minimums", reason=_("Topics' shares of the budget"))
personal(
    SelectionRecord,
    "ranking",
    "lines",
    "decisions",
    kind=K.REVIEW,
    basis=B.PUBLIC_TASK,
    purpose=_(
        "The call's selection record, sealed at its decision: ranks, scores, funding lines, "
        "decisions with their reasons and who took them (titles and reasons erased with "
        "the proposal)"
    ),
    retention=DECIDED,
)
personal(
    DiscussionComment,
    "author",
    kind=K.IDENTITY,
    basis=B.PUBLIC_TASK,
    purpose=_("Who wrote in the jury's discussion of an application"),
    retention=DECIDED,
)
personal(
    DiscussionComment,
    "body",
    kind=K.REVIEW,
    basis=B.PUBLIC_TASK,
    purpose=_(
        "The jury's discussion of a proposal (read by staff and the jurors of its panel; "
        "erased with the proposal, or with the juror's reviews)"
    ),
    retention=DECIDED,
)
personal(
    DiscussionSummary,
    "rapporteur",
    "named_by",
    "written_by",
    kind=K.IDENTITY,
    basis=B.PUBLIC_TASK,
    purpose=_("Who sums up the jury's discussion of an application, and who named them"),
    retention=DECIDED,
)
personal(
    DiscussionSummary,
    "text",
    kind=K.REVIEW,
    basis=B.PUBLIC_TASK,
    purpose=_(
        "The rapporteur's summary of the jury's discussion, kept in the call's selection "
        "record (erased with the proposal, or with the rapporteur's reviews)"
    ),
    retention=DECIDED,
)
not_personal(
    StoredRanking,
    "input_version",
    "figures",
    reason=_("Scores and ranks per application number, and their checksum; no names or texts"),
)
not_personal(Jury, "early_decisions_reason", reason=BY_STAFF)
personal(
    Jury,
    "early_decisions_by",
    kind=K.IDENTITY,
    basis=B.PUBLIC_TASK,
    purpose=_("Who opened the decisions before the reviews were in"),
    retention=DECIDED,
)
personal(
    FundingLineMove,
    "reason",
    kind=K.REVIEW,
    basis=B.PUBLIC_TASK,
    purpose=_("Why staff moved an application across the funding line"),
    retention=DECIDED,
)
personal(
    FundingLine,
    "created_by",
    kind=K.IDENTITY,
    basis=B.PUBLIC_TASK,
    purpose=_("Who drew a funding line or moved an application across it"),
    retention=DECIDED,
)
personal(
    FundingLineMove,
    "actor",
    kind=K.IDENTITY,
    basis=B.PUBLIC_TASK,
    purpose=_("Who drew a funding line or moved an application across it"),
    retention=DECIDED,
)
