"""The inventory of the grants and reporting apps: proposals, grants, reports and messages
(the juries: privacy/inventory/jury.py)."""

from django.utils.translation import gettext_lazy as _

from grants.models import (
    Announcement,
    AnnouncementRecipient,
    Answer,
    Application,
    Attachment,
    BankDetailsCheck,
    CalendarFeed,
    Call,
    CallTrack,
    ChangeRequest,
    Claim,
    ConversationRead,
    FaqEntry,
    FinalReport,
    Fund,
    GovernmentCollaboration,
    Grant,
    InformationRequest,
    InternalComment,
    Message,
    Milestone,
    MilestoneReport,
    Payment,
    PlannedMilestone,
    Question,
    ReportLink,
    SentReminder,
    SepaBatch,
    SepaBatchItem,
    TeamMember,
    Topic,
)
from privacy.inventory.registry import not_personal, personal
from privacy.kinds import DataKind as K
from privacy.kinds import LegalBasis as B
from privacy.retention import Rule as R
from reporting.models import (
    ArchivedReport,
    IndicatorTarget,
    QuarterlyDelivery,
    ReportSubscription,
)
from review.models import (
    ReviewReminder,
)

PROPOSALS = (R.DRAFTS, R.UNFUNDED, R.FUNDED)  # a proposal's data follows its fate
DECIDED = (R.UNFUNDED, R.FUNDED)  # data that exists once a proposal was submitted
FUNDED = (R.FUNDED,)
BY_STAFF = _("Written by the fund's staff about the fund and its calls")
PROPOSAL_PURPOSE = _("To assess and decide the application, and to run the grant")

# Proposals, as applicants write them.
personal(
    Application,
    "owner",
    kind=K.IDENTITY,
    basis=B.CONTRACT,
    purpose=_("Whose application it is"),
    retention=PROPOSALS,
)
personal(
    Application,
    "title",
    "summary",
    "repository_url",
    "total_hours",
    "requested_amount",
    kind=K.PROPOSAL,
    basis=B.CONTRACT,
    purpose=PROPOSAL_PURPOSE,
    retention=PROPOSALS,
)
personal(
    Application,
    "screening_note",
    "ineligibility_reasons",
    "awarded_amount",
    "decision_feedback",
    kind=K.REVIEW,
    basis=B.PUBLIC_TASK,
    purpose=_("To record the screening and the decision on the application"),
    retention=DECIDED,
)
not_personal(Application, "reference", reason=_("A running number of the call"))
# The answers to the questions of the call (the narrative sections among them) and the
# eligibility check's answers.
personal(
    Answer,
    "text",
    "number",
    "date",
    "boolean",
    "choices",
    "attachment",
    kind=K.PROPOSAL,
    basis=B.CONTRACT,
    purpose=PROPOSAL_PURPOSE,
    retention=PROPOSALS,
)
personal(
    TeamMember,
    "name",
    kind=K.IDENTITY,
    basis=B.CONTRACT,
    purpose=_("To name the team of an application"),
    retention=PROPOSALS,
)
personal(
    TeamMember,
    "email",
    kind=K.CONTACT,
    basis=B.CONTRACT,
    purpose=_("To invite team members to read the application they are named on"),
    retention=PROPOSALS,
)
personal(
    PlannedMilestone,
    "title",
    "deliverable",
    "hours",
    kind=K.PROPOSAL,
    basis=B.CONTRACT,
    purpose=PROPOSAL_PURPOSE,
    retention=PROPOSALS,
)
personal(
    Attachment,
    "original_name",
    "stored_name",
    kind=K.PROPOSAL,
    basis=B.CONTRACT,
    purpose=_("Files uploaded with a proposal or a milestone report (kept in private storage)"),
    retention=PROPOSALS,
)
personal(
    Attachment,
    "uploaded_by",
    kind=K.IDENTITY,
    basis=B.CONTRACT,
    purpose=_("Who uploaded a file (for the storage quota)"),
    retention=PROPOSALS,
)
not_personal(Attachment, "content_type", reason=_("The detected file type"))
personal(
    InformationRequest,
    "question",
    "answer",
    kind=K.PROPOSAL,
    basis=B.CONTRACT,
    purpose=_("Questions of the staff about a proposal, and the applicant's answers"),
    retention=DECIDED,
)
not_personal(InformationRequest, "editable_sections", reason=_("Names of sections"))
personal(
    InformationRequest,
    "asked_by",
    "answered_by",
    kind=K.IDENTITY,
    basis=B.PUBLIC_TASK,
    purpose=_("Who asked a question and who answered it"),
    retention=DECIDED,
)
personal(
    InternalComment,
    "body",
    kind=K.REVIEW,
    basis=B.PUBLIC_TASK,
    purpose=_("Notes among the staff about an application"),
    retention=DECIDED,
)
personal(
    InternalComment,
    "author",
    kind=K.IDENTITY,
    basis=B.PUBLIC_TASK,
    purpose=_("Who wrote a note"),
    retention=DECIDED,
)
not_personal(Fund, "name", "reference_prefix", reason=BY_STAFF)
not_personal(Topic, "slug", "name_de", "name_en", reason=BY_STAFF)
not_personal(
    Call, "slug", "title_de", "title_en", "description_de", "description_en", reason=BY_STAFF
)
not_personal(
    Call,
    "contact_name",
    "contact_email",
    "contact_phone",
    reason=_(
        "The fund's own contact for a call, which its staff publish on the call's page (the "
        "programme office's name, address and telephone)"
    ),
)
not_personal(FaqEntry, "question_de", "question_en", "answer_de", "answer_en", reason=BY_STAFF)
not_personal(CallTrack, "key", "name_de", "name_en", reason=BY_STAFF)
not_personal(
    Question,
    "key",
    "label_de",
    "label_en",
    "help_de",
    "help_en",
    "options",
    "condition_value",
    "disqualifying_values",
    "disqualification_reason_de",
    "disqualification_reason_en",
    reason=BY_STAFF,
)

