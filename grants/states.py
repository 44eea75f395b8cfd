"""Workflow states and choice lists of the grants app, named once."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    INELIGIBLE = "ineligible", _("Ineligible")
    ELIGIBLE = "eligible", _("Eligible")
    IN_REVIEW = "in_review", _("In review")
    REVIEWED = "reviewed", _("Reviewed")
    APPROVED = "approved", _("Approved")
    WAITLISTED = "waitlisted", _("Waitlisted")
    REJECTED = "rejected", _("Rejected")
    # The decision on a concept (the first stage of a two-stage call): no money.
    INVITED = "invited", _("Invited to the full proposal")
    NOT_INVITED = "not_invited", _("Not invited")
    FUNDED = "funded", _("Funded")
    FINAL_REPORT_DUE = "final_report_due", _("Final report due")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    TERMINATED = "terminated", _("Terminated")


class ApplicationStateGroup:
    """Named groups of states, as pretalx does, so rules and queries agree."""

    # The applicant may withdraw at any time before a decision.
    WITHDRAWABLE = (
        ApplicationState.DRAFT,
        ApplicationState.SUBMITTED,
        ApplicationState.ELIGIBLE,
        ApplicationState.IN_REVIEW,
        ApplicationState.REVIEWED,
        # An invited concept until its full proposal is started: withdrawing it withdraws
        # the invitation (grants.services.stages).
        ApplicationState.INVITED,
    )
    # Staff may ask the applicant for more information while the proposal is assessed.
    INFORMATION_REQUESTABLE = (
        ApplicationState.SUBMITTED,
        ApplicationState.ELIGIBLE,
        ApplicationState.IN_REVIEW,
    )
    SUBMITTED_ONWARDS = tuple(s for s in ApplicationState.values if s != ApplicationState.DRAFT)
    DECIDABLE = (ApplicationState.REVIEWED, ApplicationState.WAITLISTED)
    # A grant agreement has been signed: the project is funded (ministry viewers see these).
    # An approved application is not funded yet: it may never be signed.
    FUNDED_ONWARDS = (
        ApplicationState.FUNDED,
        ApplicationState.FINAL_REPORT_DUE,
        ApplicationState.COMPLETED,
        ApplicationState.TERMINATED,
    )
    # A running grant: signed and not finished, its milestones are reported on.
    RUNNING = (ApplicationState.FUNDED, ApplicationState.FINAL_REPORT_DUE)
    # The fund decided to fund it: approved, signed since or not (the ministry's "approved").
    APPROVED_ONWARDS = (ApplicationState.APPROVED, *FUNDED_ONWARDS)


class CallState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    IN_REVIEW = "in_review", _("In review")
    DECIDED = "decided", _("Decided")
    ARCHIVED = "archived", _("Archived")


class CallStage(models.TextChoices):
    """A call has one stage, or is one of two linked calls: a short concept whose invited
    teams write a full proposal in the next call (Call.next_stage)."""

    SINGLE = "single", _("One stage")
    CONCEPT = "concept", _("Stage 1: concept")
    FULL = "full", _("Stage 2: full proposal (invited teams only)")


class TrackKind(models.TextChoices):
    """Who applies in a track of a call (grants.CallTrack): one person, or a team."""

    INDIVIDUAL = "individual", _("Individual")
    TEAM = "team", _("Team")


# Bounds of a call's tracks (grants.CallTrack).
TRACKS_PER_CALL_MAX = 12
TRACK_NAME_MAX_CHARS = 100
TRACK_MONTHS_MAX = 36


class Licence(models.TextChoices):
    """A selection of OSI-approved licences (SPDX identifiers)."""

    AGPL_3 = "AGPL-3.0-or-later", _("GNU AGPL 3.0 or later")
    APACHE_2 = "Apache-2.0", "Apache License 2.0"
    BSD_2 = "BSD-2-Clause", "BSD 2-Clause"
    BSD_3 = "BSD-3-Clause", "BSD 3-Clause"
    EUPL_12 = "EUPL-1.2", _("European Union Public Licence 1.2")
    GPL_2 = "GPL-2.0-or-later", _("GNU GPL 2.0 or later")
    GPL_3 = "GPL-3.0-or-later", _("GNU GPL 3.0 or later")
    ISC = "ISC", "ISC License"
    LGPL_21 = "LGPL-2.1-or-later", _("GNU LGPL 2.1 or later")
    LGPL_3 = "LGPL-3.0-or-later", _("GNU LGPL 3.0 or later")
    MIT = "MIT", "MIT License"
    MPL_2 = "MPL-2.0", "Mozilla Public License 2.0"


class IneligibilityReason(models.TextChoices):
    NOT_OPEN_SOURCE = (
        "not_open_source",
        _("The result would not be published under an open licence"),
    )
    NOT_PROTOTYPE = (
        "not_prototype",
        _("Not a prototype: an existing product or routine maintenance"),
    )
    OUT_OF_SCOPE = "out_of_scope", _("Outside the fund's topics")
    NOT_ELIGIBLE_APPLICANT = (
        "not_eligible_applicant",
        _("Applicants are not eligible (residence, company, employment)"),
    )
    BUDGET = "budget", _("Budget does not fit the rules of the call")
    INCOMPLETE = "incomplete", _("Essential information is missing")
    DUPLICATE = "duplicate", _("Duplicate of another application")
    OTHER = "other", _("Other reason (see note)")


class QuestionKind(models.TextChoices):
    """What a question of a call asks for; each kind is stored in its own typed column of
    grants.Answer."""

    TEXT = "text", _("Short text (one line)")
    LONG_TEXT = "long_text", _("Long text")
    CHOICE = "choice", _("Choice of one option")
    MULTIPLE_CHOICE = "multiple_choice", _("Choice of several options")
    NUMBER = "number", _("Whole number")
    AMOUNT = "amount", _("Amount in euros")
    DATE = "date", _("Date")
    URL = "url", _("Web address")
    YES_NO = "yes_no", _("Yes or no")
    FILE = "file", _("File")


class QuestionKindGroup:
    TEXTS = (QuestionKind.TEXT, QuestionKind.LONG_TEXT)
    # Kinds whose answer another question's condition, or the eligibility check, can test.
    CHOOSING = (QuestionKind.CHOICE, QuestionKind.MULTIPLE_CHOICE, QuestionKind.YES_NO)
    WITH_OPTIONS = (QuestionKind.CHOICE, QuestionKind.MULTIPLE_CHOICE)
    # The eligibility check asks only what has a clear disqualifying answer.
    ELIGIBILITY = (QuestionKind.YES_NO, QuestionKind.CHOICE)
    # Short answers that fit a column of the staff list.
    SHORT = (
        QuestionKind.TEXT,
        QuestionKind.CHOICE,
        QuestionKind.MULTIPLE_CHOICE,
        QuestionKind.NUMBER,
        QuestionKind.AMOUNT,
        QuestionKind.DATE,
        QuestionKind.URL,
        QuestionKind.YES_NO,
    )


class QuestionPurpose(models.TextChoices):
    PROPOSAL = "proposal", _("Proposal")
    ELIGIBILITY = "eligibility", _("Eligibility check")


# Questions: bounds of what staff may build (each a bound of storage and of the page).
QUESTIONS_PER_CALL_MAX = 60
QUESTION_LABEL_MAX_CHARS = 300
# The questions and answers on a call's public page (grants.models.FaqEntry).
FAQ_QUESTION_MAX_CHARS = 300
FAQ_ANSWER_MAX_CHARS = 3_000
FAQ_ENTRIES_MAX = 30
QUESTION_HELP_MAX_CHARS = 2_000
QUESTION_OPTIONS_MAX = 20
QUESTION_OPTION_MAX_CHARS = 200
QUESTION_WORD_LIMIT_MAX = 5_000
SHORT_TEXT_MAX_CHARS = 500
# Names of the proposal's core parts: no question key may take one (unlocks and the log's
# record of changes name both in one list).
RESERVED_QUESTION_KEYS = (
    "title",
    "summary",
    "track",
    "topic",
    "licence",
    "repository_url",
    "milestones",
    "budget",
    "team",
    "answer",
    "version",
)
# The narrative sections every new call asks first (staff change them before the first
# submission): key → word limit. Their labels and help are in grants.questions.
DEFAULT_QUESTION_LIMITS = {
    "societal_challenge": 175,
    "technical_approach": 175,
    "prior_work": 100,
    "similar_approaches": 60,
    "target_group": 100,
    "team_experience": 100,
}


# Word limits of the proposal's core text sections (the narrative sections are questions of
# the call: grants.models.questions); the browser counts with the same rule.
WORD_LIMITS = {"summary": 100}
# Hard limits on stored text, checked on every save (a draft may be over its word limit,
# but not without bound): the proposal's sections, and notes, questions, answers, comments.
SECTION_MAX_CHARS = 20_000
NOTE_MAX_CHARS = 10_000
HOURS_PER_MILESTONE_MAX = 10_000  # a bound of storage, far above any real plan
# What a question to the applicant may unlock: the core text sections, any question of the
# call (by its key), and parts of the plan ("budget" unlocks the hours of the planned
# milestones, which make up the budget).
UNLOCKABLE_SECTIONS = ("title", *WORD_LIMITS, "repository_url")
UNLOCKABLE_PARTS = ("milestones", "budget", "team")
MILESTONES_MIN = 3
MILESTONES_MAX = 5
TEAM_SIZE_MAX = 4  # people in a team, the owner included


# ---------------------------------------------------------------------------------------
# Funded projects: the contract beside the application (grants/contracts/models/agreements.py).


class MilestoneState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    REPORT_SUBMITTED = "report_submitted", _("Report submitted")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    ACCEPTED = "accepted", _("Accepted")
    PAID = "paid", _("Paid")
    CANCELLED = "cancelled", _("Cancelled")


class MilestoneStateGroup:
    # The grantee still owes a report (these can be late).
    AWAITING_REPORT = (MilestoneState.PLANNED, MilestoneState.CHANGES_REQUESTED)
    # Cancelled on termination: nothing has been accepted or released for them yet.
    CANCELLABLE = (
        MilestoneState.PLANNED,
        MilestoneState.REPORT_SUBMITTED,
        MilestoneState.CHANGES_REQUESTED,
    )
    DONE = (MilestoneState.ACCEPTED, MilestoneState.PAID)


class ChangeRequestState(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class ChangeRequestKind(models.TextChoices):
    MILESTONE_DATE = "milestone_date", _("Move a milestone's due date")
    END_DATE = "end_date", _("Move the end of the funding period")
    AMOUNTS = "amounts", _("Shift amounts between milestones")


class FinalReportState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    ACCEPTED = "accepted", _("Accepted")


class PaymentKind(models.TextChoices):
    RELEASED = "released", _("Released")
    PAID = "paid", _("Paid")


class BankCheckState(models.TextChoices):
    """An account a grantee named: payments to it wait until staff confirmed it."""

    PENDING = "pending", _("Waiting for confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    SUPERSEDED = "superseded", _("Replaced before confirmation")


class BankCheckReason(models.TextChoices):
    AGREEMENT = "agreement", _("Given with the signed agreement")
    CHANGE = "change", _("Changed by the grantee")
    ON_FILE = "on_file", _("On file before confirmations were required")


class SepaBatchState(models.TextChoices):
    """A SEPA transfer file handed out: its payments are in transfer until the bank's
    execution is recorded (paid) or the batch is cancelled (they are free again)."""

    EXPORTED = "exported", _("In transfer")
    PAID = "paid", _("Paid")
    CANCELLED = "cancelled", _("Cancelled")


class LinkKind(models.TextChoices):
    REPOSITORY = "repository", _("Code repository")
    RELEASE = "release", _("Release")
    DATASET = "dataset", _("Dataset")
    DOCUMENTATION = "documentation", _("Documentation")
    OTHER = "other", _("Other")


# Links of these kinds carry a licence: code released and data opened (ministry outcomes).
LICENSED_LINK_KINDS = (LinkKind.REPOSITORY, LinkKind.DATASET)


class DataLicence(models.TextChoices):
    """Open licences for data sets (SPDX identifiers)."""

    CC0 = "CC0-1.0", "CC0 1.0"
    CC_BY_4 = "CC-BY-4.0", "CC BY 4.0"
    CC_BY_SA_4 = "CC-BY-SA-4.0", "CC BY-SA 4.0"
    DL_DE_BY_2 = "DL-DE-BY-2.0", _("Data licence Germany – attribution 2.0")
    DL_DE_ZERO_2 = "DL-DE-ZERO-2.0", _("Data licence Germany – zero 2.0")
    ODBL = "ODbL-1.0", "ODbL 1.0"


class GovernmentLevel(models.TextChoices):
    MUNICIPAL = "municipal", _("Municipality or district")
    STATE = "state", _("Federal state")
    FEDERAL = "federal", _("Federal government")
    EUROPEAN = "european", _("European Union")
    FOREIGN = "foreign", _("Public body abroad")


class CollaborationKind(models.TextChoices):
    PARTNER = "partner", _("Partners with the project")
    ADOPTS = "adopts", _("Uses the result in operation")
    REUSES = "reuses", _("Reuses or adapts the code or data")


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Due in 7 days")
    OVERDUE = "overdue", _("Overdue")
    STAFF_OVERDUE_LIST = "staff_overdue_list", _("Overdue list for staff")


REMINDER_LEAD_DAYS = 7
FINAL_REPORT_MONTHS_AFTER_END = 1


class StatementLineKind(models.TextChoices):
    """The lines of a proof of use's numerical statement (Verwendungsnachweis)."""

    PERSON = "person", _("Person")
    RECEIPT = "receipt", _("Receipt")


