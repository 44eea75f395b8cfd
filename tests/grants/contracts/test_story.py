"""One project from the award to completion through the services: every step writes its
state and its log entry, and the log tells the whole story."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail

from grants.contracts.services.changes import decide_change_request, request_change
from grants.contracts.services.closing import review_final_report, save_final_report
from grants.contracts.services.milestones import review_milestone_report
from grants.models import ChangeRequest, FinalReport, Milestone, MilestoneReport, Payment
from grants.states import ApplicationState as S
from tests.grants.contracts.helpers import (
    accept,
    accept_every_line,
    confirm_account,
    pay,
    report,
    signed_grant,
    statement,
)
from workflow.models import TransitionLog

pytestmark = pytest.mark.django_db


def test_award_to_completion(staff, other_staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        grant = signed_grant(staff)
    application = grant.application
    assert application.state == S.FUNDED
    assert grant.funding_reference == "01CTF26001"
    assert [m.amount for m in grant.milestones.all()] == [
        Decimal("14962.50"),
        Decimal("14962.50"),
        Decimal("14962.50"),
    ]
    assert sum(m.amount for m in grant.milestones.all()) == grant.amount == Decimal("44887.50")
    assert grant.iban_masked == "DE89 •••• •••• •••• ••30 00"
    assert "DE89370400440532013000" not in grant.iban_encrypted
    assert grant.accepted_by == application.owner
    assert [(message.to, message.subject) for message in mail.outbox] == [
        (
            [application.owner.email],
            "[Civic Tech Fund] Your grant agreement 01CTF26001 is ready to sign",
        ),
        *(
            ([person.email], "[Civic Tech Fund] Confirm the account of 01CTF26001 before paying")
            for person in sorted((staff, other_staff), key=lambda person: person.pk)
        ),
        ([application.owner.email], "[Civic Tech Fund] Grant agreement 01CTF26001 signed"),
    ]

    first, second, third = grant.milestones.all()
    report(first)
    review_milestone_report(
        milestone=first,
        actor=staff,
        accept=False,
        comment="Please link the release.",
        expected_state="report_submitted",
    )
    first.refresh_from_db()
    assert first.state == "changes_requested"
    report(first, delivered="The converter, released as 1.0.")
    accept(first, staff)
    assert list(
        MilestoneReport.objects.filter(milestone=first).values_list("version", "review_outcome")
    ) == [
        (1, "changes_requested"),
        (2, "accepted"),
    ]

    change = request_change(
        grant=grant,
        actor=application.owner,
        kind="milestone_date",
        milestone=second,
        new_date=second.due_on + dt.timedelta(days=10),
        reason="A partner city delayed its data.",
    )
    decide_change_request(
        change_request=change, actor=staff, approve=True, note="", expected_state="pending"
    )
    second.refresh_from_db()
    assert second.due_on == change.new_date
    assert ChangeRequest.objects.get().state == "approved"

    report(second)
    accept(second, staff)
    report(third)
    accept(third, staff)
    application.refresh_from_db()
    assert application.state == S.FINAL_REPORT_DUE
    confirm_account(grant, staff)
    pay([first, second, third], exporter=other_staff, reference="BANK-2026-0001")
    assert set(Milestone.objects.values_list("state", flat=True)) == {"paid"}
    assert Payment.objects.filter(kind="paid").count() == 3

    save_final_report(
        grant=grant,
        actor=application.owner,
        fields={
            "summary": "Done.",
            "contribution": "Open timetables.",
            "next_steps": "Maintenance.",
        },
        milestone_results=[
            {"milestone": m.pk, "achieved": True, "explanation": ""} for m in (first, second, third)
        ],
        public_links=["https://codeberg.org/example/toolkit"],
        statement=statement(grant, hours="850", amount="42750.00"),
        submit=True,
    )
    assert FinalReport.objects.get().state == "submitted"
    accept_every_line(grant, staff)
    review_final_report(
        grant=grant, actor=staff, accept=True, comment="", expected_state="submitted"
    )
    application.refresh_from_db()
    assert application.state == S.COMPLETED

    story = [
        (entry.content_type.model, entry.action)
        for entry in TransitionLog.objects.order_by("pk")
        if entry.action.startswith(
            (
                "grants.grant",
                "grants.milestone",
                "grants.change",
                "grants.final",
                "grants.application.agreement",
                "grants.application.final",
                "grants.application.completed",
            )
        )
    ]
    assert story[:4] == [
        ("application", "grants.application.agreement_prepared"),
        ("application", "grants.application.agreement_offered"),
        ("application", "grants.application.agreement_document_made"),
        ("application", "grants.application.agreement_signed"),
    ]
    assert story[-4:] == [
        ("finalreport", "grants.finalreport.submitted"),
        ("finalreport", "grants.finalreport.accepted"),
        ("finalreport", "grants.finalreport.proof_of_use_archived"),
        ("application", "grants.application.completed"),
    ]
    # The grantee's timeline tells every step of their project; staff's own checks (the
    # account, each statement line) stay internal.
    hidden_from_grantee = sorted(
        {
            entry.action
            for entry in TransitionLog.objects.filter(visible_to_applicant=False)
            if entry.action.startswith(("grants.milestone", "grants.change", "grants.final"))
        }
    )
    assert hidden_from_grantee == []
    seen_by_grantee = sorted(
        {
            entry.action
            for entry in TransitionLog.objects.filter(visible_to_applicant=True)
            if not entry.action.startswith("grants.application")
        }
    )
    assert seen_by_grantee == [
        "grants.changerequest.approved",
        "grants.changerequest.created",
        "grants.finalreport.accepted",
        "grants.finalreport.proof_of_use_archived",
        "grants.finalreport.submitted",
        "grants.milestone.accepted",
        "grants.milestone.changes_requested",
        "grants.milestone.paid",
        "grants.milestone.report_resubmitted",
        "grants.milestone.report_submitted",
    ]
