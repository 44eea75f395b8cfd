"""Pages of programme staff for the jury of a call, one module per page: set-up and jurors,
assignment, ranking, funding line and lottery, decisions. Thin: check the role, call one
query or service, render. Every write goes through review.services."""

from review.views.staff.assignment import (
    assignment,
    assignment_change,
    assignment_confirm,
    assignment_propose,
)
from review.views.staff.concepts import concept_decisions
from review.views.staff.decisions import (
    application_decide,
    application_discussion,
    application_jury,
    decisions,
    waitlist,
)
from review.views.staff.jury import (
    criteria,
    jury,
    member_topics,
    members,
    minimums,
    set_up,
    settings,
    transition,
)
from review.views.staff.line import (
    line,
    line_discard,
    line_draw,
    line_freeze,
    line_lottery,
    line_move,
    line_open_early,
)
from review.views.staff.ranking import ranking

__all__ = [
    "concept_decisions",
    "application_decide",
    "application_discussion",
    "application_jury",
    "assignment",
    "assignment_change",
    "assignment_confirm",
    "assignment_propose",
    "criteria",
    "decisions",
    "jury",
    "line",
    "line_discard",
    "line_draw",
    "line_freeze",
    "line_lottery",
    "line_move",
    "line_open_early",
    "member_topics",
    "members",
    "minimums",
    "ranking",
    "set_up",
    "settings",
    "transition",
    "waitlist",
]
