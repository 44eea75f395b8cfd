"""The e-mails of the grants app, their shipped words and placeholders (workflow.emails).

The shipped texts continue after the greeting ("Hello Lena Schmidt,") with a capital in
English and, as German letters do, in lower case in German."""

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.formats import euro
from grants.states import IneligibilityReason
from workflow.emails import (
    SIGN_UP_LINK,
    Audience,
    EmailKind,
    Placeholder,
    bullet_list,
    date_text,
    link_placeholder,
    register,
)
from workflow.emails import absolute_url as site

# ---------------------------------------------------------------------------------------
# Placeholders


REFERENCE = Placeholder("reference", gettext_lazy("the application's reference"), "CTF-2026-1-0042")
TITLE = Placeholder(
    "title", gettext_lazy("the title of the proposal"), gettext_lazy("Open council minutes")
)
CALL = Placeholder("call", gettext_lazy("the title of the call"), gettext_lazy("Round 2026/1"))
APPLICATION_LINK = link_placeholder(
    gettext_lazy("the address of the application's page"), "/applications/42/"
)
AMOUNT = Placeholder("amount", gettext_lazy("the amount awarded"), lambda: euro(47_500))
FEEDBACK = Placeholder(
    "feedback",
    gettext_lazy("the feedback jurors wrote for the applicant, with its heading (empty if none)"),
    lambda: feedback_text([_("A clear plan; the pilot municipality is well chosen.")]),
)
NOTE = Placeholder(
    "note",
    gettext_lazy("the note the programme staff wrote (may be empty)"),
    gettext_lazy("Please see our notes on the work plan."),
)
GRANT_REFERENCE = Placeholder(
    "reference", gettext_lazy("the funding reference of the grant"), "01CTF26042"
)
FINAL_REPORT_LINK = link_placeholder(
    gettext_lazy("the address of the final report"), "/grantee/grants/42/final-report/"
)
GRANT_LINK = link_placeholder(
    gettext_lazy("the address of the page named in the text"), "/grantee/grants/42/"
)
DUE_DATE = Placeholder("due_date", gettext_lazy("the due date"), lambda: date_text(sample_day()))
VALID_UNTIL = Placeholder(
    "valid_until",
    gettext_lazy("the last day on which the invited team can start its full proposal"),
    lambda: date_text(sample_day()),
)


def sample_day():
    return dt.date(2026, 12, 24)


def feedback_text(texts) -> str:
    texts = [text for text in texts if text]
    if not texts:
        return ""
    # Blank lines between the texts: each may have paragraphs of its own.
    return _("Feedback from the jury:") + "\n\n" + "\n\n".join(f"– {text}" for text in texts)


# ---------------------------------------------------------------------------------------
# Values from a notification's context


def _application_values(context) -> dict[str, str]:
    application = context["application"]
    return {
        "reference": application.reference,
        "title": application.title,
        "call": application.call.title,
        "link": site(reverse("application_detail", args=[application.pk])),
        "amount": euro(application.awarded_amount) if application.awarded_amount else "",
        "feedback": feedback_text(context.get("feedback") or []),
    }


def _concept_values(context) -> dict[str, str]:
    return {**_application_values(context), "note": context["application"].decision_feedback}


def _invitation_values(context) -> dict[str, str]:
    return {
        **_concept_values(context),
        "valid_until": date_text(context["application"].invitation_valid_until),
    }


def _ineligible_values(context) -> dict[str, str]:
    return {
        **_application_values(context),
        "reasons": bullet_list(_reason_label(code) for code in context.get("reason_codes") or []),
        "note": context.get("note") or "",
    }


def _reason_label(code) -> str:
    try:
        return str(IneligibilityReason(code).label)
    except ValueError:
        return code


def _question_values(context) -> dict[str, str]:
    application = context["application"]
    return {
        "reference": application.reference,
        "title": application.title,
        "question": context.get("question") or "",
        "due_date": date_text(context.get("due_on")),
        "link": site(reverse("application_answer", args=[application.pk])),
    }


def _team_values(context) -> dict[str, str]:
    application = context["application"]
    return {
        "reference": application.reference,
        "title": application.title,
        "owner": application.owner.get_full_name(),
        "link": site(reverse("account_signup")),
    }


def _grant_values(link_name=None, *, link_of="grant"):
    def values(context) -> dict[str, str]:
        grant = context["grant"]
        milestone = context.get("milestone")
        result = {
            "reference": grant.funding_reference,
            "application": grant.application.reference,
            "title": grant.application.title,
            "amount": euro(milestone.amount if milestone is not None else grant.amount),
            "milestone": str(milestone) if milestone is not None else "",
            "note": context.get("note") or "",
            "iban": grant.iban_masked,
            "due_date": date_text(grant.final_report_due_on),
            "link": "",
        }
        if link_name is not None:
            target = milestone if link_of == "milestone" else grant
            if link_of == "call":
                result["link"] = site(reverse(link_name, args=[grant.application.call.slug]))
            else:
                result["link"] = site(reverse(link_name, args=[target.pk]))
        return result

    return values


