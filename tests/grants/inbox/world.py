"""Items of every kind of inbox, made directly (each service is tested on its own): for
staff, jurors, and an applicant who is also a grantee."""

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from accounts.roles import Role
from grants.contracts.services.batches import export_sepa_batch
from grants.models import (
    BankDetailsCheck,
    ChangeRequest,
    FinalReport,
    Grant,
    InformationRequest,
    Message,
    Payment,
)
from grants.states import ApplicationState, FinalReportState, MessageKind
from review.states import ConflictStatus
from tests.factories import ApplicationFactory, CallFactory, make_grant, make_user, set_state
from tests.grants.contracts.helpers import accept, report
from tests.review.helpers import assign, conflict, in_review, make_jury

DAY = dt.timedelta(days=1)


def _submitted(call, owner=None, **kwargs):
    application = ApplicationFactory(call=call, owner=owner or make_user(Role.APPLICANT), **kwargs)
    application = set_state(application, ApplicationState.SUBMITTED)
    type(application).objects.filter(pk=application.pk).update(
        submitted_at=timezone.now() - 3 * DAY
    )
    application.refresh_from_db()
    return application


def question(application, staff, *, due_in=14, answered=False):
    request = InformationRequest.objects.create(
        application=application,
        question="Which city tests the prototype first?",
        due_on=timezone.localdate() + dt.timedelta(days=due_in),
        asked_by=staff,
    )
    Message.objects.create(
        application=application,
        kind=MessageKind.QUESTION,
        author=staff,
        from_staff=True,
        information_request=request,
    )
    if answered:
        InformationRequest.objects.filter(pk=request.pk).update(
            answer="Ulm, from March.",
            answered_by=application.owner,
            answered_at=timezone.now() - DAY,
        )
        Message.objects.create(
            application=application,
            kind=MessageKind.ANSWER,
            author=application.owner,
            from_staff=False,
            information_request=request,
        )
    return request


def message(application, author, body="Could we move the first milestone?", *, from_staff=False):
    return Message.objects.create(
        application=application, author=author, from_staff=from_staff, body=body
    )


@dataclass
class StaffWorld:
    staff: object
    call: object
    colleague: object
    items: dict = field(default_factory=dict)


def staff_world(staff, *, per_kind=1, call=None) -> StaffWorld:
    """``per_kind`` items of every kind of the staff inbox, in one call."""
    call = call or CallFactory()
    world = StaffWorld(staff=staff, call=call, colleague=make_user(Role.STAFF))
    add = world.items.setdefault
    for _ in range(per_kind):
        add("applications_to_screen", []).append(_submitted(call))
        answered = _submitted(call)
        question(answered, staff, answered=True)
        add("answers_received", []).append(answered)
        late = _submitted(call)
        question(late, staff, due_in=-2)
        add("questions_overdue", []).append(late)
        approved = set_state(ApplicationFactory(call=call), ApplicationState.APPROVED)
        add("agreements_to_prepare", []).append(approved)
        add("agreements_to_send", []).append(
            make_grant(ApplicationFactory(call=call), state="approved", offered=False)
        )
        unsigned = make_grant(ApplicationFactory(call=call), state="approved")
        Grant.objects.filter(pk=unsigned.pk).update(offered_at=timezone.now() - 20 * DAY)
        add("agreements_unsigned", []).append(unsigned)
        funded = make_grant(ApplicationFactory(call=call))
        milestones = list(funded.milestones.all())
        report(milestones[0])
        add("milestone_reports_to_check", []).append(milestones[0])
        # Released by a colleague: with four eyes, this staff member puts it into a file.
        paid_grant = make_grant(ApplicationFactory(call=call))
        first, second = list(paid_grant.milestones.all())[:2]
        for milestone in (first, second):
            report(milestone)
            accept(milestone, world.colleague)
        add("payments_to_transfer", []).append(first)
        add("batches_to_mark_paid", []).append(
            export_sepa_batch(
                actor=staff,
                payment_ids=[Payment.objects.get(milestone=second, kind="released").pk],
                execution_date=timezone.localdate(),
            )
        )
        changed = make_grant(ApplicationFactory(call=call))
        add("accounts_to_confirm", []).append(
            BankDetailsCheck.objects.create(
                grant=changed,
                reason="change",
                account_holder="Ada Lovelace",
                iban_masked="DE89 •••• 3000",
                requested_by=changed.application.owner,
            )
        )
        add("change_requests", []).append(
            ChangeRequest.objects.create(
                grant=funded,
                kind="end_date",
                reason="Our partner city needs longer.",
                requested_by=funded.application.owner,
            )
        )
        checking = make_grant(ApplicationFactory(call=call), state="final_report_due")
        FinalReport.objects.create(
            grant=checking, state=FinalReportState.SUBMITTED, submitted_at=timezone.now()
        )
        add("final_reports_to_check", []).append(checking)
        owing = make_grant(ApplicationFactory(call=call), state="final_report_due")
        FinalReport.objects.create(grant=owing)
        add("final_reports_due", []).append(owing)
        overdue = make_grant(
            ApplicationFactory(call=call), starts_on=timezone.localdate() - 100 * DAY
        )
        add("milestone_reports_overdue", []).append(overdue.milestones.first())
        talking = _submitted(call)
        message(talking, talking.owner)
        add("staff_unread_messages", []).append(talking)
    jury = make_jury(CallFactory(state="in_review"))
    for _ in range(per_kind):
        assign(make_user(Role.JUROR), in_review(jury.call))
    world.items["reviews_missing"] = [jury]
    return world


@dataclass
class JurorWorld:
    juror: object
    reviews: list
    suggestions: list


def juror_world(*, per_kind=1) -> JurorWorld:
    juror = make_user(Role.JUROR, full_name="Jana Juror")
    reviews, suggestions = [], []
    from review.models import JuryMember

    for _ in range(per_kind):
        jury = make_jury(CallFactory(state="in_review"))
        JuryMember.objects.create(jury=jury, user=juror, email=juror.email)
        reviews.append(assign(juror, in_review(jury.call)))
        suggestions.append(conflict(juror, in_review(jury.call), status=ConflictStatus.SUGGESTED))
    return JurorWorld(juror=juror, reviews=reviews, suggestions=suggestions)


def applicant_world(owner, staff, *, per_kind=1) -> dict:
    """``per_kind`` items of every kind of an applicant's and grantee's inbox."""
    items = {}
    add = items.setdefault
    call = CallFactory()
    for _ in range(per_kind):
        asked = _submitted(call, owner)
        question(asked, staff)
        add("questions_to_answer", []).append(asked)
        add("drafts_to_submit", []).append(ApplicationFactory(call=call, owner=owner))
        add("agreements_to_sign", []).append(
            make_grant(ApplicationFactory(call=call, owner=owner), state="approved")
        )
        running = make_grant(
            ApplicationFactory(call=call, owner=owner), starts_on=timezone.localdate() - 70 * DAY
        )
        add("milestone_reports_due", []).append(running.milestones.first())
        final = make_grant(ApplicationFactory(call=call, owner=owner), state="final_report_due")
        FinalReport.objects.create(grant=final)
        add("final_reports_to_write", []).append(final)
        talking = _submitted(call, owner)
        message(talking, staff, "Welcome! Your mentor is Mara.", from_staff=True)
        add("team_unread_messages", []).append(talking)
    return items
