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
from grants.models.funds import Fund, Topic
from grants.models.reminders import SentReminder

__all__ = [
    "AgreementDocument",
    "AgreementTerms",
    "Drawdown",
    "DrawdownLine",
    "ProofOfUse",
    "StatementLine",
    "Application",
    "Attachment",
    "BankDetailsCheck",
    "CalendarFeed",
    "Call",
    "ChangeRequest",
    "FinalReport",
    "Fund",
    "GovernmentCollaboration",
    "Grant",
    "InformationRequest",
    "InternalComment",
    "Milestone",
    "MilestoneReport",
    "Payment",
    "PlannedMilestone",
    "ReportLink",
    "SepaBatch",
    "SepaBatchItem",
    "SentReminder",
    "TeamMember",
    "Topic",
    "TransitionLog",
]