# ---------------------------------------------------------------------------------------
# The e-mails

_APPLICATION = (REFERENCE, TITLE, CALL, APPLICATION_LINK)
_DECISION = (*_APPLICATION, AMOUNT, FEEDBACK)


def _application_kind(key, label, subject, body, placeholders=_APPLICATION, values=None):
    return EmailKind(
        key=key,
        label=label,
        audience=Audience.APPLICANT,
        subject=subject,
        body=body,
        placeholders=placeholders,
        values=values or _application_values,
    )


def _grant_kind(kind, label, subject, body, placeholders, values, audience=Audience.APPLICANT):
    return EmailKind(
        key=f"grant_notice.{kind}",
        label=label,
        audience=audience,
        subject=subject,
        body=body,
        placeholders=(GRANT_REFERENCE, *placeholders),
        values=values,
    )


GRANT_TITLE = Placeholder(
    "title", gettext_lazy("the title of the project"), gettext_lazy("Open council minutes")
)
GRANT_AMOUNT = Placeholder("amount", gettext_lazy("the amount of the grant"), lambda: euro(47_500))
MILESTONE = Placeholder(
    "milestone", gettext_lazy("the milestone"), gettext_lazy("2: Pilot in two municipalities")
)
MILESTONE_AMOUNT = Placeholder(
    "amount", gettext_lazy("the milestone's payment"), lambda: euro(12_000)
)
REASON = Placeholder(
    "note",
    gettext_lazy("the reason the programme staff gave"),
    gettext_lazy("The project has stopped its work."),
)
STAFF_FEEDBACK = Placeholder(
    "note",
    gettext_lazy("the feedback the programme staff wrote to the team (may be empty)"),
    gettext_lazy("Please show in the full proposal how the pilot will be run."),
)
STAFF_NOTE = Placeholder(
    "note",
    gettext_lazy("what the programme staff wrote (may be empty)"),
    gettext_lazy("Please add the link to the release."),
)

