"""Log actions of the review app that are not transitions (those are declared on the
transitions themselves, see workflow.actions). Jury events are logged on the jury, line
events on the funding line, so an application's own timeline keeps its workflow steps."""

from django.utils.translation import gettext_lazy as _

from workflow.actions import event
from workflow.audit import register_personal_keys

JURY_SET_UP = event("review.jury.created", _("Jury set up"))
JURY_SETTINGS_CHANGED = event("review.jury.settings_changed", _("Jury settings changed"))
CRITERIA_CHANGED = event("review.jury.criteria_changed", _("Criteria changed"))
JUROR_ADDED = event("review.jury.juror_added", _("Juror added"))
JUROR_INVITED = event("review.jury.juror_invited", _("Juror invited"))
JUROR_JOINED = event("review.jury.juror_joined", _("Invited juror joined"))
JUROR_TOPICS_CHANGED = event("review.jury.juror_topics_changed", _("Preferred topics changed"))
CONFLICT_DECLARED = event("review.jury.conflict_declared", _("Conflict of interest declared"))
CONFLICT_DISMISSED = event("review.jury.conflict_dismissed", _("Suggested conflict dismissed"))
# Why the system suggested the conflict: an applicant's family name or e-mail domain.
register_personal_keys(CONFLICT_DISMISSED, "reasons")
CONFLICTS_SUGGESTED = event("review.jury.conflicts_suggested", _("Conflicts suggested"))
ASSIGNMENT_PROPOSED = event("review.jury.assignment_proposed", _("Assignment proposed"))
ASSIGNMENT_CHANGED = event("review.jury.assignment_changed", _("Assignment changed"))
ASSIGNMENT_CONFIRMED = event("review.jury.assignment_confirmed", _("Assignment confirmed"))
LINE_DRAWN = event("review.fundingline.created", _("Funding line drawn"))
LINE_MOVED = event("review.fundingline.moved", _("Application moved across the line"))
DECISIONS_OPENED_EARLY = event(
    "review.jury.decisions_opened_early", _("Decisions opened before the reviews are in")
)
TOPIC_MINIMUMS_CHANGED = event(
    "review.jury.topic_minimums_changed", _("Minimum shares of topics changed")
)
RECORD_TAKEN = event("review.selectionrecord.taken", _("Selection record taken"))
RECORD_SEALED = event("review.selectionrecord.sealed", _("Selection record sealed"))
RECORD_PDF = event("review.selectionrecord.downloaded", _("Selection record downloaded as PDF"))
# The discussion: logged on the comment or summary, never with its text.
COMMENT_WRITTEN = event("review.discussioncomment.written", _("Discussion comment written"))
COMMENT_WITHDRAWN = event("review.discussioncomment.withdrawn", _("Discussion comment withdrawn"))
RAPPORTEUR_NAMED = event("review.discussionsummary.rapporteur_named", _("Rapporteur named"))
SUMMARY_WRITTEN = event("review.discussionsummary.written", _("Discussion summary written"))