# Funded projects: the grant, its milestones, reports, changes and payments.
personal(
    Grant,
    "prepared_by",
    "accepted_by",
    kind=K.IDENTITY,
    basis=B.CONTRACT,
    purpose=_("Who prepared the grant agreement and who accepted it"),
    retention=FUNDED,
)
personal(
    Grant,
    "account_holder",
    "iban_encrypted",
    "bic_encrypted",
    "iban_masked",
    kind=K.BANK,
    basis=B.CONTRACT,
    purpose=_("To pay the grant (IBAN and BIC encrypted; kept for the audit of payments)"),
    retention=(R.BANK,),
)
personal(
    Grant,
    "termination_reason",
    kind=K.REVIEW,
    basis=B.CONTRACT,
    purpose=_("Why a grant was terminated"),
    retention=FUNDED,
)
not_personal(Grant, "funding_reference", reason=_("The grant's number"))
personal(
    Grant,
    "publication_consent",
    kind=K.IDENTITY,
    basis=B.CONSENT,
    purpose=_(
        "To publish the grantee's name with the project (open data, transparency page, "
        "reports), only with their consent, which they can withdraw"
    ),
    retention=FUNDED,
)
personal(
    Milestone,
    "title",
    "deliverable",
    kind=K.PROPOSAL,
    basis=B.CONTRACT,
    purpose=_("The milestones of the grant agreement"),
    retention=FUNDED,
)
personal(
    ChangeRequest,
    "reason",
    kind=K.PROPOSAL,
    basis=B.CONTRACT,
    purpose=_("Why the grantee asked to change dates or amounts"),
    retention=FUNDED,
)
personal(
    ChangeRequest,
    "decision_note",
    kind=K.REVIEW,
    basis=B.CONTRACT,
    purpose=_("The staff's comment on a change request"),
    retention=FUNDED,
)
personal(
    ChangeRequest,
    "requested_by",
    "decided_by",
    kind=K.IDENTITY,
    basis=B.CONTRACT,
    purpose=_("Who asked for a change and who decided it"),
    retention=FUNDED,
)
not_personal(ChangeRequest, "new_amounts", "old_amounts", reason=_("Amounts per milestone number"))
personal(
    Payment,
    "created_by",
    kind=K.IDENTITY,
    basis=B.LEGAL_OBLIGATION,
    purpose=_("Who released or recorded a payment (four eyes)"),
    retention=FUNDED,
)
not_personal(Payment, "bank_reference", reason=_("The bank's number of a transfer"))

