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

__all__ = [
    "Application",
    "Attachment",
    "Call",
    "Fund",
    "InformationRequest",
    "InternalComment",
    "PlannedMilestone",
    "TeamMember",
    "Topic",
    "TransitionLog",
]
