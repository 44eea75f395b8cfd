from django.urls import path

from review.views import juror, staff

urlpatterns = [
    # Jurors.
    path("jury/", juror.dashboard, name="jury_dashboard"),
    path("jury/calls/<slug:slug>/", juror.queue, name="jury_queue"),
    path("jury/calls/<slug:slug>/conflicts/", juror.conflicts, name="jury_conflicts"),
    path("jury/calls/<slug:slug>/conflicts/declare/", juror.declare, name="jury_conflict_declare"),
    path(
        "jury/calls/<slug:slug>/conflicts/<int:pk>/dismiss/",
        juror.dismiss,
        name="jury_conflict_dismiss",
    ),
    path("jury/reviews/<int:pk>/", juror.review, name="jury_review"),
    path("jury/reviews/<int:pk>/autosave/", juror.autosave, name="jury_review_autosave"),
    path("jury/reviews/<int:pk>/reopen/", juror.reopen, name="jury_review_reopen"),
    path("jury/reviews/<int:pk>/discussion/", juror.discussion, name="jury_review_discussion"),
    path(
        "jury/reviews/<int:pk>/discussion/comment/",
        juror.discussion_post,
        {"action": "comment"},
        name="jury_discussion_comment",
    ),
    path(
        "jury/reviews/<int:pk>/discussion/comments/<int:comment>/withdraw/",
        juror.discussion_post,
        {"action": "withdraw"},
        name="jury_discussion_withdraw",
    ),
    path(
        "jury/reviews/<int:pk>/discussion/summary/",
        juror.discussion_post,
        {"action": "summary"},
        name="jury_discussion_summary",
    ),
    # Programme staff.
    path("staff/calls/<slug:slug>/jury/", staff.jury, name="staff_jury"),
    path("staff/calls/<slug:slug>/jury/set-up/", staff.set_up, name="staff_jury_set_up"),
    path("staff/calls/<slug:slug>/jury/settings/", staff.settings, name="staff_jury_settings"),
    path("staff/calls/<slug:slug>/jury/phase/", staff.transition, name="staff_jury_transition"),
    path("staff/calls/<slug:slug>/jury/minimums/", staff.minimums, name="staff_jury_minimums"),
    path("staff/calls/<slug:slug>/jury/criteria/", staff.criteria, name="staff_jury_criteria"),
    path("staff/calls/<slug:slug>/jury/jurors/", staff.members, name="staff_jury_members"),
    path(
        "staff/calls/<slug:slug>/jury/jurors/<int:pk>/topics/",
        staff.member_topics,
        name="staff_jury_member_topics",
    ),
    path("staff/calls/<slug:slug>/jury/assignment/", staff.assignment, name="staff_assignment"),
    path(
        "staff/calls/<slug:slug>/jury/assignment/propose/",
        staff.assignment_propose,
        name="staff_assignment_propose",
    ),
    path(
        "staff/calls/<slug:slug>/jury/assignment/change/",
        staff.assignment_change,
        name="staff_assignment_change",
    ),
    path(
        "staff/calls/<slug:slug>/jury/assignment/confirm/",
        staff.assignment_confirm,
        name="staff_assignment_confirm",
    ),
    path("staff/calls/<slug:slug>/jury/ranking/", staff.ranking, name="staff_ranking"),
    path("staff/calls/<slug:slug>/jury/line/", staff.line, name="staff_line"),
    path("staff/calls/<slug:slug>/jury/line/draw/", staff.line_draw, name="staff_line_draw"),
    path(
        "staff/calls/<slug:slug>/jury/line/open-early/",
        staff.line_open_early,
        name="staff_line_open_early",
    ),
    path("staff/calls/<slug:slug>/jury/line/move/", staff.line_move, name="staff_line_move"),
    path("staff/calls/<slug:slug>/jury/line/freeze/", staff.line_freeze, name="staff_line_freeze"),
    path(
        "staff/calls/<slug:slug>/jury/line/lottery/", staff.line_lottery, name="staff_line_lottery"
    ),
    path(
        "staff/calls/<slug:slug>/jury/line/discard/", staff.line_discard, name="staff_line_discard"
    ),
    path("staff/calls/<slug:slug>/jury/decisions/", staff.decisions, name="staff_decisions"),
    path(
        "staff/calls/<slug:slug>/concepts/decisions/",
        staff.concept_decisions,
        name="staff_concept_decisions",
    ),
    path("staff/calls/<slug:slug>/jury/waitlist/", staff.waitlist, name="staff_waitlist"),
    path(
        "staff/applications/<int:pk>/jury/", staff.application_jury, name="staff_application_jury"
    ),
    path(
        "staff/applications/<int:pk>/jury/comment/",
        staff.application_discussion,
        {"action": "comment"},
        name="staff_discussion_comment",
    ),
    path(
        "staff/applications/<int:pk>/jury/comments/<int:comment>/withdraw/",
        staff.application_discussion,
        {"action": "withdraw"},
        name="staff_discussion_withdraw",
    ),
    path(
        "staff/applications/<int:pk>/jury/summary/",
        staff.application_discussion,
        {"action": "summary"},
        name="staff_discussion_summary",
    ),
    path(
        "staff/applications/<int:pk>/jury/rapporteur/",
        staff.application_discussion,
        {"action": "rapporteur"},
        name="staff_discussion_rapporteur",
    ),
    path(
        "staff/applications/<int:pk>/decide/",
        staff.application_decide,
        name="staff_application_decide",
    ),
]
