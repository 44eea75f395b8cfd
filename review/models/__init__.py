from review.models.discussion import DiscussionComment, DiscussionSummary
from review.models.funding import FundingLine, FundingLineMove, ReviewReminder
from review.models.jury import Criterion, Jury, JuryMember, TopicMinimum
from review.models.ranking import SelectionRecord, StoredRanking
from review.models.work import Assignment, ConflictOfInterest, Review, Score

__all__ = [
    "Assignment",
    "ConflictOfInterest",
    "Criterion",
    "DiscussionComment",
    "DiscussionSummary",
    "FundingLine",
    "FundingLineMove",
    "Jury",
    "JuryMember",
    "Review",
    "ReviewReminder",
    "Score",
    "SelectionRecord",
    "StoredRanking",
    "TopicMinimum",
]