class BudgetCategory(models.TextChoices):
    """The categories in which a proof of use is compared with the plan: the plan is the
    proposal's hours × the call's rate, its flat-rate overhead, and no other costs."""

    PERSONNEL = "personnel", _("Personnel costs")
    OVERHEAD = "overhead", _("Overhead (flat rate)")
    OTHER = "other", _("Other costs")


class StatementLineState(models.TextChoices):
    """Staff check a proof of use line by line: accept it or query it; the grantee answers."""

    OPEN = "open", _("To be checked")
    ACCEPTED = "accepted", _("Accepted")
    QUERIED = "queried", _("Queried")
    ANSWERED = "answered", _("Answered")


# ---------------------------------------------------------------------------------------
# Conversations between programme staff and an application's team, and announcements.


class MessageKind(models.TextChoices):
    MESSAGE = "message", _("Message")
    # A question with a due date (an InformationRequest) and its answer: one kind of message.
    QUESTION = "question", _("Question with a due date")
    ANSWER = "answer", _("Answer to the question")


class AnnouncementAudience(models.TextChoices):
    CALL_APPLICANTS = "call_applicants", _("Everyone who applied to one call")
    CALL_GRANTEES = "call_grantees", _("The grantees of one call")
    ALL_GRANTEES = "all_grantees", _("The grantees of all calls")


# Audiences that name one call.
CALL_AUDIENCES = (AnnouncementAudience.CALL_APPLICANTS, AnnouncementAudience.CALL_GRANTEES)
MESSAGE_MAX_CHARS = 10_000
ANNOUNCEMENT_SUBJECT_MAX_CHARS = 150
ANNOUNCEMENT_BODY_MAX_CHARS = 10_000
# Files one message may carry.
ATTACHMENTS_PER_MESSAGE = 3
