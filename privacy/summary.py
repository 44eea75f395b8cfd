"""The readable copy of a person's data (privacy.export), in their language: every value
under a label, lists as lists, nothing left out. Values are escaped."""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from grants.presentation import field_label
from grants.states import WORD_LIMITS

LABELS = {
    "name": _("Name"),
    "joined": _("Joined"),
    "roles": _("Roles"),
    "applications": _("Applications"),
    "grants": _("Grants"),
    "named_on_team_of": _("Named on the team of"),
    "juries": _("Juries"),
    "call": _("Call"),
    "reference": _("Reference"),
    "funding_reference": _("Funding reference"),
    "state": _("State"),
    "accepted": _("Agreement accepted"),
    "publication_consent": _("Consent to publication"),
    "application": _("Application"),
    "email": _("E-mail address"),
    "language": _("Language"),
    "email_addresses": _("E-mail addresses"),
    "verified": _("Confirmed"),
    "primary": _("Primary"),
    "topic": _("Topic"),
    "track": _("Track"),
    "created": _("Started"),
    "submitted": _("Submitted"),
    "licence": _("Licence"),
    "repository_url": _("Repository"),
    "hours": _("Hours"),
    "requested_amount": _("Requested (€)"),
    "awarded_amount": _("Awarded (€)"),
    "planned_milestones": _("Planned milestones"),
    "deliverable": _("Deliverable"),
    "month": _("Month"),
    "team": _("Team"),
    "attachments": _("Attachments"),
    "file": _("File"),
    "size": _("Size (bytes)"),
    "questions": _("Questions from the staff"),
    "question": _("Question"),
    "asked": _("Asked"),
    "answer": _("Answer"),
    "answered": _("Answered"),
    "timeline": _("Timeline"),
    "time": _("Time"),
    "what": _("What"),
    "note": _("Note"),
    "grant": _("Grant"),
    "amount": _("Amount (€)"),
    "period": _("Funding period"),
    "milestones": _("Milestones"),
    "due": _("Due"),
    "reports": _("Reports"),
    "version": _("Version"),
    "delivered": _("What was delivered"),
    "problems": _("Problems and changes"),
    "staff_comment": _("Comment of the staff"),
    "links": _("Links"),
    "public_bodies": _("Public bodies"),
    "change_requests": _("Change requests"),
    "reason": _("Reason"),
    "final_report": _("Final report"),
    "summary": _("Summary"),
    "contribution": _("Contribution"),
    "next_steps": _("Next steps"),
    "results": _("Results per milestone"),
    "public_links": _("Public links"),
    "about_your_proposals": _("Reviews of your proposals (decided calls)"),
    "review": _("Review"),
    "scores": _("Scores"),
    "criterion": _("Criterion"),
    "score": _("Score"),
    "not_applicable": _("Not applicable"),
    "comment": _("Comment"),
    "comment_for_you": _("Comment for you"),
    "comment_for_staff": _("Comment for the staff"),
    "comment_for_applicant": _("Comment for the applicant"),
    "screening": _("Screening"),
    "screening_note": _("Screening note"),
    "decision_feedback": _("Feedback to the team"),
    "reasons": _("Reasons"),
    "written_by_you": _("Reviews you wrote"),
    "conflicts_of_interest": _("Your conflicts of interest"),
    "discussion_comments_by_you": _("Your comments in juries' discussions"),
    "discussion_summaries_as_rapporteur": _("Your summaries as a jury's rapporteur"),
    "status": _("Status"),
    "kind": _("Kind"),
    "account_holder": _("Account holder"),
    "iban": _("IBAN (masked)"),
    "payments": _("Payments"),
    "accounts_named": _("Accounts you named"),
    "replaced_addresses": _("Addresses you replaced"),
    "named": _("Named"),
    "confirmed": _("Confirmed"),
    "how_confirmed": _("How the fund confirmed it"),
    "entry": _("Entry"),
    "recorded": _("Recorded"),
    "paid_on": _("Paid on"),
    "last_sign_in": _("Last sign-in"),
    "second_factors": _("Second factors"),
    "type": _("Type"),
    "since": _("Since"),
    "erasure_requests": _("Requests to erase your data"),
    "requested": _("Requested"),
    "handled": _("Handled"),
    "inactivity_warnings": _("Warnings about an unused account"),
    "your_actions_in_the_log": _("Your actions in the log"),
    "consents": _("Consents"),
    "purpose": _("Purpose"),
    "text": _("Wording"),
    "given": _("Given"),
    "withdrawn": _("Withdrawn"),
    "written": _("Written"),
}


def label(key) -> str:
    if key in WORD_LIMITS or key == "title":
        return str(field_label(key))
    return str(LABELS.get(key, str(key).replace("_", " ").capitalize()))


def render(value):
    """Safe HTML of a JSON value."""
    if isinstance(value, dict):
        return format_html(
            '<dl class="data">{}</dl>',
            format_html_join(
                "", "<dt>{}</dt><dd>{}</dd>", ((label(k), render(v)) for k, v in value.items())
            ),
        )
    if isinstance(value, list):
        if not value:
            return mark_safe("–")  # noqa: S308 (a constant)
        return format_html(
            "<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((render(v),) for v in value))
        )
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if value in (None, ""):
        return "–"
    return format_html('<span class="text">{}</span>', value)
