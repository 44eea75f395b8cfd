"""Everything the fund holds about a person (GDPR Art. 15 and 20), by kind of data: the
account, their applications and grants with every text, file and answer, the reviews about
their proposals once the call is decided (without the jurors), their own reviews and
conflicts as a juror, bank details (masked) and payments, and the technical records. Plain
JSON values (strings, numbers, lists, mappings) for the files of the download; the readable
summary renders the same."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.db.models import Prefetch, Q
from django.utils.translation import gettext

from accounts.models import Consent
from accounts.queries import previous_email_addresses
from grants.conversations.models import Message
from grants.models import (
    Application,
    Attachment,
    Grant,
    InformationRequest,
    Milestone,
    MilestoneReport,
    Payment,
    TeamMember,
)
from grants.states import WORD_LIMITS, ApplicationState, MessageKind
from privacy.kinds import DataKind
from privacy.models import ErasureRequest, InactivityWarning
from privacy.plan import addresses_of, same_address
from privacy.queries import DECIDED_CALLS, not_anonymised
from review.models import (
    ConflictOfInterest,
    DiscussionComment,
    DiscussionSummary,
    JuryMember,
    Review,
)
from workflow.actions import action_label
from workflow.models import TransitionLog
from workflow.queries import log_of


def _day(value):
    return value.isoformat() if value else None


def _money(value):
    return str(value) if value is not None else None


def _label(choices, value):
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def owned_applications(person):
    return (
        not_anonymised(Application.objects.filter(owner=person))
        .select_related("call", "topic", "track")
        .prefetch_related(
            "planned_milestones",
            "team_members",
            Prefetch("attachments", queryset=Attachment.objects.filter(purged_at__isnull=True)),
            "information_requests",
            # The thread's messages (questions and answers are under "questions").
            Prefetch("messages", queryset=Message.objects.filter(kind=MessageKind.MESSAGE)),
        )
        .order_by("created_at", "pk")
    )


def collect(person) -> dict:
    """Kind → its data (JSON values), and "files": [(path in the download, stored name)]."""
    applications = list(owned_applications(person))
    grants = list(
        Grant.objects.filter(application__in=applications)
        .select_related("application", "final_report")
        .prefetch_related(
            Prefetch(
                "milestones",
                queryset=Milestone.objects.prefetch_related(
                    Prefetch(
                        "reports",
                        queryset=MilestoneReport.objects.prefetch_related(
                            "links", "collaborations"
                        ),
                    )
                ),
            ),
            "change_requests",
            Prefetch("payments", queryset=Payment.objects.order_by("created_at", "pk")),
            "bank_checks",
        )
        .order_by("pk")
    )
    files = [
        (
            f"files/{application.reference}/{attachment.pk}-{attachment.original_name}",
            attachment.stored_name,
        )
        for application in applications
        for attachment in application.attachments.all()
    ]
    return {
        DataKind.IDENTITY: _identity(person, applications, grants),
        DataKind.CONTACT: _contact(person),
        DataKind.PROPOSAL: _proposals(applications, grants, person),
        DataKind.REVIEW: _reviews(person, applications),
        DataKind.BANK: _bank(grants),
        DataKind.TECHNICAL: _technical(person),
        "files": files,
    }


def _identity(person, applications, grants) -> dict:
    memberships = TeamMember.objects.filter(same_address(addresses_of(person)))
    return {
        "name": person.full_name,
        "joined": _day(person.date_joined),
        "roles": sorted(person.role_names),
        "applications": [
            {
                "reference": a.reference,
                "call": str(a.call),
                "state": _label(ApplicationState, a.state),
            }
            for a in applications
        ],
        "grants": [
            {
                "funding_reference": grant.funding_reference,
                "accepted": _day(grant.accepted_at),
                "publication_consent": grant.publication_consent,
            }
            for grant in grants
        ],
        "named_on_team_of": [
            {"application": member.application.reference, "name": member.name}
            for member in memberships.select_related("application").exclude(
                application__owner=person
            )
        ],
        "juries": [
            {"call": str(member.jury.call), "joined": _day(member.joined_at)}
            for member in JuryMember.objects.filter(user=person).select_related("jury__call")
        ],
    }


def _contact(person) -> dict:
    return {
        "email": person.email,
        "language": person.language,
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=person).order_by("-primary", "email")
        ],
        "replaced_addresses": previous_email_addresses(person, days=None),
    }


def _proposals(applications, grants, person) -> dict:
    by_application = {grant.application_id: grant for grant in grants}
    timelines: dict[int, list] = {}
    entries = log_of((Application, [a.pk for a in applications]), select_content_type=False)
    for entry in entries.filter(visible_to_applicant=True):
        timelines.setdefault(entry.object_id, []).append(
            {
                "time": _day(entry.created_at),
                "what": str(action_label(entry.action)),
                "note": entry.note,
            }
        )
    return {
        "applications": [
            {
                "reference": a.reference,
                "call": str(a.call),
                "state": _label(ApplicationState, a.state),
                "topic": str(a.topic) if a.topic else None,
                "track": a.track.name if a.track else "",
                "created": _day(a.created_at),
                "submitted": _day(a.submitted_at),
                "title": a.title,
                **{name: getattr(a, name) for name in WORD_LIMITS},
                "licence": a.licence,
                "repository_url": a.repository_url,
                "hours": a.total_hours,
                "requested_amount": _money(a.requested_amount),
                "awarded_amount": _money(a.awarded_amount),
                "planned_milestones": [
                    {
                        "title": m.title,
                        "deliverable": m.deliverable,
                        "month": m.month,
                        "hours": m.hours,
                    }
                    for m in a.planned_milestones.all()
                ],
                "team": [{"name": m.name, "email": m.email} for m in a.team_members.all()],
                "attachments": [
                    {"file": f"files/{a.reference}/{f.pk}-{f.original_name}", "size": f.size}
                    for f in a.attachments.all()
                ],
                "questions": [_question(q) for q in a.information_requests.all()],
                "messages": [_message(m, person) for m in a.messages.all()],
                "timeline": timelines.get(a.pk, []),
                "grant": _grant(by_application.get(a.pk)),
            }
            for a in applications
        ]
    }


def _message(message, person) -> dict:
    """A message of the application's thread; who wrote it only as the person or the
    programme staff (staff members' names are not this person's data)."""
    if message.author_id == person.pk:
        author = gettext("you")
    elif message.from_staff:
        author = gettext("the programme staff")
    else:
        author = gettext("a member of your team")
    return {"sent": _day(message.created_at), "from": author, "message": message.body}


def _question(question: InformationRequest) -> dict:
    return {
        "question": question.question,
        "asked": _day(question.asked_at),
        "answer": question.answer,
        "answered": _day(question.answered_at),
    }


def _grant(grant) -> dict | None:
    if grant is None:
        return None
    return {
        "funding_reference": grant.funding_reference,
        "amount": _money(grant.amount),
        "period": [_day(grant.starts_on), _day(grant.ends_on)],
        "milestones": [
            {
                "title": milestone.title,
                "deliverable": milestone.deliverable,
                "due": _day(milestone.due_on),
                "amount": _money(milestone.amount),
                "state": milestone.get_state_display(),
                "reports": [
                    {
                        "version": report.version,
                        "submitted": _day(report.submitted_at),
                        "delivered": report.delivered,
                        "problems": report.problems,
                        "staff_comment": report.review_comment,
                        "links": [link.url for link in report.links.all()],
                        "public_bodies": [c.body for c in report.collaborations.all()],
                    }
                    for report in milestone.reports.all()
                ],
            }
            for milestone in grant.milestones.all()
        ],
        "change_requests": [
            {
                "what": change.get_kind_display(),
                "reason": change.reason,
                "state": change.get_state_display(),
                "staff_comment": change.decision_note,
            }
            for change in grant.change_requests.all()
        ],
        "final_report": _final_report(grant),
    }


def _final_report(grant) -> dict | None:
    report = getattr(grant, "final_report", None)
    if report is None:
        return None
    return {
        "summary": report.summary,
        "contribution": report.contribution,
        "next_steps": report.next_steps,
        "results": report.milestone_results,
        "public_links": report.public_links,
        "state": report.get_state_display(),
        "staff_comment": report.review_comment,
    }


def _reviews(person, applications) -> dict:
    decided = [a for a in applications if a.call.state in DECIDED_CALLS]
    about = (
        Review.objects.filter(assignment__application__in=decided, submitted_at__isnull=False)
        .select_related("assignment__application")
        .prefetch_related("scores__criterion")
        .order_by("assignment__application_id", "pk")
    )
    numbers: dict[int, int] = {}
    about_you = []
    for review in about:
        application = review.assignment.application
        numbers[application.pk] = numbers.get(application.pk, 0) + 1
        about_you.append(
            {
                "application": application.reference,
                # The jurors stay anonymous: reviews are numbered per application.
                "review": numbers[application.pk],
                "scores": _scores(review),
                "comment_for_you": review.comment_for_applicant,
                "comment_for_staff": review.comment_for_staff,
            }
        )
    screening = [
        {
            "application": a.reference,
            "screening_note": a.screening_note,
            "reasons": a.ineligibility_reasons,
            "decision_feedback": a.decision_feedback,
        }
        for a in applications
        if a.screening_note or a.ineligibility_reasons or a.decision_feedback
    ]
    written = (
        Review.objects.filter(assignment__juror=person)
        .select_related("assignment__application")
        .prefetch_related("scores__criterion")
        .order_by("pk")
    )
    return {
        "about_your_proposals": about_you,
        "screening": screening,
        "written_by_you": [
            {
                "application": review.assignment.application.reference,
                "state": review.get_state_display(),
                "scores": _scores(review),
                "comment_for_applicant": review.comment_for_applicant,
                "comment_for_staff": review.comment_for_staff,
            }
            for review in written
        ],
        "conflicts_of_interest": [
            {
                "application": conflict.application.reference,
                "status": conflict.get_status_display(),
                "kind": conflict.get_kind_display(),
                "note": conflict.note,
            }
            for conflict in ConflictOfInterest.objects.filter(juror=person)
            .select_related("application")
            .order_by("pk")
        ],
        # What the person wrote in juries' discussions (as a juror or as staff).
        "discussion_comments_by_you": [
            {
                "application": comment.application.reference,
                "written": _day(comment.created_at),
                "withdrawn": _day(comment.withdrawn_at),
                "comment": comment.body,
            }
            for comment in DiscussionComment.objects.filter(author=person)
            .select_related("application")
            .order_by("pk")
        ],
        "discussion_summaries_as_rapporteur": [
            {"application": summary.application.reference, "summary": summary.text}
            for summary in DiscussionSummary.objects.filter(rapporteur=person)
            .select_related("application")
            .order_by("pk")
        ],
    }


def _scores(review) -> list[dict]:
    return [
        {
            "criterion": score.criterion.name,
            "score": score.value,
            "not_applicable": score.not_applicable,
            "comment": score.comment,
        }
        for score in review.scores.all()
    ]


def _bank(grants) -> dict:
    return {
        "grants": [
            {
                "funding_reference": grant.funding_reference,
                "account_holder": grant.account_holder,
                "iban": grant.iban_masked,
                "accounts_named": [
                    {
                        "account_holder": check.account_holder,
                        "iban": check.iban_masked,
                        "named": _day(check.requested_at),
                        "status": check.get_state_display(),
                        "confirmed": _day(check.confirmed_at),
                        "how_confirmed": check.note,
                    }
                    for check in grant.bank_checks.all()
                ],
                "payments": [
                    {
                        "entry": payment.get_kind_display(),
                        "amount": _money(payment.amount),
                        "recorded": _day(payment.created_at),
                        "paid_on": _day(payment.paid_on),
                    }
                    for payment in grant.payments.all()
                ],
            }
            for grant in grants
        ]
    }


def _technical(person) -> dict:
    return {
        "last_sign_in": _day(person.last_login),
        "second_factors": [
            {"type": authenticator.get_type_display(), "since": _day(authenticator.created_at)}
            for authenticator in Authenticator.objects.filter(user=person).order_by("pk")
        ],
        "erasure_requests": [
            {
                "requested": _day(r.requested_at),
                "state": r.get_state_display(),
                "handled": _day(r.handled_at),
            }
            for r in ErasureRequest.objects.filter(user=person).order_by("pk")
        ],
        "inactivity_warnings": [
            _day(warned)
            for warned in InactivityWarning.objects.filter(user=person).values_list(
                "warned_at", flat=True
            )
        ],
        "consents": [
            {
                "purpose": consent.purpose,
                "version": consent.version,
                "text": consent.text,
                "given": _day(consent.given_at),
                "withdrawn": _day(consent.withdrawn_at),
            }
            for consent in Consent.objects.filter(user=person).order_by("given_at", "pk")
        ],
        "your_actions_in_the_log": [
            {"time": _day(entry.created_at), "what": str(action_label(entry.action))}
            for entry in TransitionLog.objects.filter(Q(actor=person)).order_by("created_at", "pk")
        ],
    }