# Where the money goes: each account a grantee names, confirmed by staff, and the transfer
# files. The bank shredder deletes the holders, masked IBANs and files with the grant's
# bank details; the batches' dates, totals and checksums stay for the audit of payments.
BANK_PURPOSE = _("To pay the grant to the right account (four eyes, the audit of payments)")
personal(
    BankDetailsCheck,
    "account_holder",
    "iban_masked",
    "note",
    kind=K.BANK,
    basis=B.LEGAL_OBLIGATION,
    purpose=BANK_PURPOSE,
    retention=(R.BANK,),
)
personal(
    BankDetailsCheck,
    "requested_by",
    "confirmed_by",
    kind=K.IDENTITY,
    basis=B.LEGAL_OBLIGATION,
    purpose=_("Who named an account and who confirmed it after calling back"),
    retention=FUNDED,
)
personal(
    SepaBatchItem,
    "account_holder",
    "iban_masked",
    kind=K.BANK,
    basis=B.LEGAL_OBLIGATION,
    purpose=BANK_PURPOSE,
    retention=(R.BANK,),
)
not_personal(SepaBatchItem, "end_to_end_id", reason=_("A number the fund gives each transfer"))
personal(
    SepaBatch,
    "file_encrypted",
    kind=K.BANK,
    basis=B.LEGAL_OBLIGATION,
    purpose=_(
        "The transfer file as handed to the bank (encrypted), so that it is downloaded "
        "identically and paid once"
    ),
    retention=(R.BANK,),
)
personal(
    SepaBatch,
    "created_by",
    "closed_by",
    kind=K.IDENTITY,
    basis=B.LEGAL_OBLIGATION,
    purpose=_("Who made a transfer file and who recorded it paid or cancelled (four eyes)"),
    retention=FUNDED,
)
not_personal(
    SepaBatch,
    "message_id",
    "file_name",
    "sha256",
    "bank_reference",
    reason=_("Numbers of a transfer file, its checksum and the bank's reference"),
)
not_personal(
    SepaBatch, "cancel_reason", reason=_("Why staff cancelled a transfer file (about the file)")
)
personal(
    MilestoneReport,
    "delivered",
    "problems",
    kind=K.PROPOSAL,
    basis=B.CONTRACT,
    purpose=_("What the grantee reports per milestone (the ministry's figures count it)"),
    retention=FUNDED,
)
personal(
    MilestoneReport,
    "review_comment",
    kind=K.REVIEW,
    basis=B.CONTRACT,
    purpose=_("The staff's comment on a milestone report"),
    retention=FUNDED,
)
personal(
    MilestoneReport,
    "submitted_by",
    "reviewed_by",
    kind=K.IDENTITY,
    basis=B.CONTRACT,
    purpose=_("Who handed in and who checked a report"),
    retention=FUNDED,
)
personal(
    ReportLink,
    "url",
    kind=K.PROPOSAL,
    basis=B.CONTRACT,
    purpose=_("Links to what the project released (an address may name a person)"),
    retention=FUNDED,
)
not_personal(ReportLink, "licence", reason=_("A licence identifier"))
personal(
    GovernmentCollaboration,
    "description",
    kind=K.PROPOSAL,
    basis=B.CONTRACT,
    purpose=_("What public bodies do with the project"),
    retention=FUNDED,
)
not_personal(GovernmentCollaboration, "body", reason=_("The name of a public body"))
personal(
    FinalReport,
    "summary",
    "milestone_results",
    "contribution",
    "next_steps",
    "public_links",
    kind=K.PROPOSAL,
    basis=B.CONTRACT,
    purpose=_("The grantee's final report"),
    retention=FUNDED,
)
personal(
    FinalReport,
    "review_comment",
    kind=K.REVIEW,
    basis=B.CONTRACT,
    purpose=_("The staff's comment on the final report"),
    retention=FUNDED,
)
not_personal(FinalReport, "follow_up_funder", reason=_("The name of an organisation"))
personal(
    CalendarFeed,
    "user",
    "token",
    kind=K.TECHNICAL,
    basis=B.CONTRACT,
    purpose=_("The secret address of a grantee's calendar of due dates"),
    retention=(R.ACCOUNTS,),
)
personal(
    SentReminder,
    "recipient",
    kind=K.TECHNICAL,
    basis=B.CONTRACT,
    purpose=_("Which reminders were sent to whom, so that none is sent twice"),
    retention=(R.AUDIT_LOG,),
)
personal(
    ReviewReminder,
    "juror",
    kind=K.TECHNICAL,
    basis=B.CONTRACT,
    purpose=_("Which reminders were sent to whom, so that none is sent twice"),
    retention=(R.AUDIT_LOG,),
)

