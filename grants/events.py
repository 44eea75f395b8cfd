"""Log actions of the grants app that are not transitions (those are declared on the
transitions themselves, see workflow.actions)."""

from django.utils.translation import gettext_lazy as _

from workflow.actions import event
from workflow.audit import register_personal_keys

DRAFT_STARTED = event("grants.application.created", _("Draft started"))
FULL_PROPOSAL_STARTED = event(
    "grants.application.full_proposal_started", _("Full proposal started from the concept")
)
INFORMATION_REQUESTED = event(
    "grants.application.information_requested", _("Information requested")
)
INFORMATION_PROVIDED = event("grants.application.information_provided", _("Information provided"))
CALL_CREATED = event("grants.call.created", _("Call created"))
CALL_RULES_CHANGED = event("grants.call.rules_changed", _("Rules changed"))
CALL_QUESTIONS_CHANGED = event("grants.call.questions_changed", _("Questions changed"))
CALL_TRACKS_CHANGED = event("grants.call.tracks_changed", _("Tracks changed"))
CALL_FAQ_CHANGED = event("grants.call.faq_changed", _("Questions and answers changed"))
CALL_GRANTEE_SECOND_FACTOR_CHANGED = event(
    "grants.call.grantee_second_factor_changed", _("Second factor for grantees switched")
)

# Funded projects.
AGREEMENT_PREPARED = event("grants.application.agreement_prepared", _("Grant agreement prepared"))
AGREEMENT_CHANGED = event("grants.application.agreement_changed", _("Grant agreement changed"))
AGREEMENT_OFFERED = event(
    "grants.application.agreement_offered", _("Grant agreement sent to the grantee")
)
AGREEMENT_DOCUMENT_MADE = event(
    "grants.application.agreement_document_made", _("Grant agreement PDF made for acceptance")
)
PROOF_OF_USE_ARCHIVED = event(
    "grants.finalreport.proof_of_use_archived", _("Proof of use archived")
)
PAYMENT_RELEASED_EARLY = event(
    "grants.application.payment_released_early",
    _("Payment released before the funding period starts"),
)
DRAWDOWN_REQUESTED = event("grants.drawdown.requested", _("Drawdown request made"))
BANK_DETAILS_CHANGED = event("grants.application.bank_details_changed", _("Bank details changed"))
register_personal_keys(BANK_DETAILS_CHANGED, "before", "after")  # masked IBANs
BANK_DETAILS_READ = event("grants.grant.bank_details_read", _("Bank details read (finance)"))
BANK_DETAILS_NAMED = event(
    "grants.bankdetailscheck.created", _("Account named, payments on hold until confirmed")
)
SEPA_EXPORTED = event("grants.application.sepa_exported", _("Included in a SEPA transfer file"))
SEPA_BATCH_CREATED = event("grants.sepabatch.created", _("Transfer file created"))
SEPA_BATCH_DOWNLOADED = event("grants.sepabatch.downloaded", _("Transfer file downloaded"))
SEPA_RELEASED = event(
    "grants.application.sepa_released", _("Taken out of a cancelled SEPA transfer file")
)
CHANGE_REQUESTED = event("grants.changerequest.created", _("Change requested"))
PUBLICATION_WITHDRAWN = event(
    "grants.grant.publication_consent_withdrawn", _("Consent to publication withdrawn")
)

# Conversations and the inbox.
MESSAGE_FROM_STAFF = event(
    "grants.application.message_from_staff", _("Message from the programme staff")
)
MESSAGE_FROM_TEAM = event("grants.application.message_from_team", _("Message from the applicant"))
ANNOUNCEMENT_SENT = event("grants.announcement.sent", _("Announcement sent"))
WORK_TAKEN_OVER = event("grants.work.taken_over", _("Taken over"))
WORK_RELEASED = event("grants.work.released", _("Released for everyone"))
