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
from grants.models.contracts import ChangeRequest, Grant, Milestone
from grants.models.funds import Fund, Topic
from grants.models.payments import Payment
from grants.models.reminders import CalendarFeed, SentReminder
from grants.models.reports import (
    FinalReport,
    GovernmentCollaboration,
    MilestoneReport,
    ReportLink,
)

__all__ = [
    "Application",
    "Attachment",
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
    "SentReminder",
    "TeamMember",
    "Topic",
    "TransitionLog",
]