# Reports for the ministry.
not_personal(IndicatorTarget, "indicator", reason=_("The name of a figure"))
personal(
    IndicatorTarget,
    "set_by",
    kind=K.IDENTITY,
    basis=B.PUBLIC_TASK,
    purpose=_("Who set a target for the fund's figures"),
    retention=(R.ACCOUNTS,),
)
personal(
    ArchivedReport,
    "stored_name",
    kind=K.PROPOSAL,
    basis=B.PUBLIC_TASK,
    purpose=_(
        "Reports to the ministry: funded projects, and the names of grantees who agreed "
        "to their publication"
    ),
    retention=FUNDED,
)
personal(
    ArchivedReport,
    "requested_by",
    kind=K.IDENTITY,
    basis=B.PUBLIC_TASK,
    purpose=_("Who asked for a report, and who receives the quarterly report"),
    retention=(R.ACCOUNTS,),
)
personal(
    ReportSubscription,
    "user",
    kind=K.IDENTITY,
    basis=B.PUBLIC_TASK,
    purpose=_("Who asked for a report, and who receives the quarterly report"),
    retention=(R.ACCOUNTS,),
)
not_personal(
    ArchivedReport, "parameters", "quarter", "sha256", "error", reason=_("How a report was made")
)
not_personal(QuarterlyDelivery, "quarter", reason=_("A quarter of a year"))


# Conversations and the inbox (grants/conversations, grants/inbox).
personal(
    Message,
    "body",
    kind=K.PROPOSAL,
    basis=B.CONTRACT,
    purpose=_("Messages between the staff and an applicant's team about a proposal or grant"),
    retention=DECIDED,
)
personal(
    Message,
    "author",
    kind=K.IDENTITY,
    basis=B.CONTRACT,
    purpose=_("Who wrote a message"),
    retention=DECIDED,
)
personal(
    ConversationRead,
    "user",
    kind=K.TECHNICAL,
    basis=B.CONTRACT,
    purpose=_("Which messages a person has read, to mark the new ones"),
    retention=DECIDED,
)
not_personal(
    Announcement,
    "subject_de",
    "subject_en",
    "body_de",
    "body_en",
    reason=_("A text of the fund to many people"),
)
personal(
    Announcement,
    "sent_by",
    kind=K.IDENTITY,
    basis=B.PUBLIC_TASK,
    purpose=_("Who sent an announcement"),
    retention=(R.AUDIT_LOG,),
)
personal(
    AnnouncementRecipient,
    "user",
    kind=K.TECHNICAL,
    basis=B.CONTRACT,
    purpose=_("Who received an announcement, shown in their inbox"),
    retention=(R.ACCOUNTS,),
)
personal(
    Claim,
    "claimed_by",
    kind=K.IDENTITY,
    basis=B.PUBLIC_TASK,
    purpose=_("Which member of staff took over a piece of work"),
    retention=DECIDED,
)
