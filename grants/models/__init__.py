from grants.contracts.models.agreements import ChangeRequest, Grant, Milestone
from grants.contracts.models.calendar import CalendarFeed
from grants.contracts.models.documents import AgreementDocument, AgreementTerms
from grants.contracts.models.drawdowns import Drawdown, DrawdownLine
from grants.contracts.models.payments import Payment
from grants.contracts.models.proof import ProofOfUse, StatementLine
from grants.contracts.models.reports import (
    FinalReport,
    GovernmentCollaboration,
    MilestoneReport,
    ReportLink,
)
from grants.contracts.models.transfers import BankDetailsCheck, SepaBatch, SepaBatchItem
from grants.conversations.models import (
    Announcement,
    AnnouncementRecipient,
    ConversationRead,
    Message,
)
from grants.inbox.models import Claim
from grants.models.applications import (
    Application,
    Attachment,
    InformationRequest,
    InternalComment,
    PlannedMilestone,
    TeamMember,
)
from grants.models.audit import TransitionLog
from grants.models.calls import Call
from grants.models.faq import FaqEntry
from grants.models.funds import Fund, Topic
from grants.models.questions import Answer, Question
from grants.models.reminders import SentReminder

__all__ = [
    "AgreementDocument",
    "AgreementTerms",
    "Drawdown",
    "DrawdownLine",
    "ProofOfUse",
    "StatementLine",
    "Announcement",
    "AnnouncementRecipient",
    "Answer",
    "Application",
    "Attachment",
    "BankDetailsCheck",
    "CalendarFeed",
    "Call",
    "ChangeRequest",
    "Claim",
    "FaqEntry",
    "ConversationRead",
    "FinalReport",
    "Fund",
    "GovernmentCollaboration",
    "Grant",
    "InformationRequest",
    "InternalComment",
    "Message",
    "Milestone",
    "MilestoneReport",
    "Payment",
    "PlannedMilestone",
    "Question",
    "ReportLink",
    "SepaBatch",
    "SepaBatchItem",
    "SentReminder",
    "TeamMember",
    "Topic",
    "TransitionLog",
]