register(
    _application_kind(
        "application_submitted",
        gettext_lazy("Application received"),
        gettext_lazy("Application $reference received"),
        gettext_lazy(
            'We have received your application "$title" to the call "$call". Its reference '
            "is $reference; please quote it in all messages to us.\n\n"
            "What happens next: the programme staff check that the application is eligible, "
            "then the jury assesses it. We will write to you when there is news.\n\n$link"
        ),
    ),
    _application_kind(
        "application_eligible",
        gettext_lazy("Application eligible"),
        gettext_lazy("Application $reference is eligible"),
        gettext_lazy(
            'Your application "$title" ($reference) meets the formal requirements of the '
            "call. It now goes to the jury.\n\n$link"
        ),
    ),
    _application_kind(
        "application_ineligible",
        gettext_lazy("Application not eligible"),
        gettext_lazy("Application $reference: result of the eligibility check"),
        gettext_lazy(
            'Thank you for your application "$title" ($reference). Unfortunately it does '
            "not meet the formal requirements of the call, for these reasons:\n\n"
            "$reasons\n\n$note\n\n"
            "We are sorry. You are welcome to apply again in a later call.\n\n$link"
        ),
        placeholders=(
            *_APPLICATION,
            Placeholder(
                "reasons",
                gettext_lazy("the reasons, one a line"),
                lambda: bullet_list([IneligibilityReason.BUDGET.label]),
            ),
            NOTE,
        ),
        values=_ineligible_values,
    ),
    _application_kind(
        "application_approved",
        gettext_lazy("Application approved"),
        gettext_lazy("Your application $reference has been approved"),
        gettext_lazy(
            'We are pleased to tell you that your application "$title" ($reference) has been '
            "approved, with an award of $amount. The programme staff will send you the grant "
            "agreement.\n\n$feedback\n\n$link"
        ),
        placeholders=_DECISION,
    ),
    _application_kind(
        "application_waitlisted",
        gettext_lazy("Application on the waiting list"),
        gettext_lazy("Your application $reference is on the waiting list"),
        gettext_lazy(
            'The jury rated your application "$title" ($reference) well, but the budget of '
            "this call does not reach it yet. It is on the waiting list: if money becomes "
            "free, applications move up in the order of the ranking, and we will tell you "
            "at once.\n\n$feedback\n\n$link"
        ),
        placeholders=(*_APPLICATION, FEEDBACK),
    ),
    _application_kind(
        "application_rejected",
        gettext_lazy("Application rejected"),
        gettext_lazy("Decision on your application $reference"),
        gettext_lazy(
            'We are sorry to tell you that your application "$title" ($reference) cannot be '
            "funded in this call. The competition was strong, and the budget is limited."
            "\n\n$feedback\n\n$link"
        ),
        placeholders=(*_APPLICATION, FEEDBACK),
    ),
    _application_kind(
        "concept_invited",
        gettext_lazy("Concept: invited to the full proposal"),
        gettext_lazy("Your concept $reference: you are invited to the full proposal"),
        gettext_lazy(
            'We are pleased to tell you that the jury chose your concept "$title" '
            "($reference). You are invited to write the full proposal: open your "
            "application's page and start it there by $valid_until; your answers are "
            "carried over.\n\n$note\n\n$feedback\n\n$link"
        ),
        placeholders=(*_APPLICATION, FEEDBACK, STAFF_FEEDBACK, VALID_UNTIL),
        values=_invitation_values,
    ),
    _application_kind(
        "concept_not_invited",
        gettext_lazy("Concept: not invited"),
        gettext_lazy("Decision on your concept $reference"),
        gettext_lazy(
            'We are sorry to tell you that your concept "$title" ($reference) has not been '
            "invited to the full proposal. The feedback stays on your application's page."
            "\n\n$note\n\n$feedback\n\n$link"
        ),
        placeholders=(*_APPLICATION, FEEDBACK, STAFF_FEEDBACK),
        values=_concept_values,
    ),
    _application_kind(
        "application_withdrawn",
        gettext_lazy("Application withdrawn"),
        gettext_lazy("Application $reference withdrawn"),
        gettext_lazy(
            'As you asked, your application "$title" ($reference) has been withdrawn. It will '
            "not be assessed further. If this was a mistake, please contact us."
        ),
        placeholders=(REFERENCE, TITLE, CALL),
    ),
    _application_kind(
        "information_requested",
        gettext_lazy("Question to the applicant"),
        gettext_lazy("Question about your application $reference"),
        gettext_lazy(
            "The programme staff have a question about your application $reference:\n\n"
            "$question\n\nPlease answer by $due_date on this page:\n$link"
        ),
        placeholders=(
            REFERENCE,
            TITLE,
            Placeholder(
                "question",
                gettext_lazy("the question"),
                gettext_lazy("Which municipalities have agreed to test the prototype?"),
            ),
            DUE_DATE,
            link_placeholder(
                gettext_lazy("the address of the page where the applicant answers"),
                "/applications/42/answer/",
            ),
        ),
        values=_question_values,
    ),
    EmailKind(
        key="team_invitation",
        label=gettext_lazy("Named as a team member"),
        audience=Audience.TEAM_MEMBER,
        subject=gettext_lazy("You are named as a team member of application $reference"),
        body=gettext_lazy(
            '$owner has named you as a team member of the application "$title" ($reference) '
            "to the $fund.\n\n"
            "To read the application, register or sign in with this e-mail address:\n$link\n\n"
            "If you do not know about this application, please tell us by replying to this "
            "e-mail."
        ),
        placeholders=(
            REFERENCE,
            TITLE,
            Placeholder(
                "owner", gettext_lazy("the name of the applicant who named them"), "Lena Schmidt"
            ),
            SIGN_UP_LINK,
        ),
        values=_team_values,
    ),
    _grant_kind(
        "agreement_offered",
        gettext_lazy("Grant agreement ready to sign"),
        gettext_lazy("Your grant agreement $reference is ready to sign"),
        gettext_lazy(
            "The grant agreement $reference for your project “$title” is ready. Please read "
            "the terms and accept them (or decline the award) on this page:\n$link"
        ),
        (GRANT_TITLE, GRANT_LINK),
        _grant_values("grantee_agreement"),
    ),
    _grant_kind(
        "agreement_changed",
        gettext_lazy("Grant agreement changed"),
        gettext_lazy("Your grant agreement $reference was changed"),
        gettext_lazy(
            "The programme staff changed the grant agreement $reference. Please read the "
            "current terms on this page:\n$link"
        ),
        (GRANT_TITLE, GRANT_LINK),
        _grant_values("grantee_agreement"),
    ),
    _grant_kind(
        "agreement_signed",
        gettext_lazy("Grant agreement signed"),
        gettext_lazy("Grant agreement $reference signed"),
        gettext_lazy(
            "Thank you for signing the grant agreement $reference. Your project “$title” is "
            "funded with $amount. Your milestones, due dates and payments are here:\n$link"
        ),
        (GRANT_TITLE, GRANT_AMOUNT, GRANT_LINK),
        _grant_values("grantee_grant"),
    ),
    _grant_kind(
        "award_declined",
        gettext_lazy("Award declined (to the programme staff)"),
        gettext_lazy("Award declined: $reference"),
        gettext_lazy(
            "The grantee declined the award $reference ($application, “$title”). Its money "
            "is free again in the call; you may move the waiting list up:\n$link\n\n$note"
        ),
        (
            GRANT_TITLE,
            Placeholder(
                "application", gettext_lazy("the application's reference"), "CTF-2026-1-0042"
            ),
            link_placeholder(
                gettext_lazy("the address of the call's waiting list"),
                "/staff/calls/2026-1/jury/waitlist/",
            ),
            Placeholder(
                "note",
                gettext_lazy("what the grantee wrote (may be empty)"),
                gettext_lazy("We have found other funding."),
            ),
        ),
        _grant_values("staff_waitlist", link_of="call"),
        audience=Audience.STAFF,
    ),
    _grant_kind(
        "milestone_accepted",
        gettext_lazy("Milestone report accepted"),
        gettext_lazy("Milestone report accepted: $reference"),
        gettext_lazy(
            "The programme staff accepted your report on milestone $milestone of $reference. "
            "Its payment of $amount has been released and will be transferred soon.\n\n$note"
        ),
        (MILESTONE, MILESTONE_AMOUNT, STAFF_NOTE),
        _grant_values(),
    ),
    _grant_kind(
        "milestone_changes_requested",
        gettext_lazy("Changes to a milestone report requested"),
        gettext_lazy("Changes requested to your milestone report: $reference"),
        gettext_lazy(
            "The programme staff ask for changes to your report on milestone $milestone of "
            "$reference:\n\n$note\n\n$link"
        ),
        (
            MILESTONE,
            STAFF_NOTE,
            link_placeholder(
                gettext_lazy("the address of the milestone report"),
                "/grantee/milestones/42/report/",
            ),
        ),
        _grant_values("grantee_milestone_report", link_of="milestone"),
    ),
    _grant_kind(
        "change_approved",
        gettext_lazy("Change request approved"),
        gettext_lazy("Change request approved: $reference"),
        gettext_lazy(
            "The programme staff approved your change request for $reference; the agreement "
            "now reflects it.\n\n$note\n\n$link"
        ),
        (STAFF_NOTE, GRANT_LINK),
        _grant_values("grantee_grant"),
    ),
    _grant_kind(
        "change_refused",
        gettext_lazy("Change request refused"),
        gettext_lazy("Change request refused: $reference"),
        gettext_lazy("The programme staff refused your change request for $reference:\n\n$note"),
        (REASON,),
        _grant_values(),
    ),
    _grant_kind(
        "final_report_requested",
        gettext_lazy("Final report due"),
        gettext_lazy("Your final report for $reference is due"),
        gettext_lazy(
            "The final report of $reference (“$title”) is due by $due_date. You can write it "
            "here:\n$link"
        ),
        (
            GRANT_TITLE,
            DUE_DATE,
            FINAL_REPORT_LINK,
        ),
        _grant_values("grantee_final_report"),
    ),
    _grant_kind(
        "final_report_accepted",
        gettext_lazy("Final report accepted"),
        gettext_lazy("Final report accepted: $reference is completed"),
        gettext_lazy(
            "The programme staff accepted your final report. The project $reference (“$title”) "
            "is completed. Thank you for your work!"
        ),
        (GRANT_TITLE,),
        _grant_values(),
    ),
    _grant_kind(
        "final_report_changes_requested",
        gettext_lazy("Changes to the final report requested"),
        gettext_lazy("Changes requested to your final report: $reference"),
        gettext_lazy(
            "The programme staff ask for changes to your final report of $reference:\n\n"
            "$note\n\n$link"
        ),
        (
            STAFF_NOTE,
            FINAL_REPORT_LINK,
        ),
        _grant_values("grantee_final_report"),
    ),
    _grant_kind(
        "proof_queried",
        gettext_lazy("A question about the proof of use"),
        gettext_lazy("A question about your proof of use: $reference"),
        gettext_lazy(
            "The programme staff have a question about a line of your proof of use for "
            "$reference:\n\n$note\n\nPlease answer it here:\n$link"
        ),
        (
            STAFF_NOTE,
            FINAL_REPORT_LINK,
        ),
        _grant_values("grantee_final_report"),
    ),
    _grant_kind(
        "grant_terminated",
        gettext_lazy("Grant terminated"),
        gettext_lazy("Grant $reference terminated"),
        gettext_lazy(
            "The grant $reference (“$title”) has been terminated. Milestones without an "
            "accepted report are cancelled; payments already released will still be made. "
            "The reason:\n\n$note"
        ),
        (GRANT_TITLE, REASON),
        _grant_values(),
    ),
)
