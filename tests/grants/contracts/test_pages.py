"""The funded-project screens through the browser's requests: the grantee signs, reports
(with files) and asks for a change; staff prepare agreements, review, decide, pay and
export. Bad input gets a clear message, loses nothing, and never a 500."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from core.errors import StaleObjectError, WorkflowError
from grants.contracts.services.agreements import offer_agreement, prepare_agreement
from grants.models import (
    AgreementDocument,
    Attachment,
    CalendarFeed,
    FinalReport,
    Grant,
    Milestone,
    MilestoneReport,
    Payment,
)
from grants.states import ApplicationState as A
from tests.accounts.helpers import sign_in
from tests.factories import IBAN, make_grant
from tests.grants.contracts.helpers import (
    approved_application,
    report,
    signed_grant,
    signing_copy,
    with_terms,
)
from workflow.models import TransitionLog

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def report_post(milestone, **overrides):
    data = {
        "draft_token": "",
        "delivered": "Release 1.0 with the converter.",
        "problems": "",
        "releases": "1",
        "security_audits": "0",
        "vulnerabilities_fixed": "0",
        "users_reached": "120",
        "organisations_reached": "2",
        "contributors": "3",
        "links-TOTAL_FORMS": "2",
        "links-INITIAL_FORMS": "0",
        "links-0-kind": "repository",
        "links-0-url": "https://codeberg.org/example/toolkit",
        "links-0-licence": "MIT",
        "links-1-kind": "",
        "links-1-url": "",
        "links-1-licence": "",
        "collaborations-TOTAL_FORMS": "1",
        "collaborations-INITIAL_FORMS": "0",
        "collaborations-0-body": "Stadt Ulm",
        "collaborations-0-level": "municipal",
        "collaborations-0-kind": "adopts",
        "collaborations-0-description": "Uses it in the citizen service.",
    }
    data.update(overrides)
    return data


# Agreements ---------------------------------------------------------------------------------


def test_prepared_milestones_come_from_the_proposal_and_sum_to_the_award(staff):
    application = approved_application(amount="47500.00")
    grant = prepare_agreement(application=application, actor=staff)
    milestones = list(grant.milestones.all())
    assert [(m.title, m.amount) for m in milestones] == [
        ("Milestone 1", Decimal("15833.34")),
        ("Milestone 2", Decimal("15833.33")),
        ("Milestone 3", Decimal("15833.33")),
    ]
    assert sum(m.amount for m in milestones) == Decimal("47500.00")
    assert grant.months == 6
    assert grant.starts_on.day == 1 and grant.starts_on > timezone.localdate()
    assert milestones[-1].due_on == grant.ends_on
    with pytest.raises(WorkflowError, match="prepared already"):
        prepare_agreement(application=application, actor=staff)


def test_staff_edit_the_agreement_amounts_must_sum_to_the_award(client, staff):
    grant = prepare_agreement(application=approved_application(), actor=staff)
    sign_in(client, staff)
    url = reverse("staff_agreement", args=[grant.pk])
    milestones = list(grant.milestones.all())
    data = {
        "version": grant.version,
        "starts_on": grant.starts_on.isoformat(),
        "milestones-TOTAL_FORMS": "3",
        "milestones-INITIAL_FORMS": "3",
        "milestones-MIN_NUM_FORMS": "1",
        "milestones-MAX_NUM_FORMS": "5",
    }
    for index, milestone in enumerate(milestones):
        data |= {
            f"milestones-{index}-title": f"Step {index}",
            f"milestones-{index}-deliverable": "D",
            f"milestones-{index}-due_on": milestone.due_on.isoformat(),
            f"milestones-{index}-amount": "10000.00",
        }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "must sum to the award" in response.content.decode()
    data["milestones-2-amount"] = "24887.50"
    response = client.post(url, data)
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.version == 2
    assert [m.title for m in grant.milestones.all()] == ["Step 0", "Step 1", "Step 2"]
    # Out-of-range dates and amounts are refused by the form, not a 500.
    data |= {"version": 2, "milestones-0-due_on": "9999-01-01", "milestones-1-amount": "-5"}
    response = client.post(url, data)
    assert response.status_code == 200
    grant.refresh_from_db()
    assert grant.version == 2


def test_grantee_makes_the_pdf_with_bank_details_and_a_stale_version_is_refused(client, staff):
    application = approved_application()
    grant = prepare_agreement(application=application, actor=staff)
    with_terms(application.call.fund, staff)
    grant = offer_agreement(grant=grant, actor=staff, expected_version=grant.version)
    client.force_login(application.owner)
    url = reverse("grantee_agreement", args=[grant.pk])
    data = {
        "make_copy": "1",
        "version": grant.version,
        "account_holder": "Ada",
        "iban": "DE00 0000",
        "bic": "",
        "language": "en",
    }
    response = client.post(url, data)
    assert "This is not a valid IBAN" in response.content.decode()
    assert not AgreementDocument.objects.exists()
    # Staff change the agreement meanwhile: the grantee's page is stale.
    Grant.objects.filter(pk=grant.pk).update(version=grant.version + 1)
    response = client.post(url, data | {"iban": IBAN}, follow=True)
    assert "changed the agreement after you opened it" in response.content.decode()
    assert not AgreementDocument.objects.exists()
    response = client.post(url, data | {"iban": IBAN, "version": grant.version + 1})
    assert response.status_code == 302
    document = AgreementDocument.objects.get()
    assert (document.grant_version, document.iban_masked) == (
        grant.version + 1,
        "DE89 •••• •••• •••• ••30 00",
    )
    application.refresh_from_db()
    assert application.state == A.APPROVED  # made, not yet accepted
    response = client.post(
        url, {"accept": "1", "document": document.pk, "sha256": document.sha256, "confirm": "on"}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == A.FUNDED


def test_grantee_declines_and_the_money_returns_to_the_call(
    client, staff, django_capture_on_commit_callbacks
):
    from django.core import mail

    application = approved_application()
    grant = prepare_agreement(application=application, actor=staff)
    with_terms(application.call.fund, staff)
    offer_agreement(grant=grant, actor=staff, expected_version=grant.version)
    assert application.call.committed_amount() == Decimal("44887.50")
    client.force_login(application.owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("grantee_agreement", args=[grant.pk]),
            {"decline": "1", "note": "New job.", "confirm_decline": "on"},
        )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == A.WITHDRAWN
    assert application.call.committed_amount() == Decimal("0.00")
    assert [m.to for m in mail.outbox] == [[staff.email]]
    assert "you may move the waiting list up" in mail.outbox[0].body


def test_an_unsent_agreement_cannot_be_signed(staff):
    application = approved_application()
    grant = prepare_agreement(application=application, actor=staff)
    with_terms(application.call.fund, staff)
    with pytest.raises(WorkflowError):
        signing_copy(grant)
    assert not AgreementDocument.objects.exists()
    application.refresh_from_db()
    assert application.state == A.APPROVED


# Milestone reports ----------------------------------------------------------------------


def test_report_form_saves_a_draft_with_files_then_submits(client, staff):
    grant = make_grant()
    milestone = grant.milestones.first()
    client.force_login(grant.application.owner)
    url = reverse("grantee_milestone_report", args=[milestone.pk])
    response = client.post(
        url,
        report_post(milestone, delivered="")
        | {
            "save": "1",
            "files": [
                SimpleUploadedFile("evidence.pdf", PDF),
                SimpleUploadedFile("fake.pdf", b"MZ\x90\x00"),
            ],
        },
    )
    assert response.status_code == 302
    draft = MilestoneReport.objects.get()
    assert draft.submitted_at is None
    assert list(draft.attachments.values_list("original_name", flat=True)) == ["evidence.pdf"]
    # Submitting without "what was delivered" keeps the draft and explains.
    page = client.get(url).content.decode()
    assert "evidence.pdf" in page
    token = client.get(url).context["form"]["draft_token"].value()
    response = client.post(
        url, report_post(milestone, delivered="", draft_token=token) | {"submit": "1"}
    )
    assert "Describe what was delivered" in response.content.decode()
    milestone.refresh_from_db()
    assert milestone.state == "planned"
    token = client.get(url).context["form"]["draft_token"].value()
    response = client.post(url, report_post(milestone, draft_token=token) | {"submit": "1"})
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.state == "report_submitted"
    report_row = MilestoneReport.objects.get()
    assert list(report_row.links.values_list("kind", "licence")) == [("repository", "MIT")]
    assert report_row.collaborations.get().body == "Stadt Ulm"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("links-0-url", "javascript:alert(1)", "Enter a valid URL"),
        ("links-0-licence", "", "Name the licence"),
        ("users_reached", "-1", "greater than or equal to 0"),
        ("users_reached", "1" * 30, "less than or equal to"),
        ("delivered", "x" * 20_001, "at most 20000 characters"),
        ("collaborations-0-level", "", "Give the public body, its level"),
    ],
)
def test_report_form_refuses_bad_input(client, field, value, message):
    grant = make_grant()
    milestone = grant.milestones.first()
    client.force_login(grant.application.owner)
    response = client.post(
        reverse("grantee_milestone_report", args=[milestone.pk]),
        report_post(milestone, **{field: value}) | {"submit": "1"},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    milestone.refresh_from_db()
    assert milestone.state == "planned"


def test_a_stale_draft_is_refused(client):
    grant = make_grant()
    milestone = grant.milestones.first()
    client.force_login(grant.application.owner)
    url = reverse("grantee_milestone_report", args=[milestone.pk])
    client.post(url, report_post(milestone) | {"save": "1"})
    response = client.post(
        url,
        report_post(milestone, delivered="Other tab", draft_token="2001-01-01T00:00:00+00:00")
        | {"save": "1"},
    )
    assert "Someone else changed this meanwhile" in response.content.decode()
    assert MilestoneReport.objects.get().delivered == "Release 1.0 with the converter."


def test_staff_review_needs_a_comment_for_changes_and_accepting_releases(client, staff):
    grant = make_grant()
    milestone = grant.milestones.first()
    report(milestone)
    sign_in(client, staff)
    url = reverse("staff_milestone", args=[milestone.pk])
    response = client.post(
        url, {"expected_state": "report_submitted", "decision": "changes", "comment": " "}
    )
    assert "Say what should be changed" in response.content.decode()
    response = client.post(
        url, {"expected_state": "report_submitted", "decision": "accept", "comment": ""}
    )
    assert response.status_code == 302
    assert Payment.objects.get().kind == "released"
    # The same decision again (a second tab): refused as stale, nothing released twice.
    response = client.post(
        url, {"expected_state": "report_submitted", "decision": "accept"}, follow=True
    )
    assert "Someone else changed this meanwhile" in response.content.decode()
    assert Payment.objects.count() == 1


def test_a_removed_report_file_is_hidden_and_only_the_owner_may_remove(client, staff):
    grant = make_grant()
    milestone = grant.milestones.first()
    owner = grant.application.owner
    client.force_login(owner)
    client.post(
        reverse("grantee_milestone_report", args=[milestone.pk]),
        report_post(milestone) | {"save": "1", "files": [SimpleUploadedFile("a.pdf", PDF)]},
    )
    attachment = Attachment.objects.get()
    sign_in(client, staff)
    assert (
        client.post(reverse("grantee_report_attachment_remove", args=[attachment.pk])).status_code
        == 404
    )
    client.force_login(owner)
    client.post(reverse("grantee_report_attachment_remove", args=[attachment.pk]))
    attachment.refresh_from_db()
    assert attachment.removed_at is not None
    # Report files are not proposal attachments.
    assert not grant.application.attachments.filter(milestone_report__isnull=True).exists()


# Change requests -------------------------------------------------------------------------


def test_change_request_shift_amounts_then_staff_approve(client, staff):
    grant = signed_grant(staff)
    first, second, third = grant.milestones.all()
    client.force_login(grant.application.owner)
    url = reverse("grantee_change_request", args=[grant.pk])
    data = {
        "kind": "amounts",
        "reason": "More work in the validator.",
        f"amount_{first.pk}": "10000.00",
        f"amount_{second.pk}": "10000.00",
        f"amount_{third.pk}": "14962.50",
    }
    response = client.post(url, data)
    assert "they must add up to €44,887.50" in response.content.decode()
    assert not grant.change_requests.exists()
    data |= {f"amount_{first.pk}": "9999.99", f"amount_{second.pk}": "19925.01"}
    response = client.post(url, data)
    assert response.status_code == 302
    change = grant.change_requests.get()
    sign_in(client, staff)
    response = client.post(
        reverse("staff_change_request_decide", args=[change.pk]),
        {"expected_state": "pending", "decision": "approve", "note": ""},
    )
    assert response.status_code == 302
    assert [m.amount for m in Milestone.objects.filter(grant=grant).order_by("position")] == [
        Decimal("9999.99"),
        Decimal("19925.01"),
        Decimal("14962.50"),
    ]


def test_change_request_refusals(staff):
    from grants.contracts.services.changes import request_change

    grant = signed_grant(staff)
    owner = grant.application.owner
    first = grant.milestones.first()
    with pytest.raises(WorkflowError, match="Choose a day"):
        request_change(
            grant=grant,
            actor=owner,
            kind="milestone_date",
            milestone=first,
            new_date=dt.date(2001, 1, 1),
            reason="Late",
        )
    with pytest.raises(WorkflowError, match="Explain why"):
        request_change(grant=grant, actor=owner, kind="end_date", new_date=grant.ends_on, reason="")
    request_change(
        grant=grant,
        actor=owner,
        kind="end_date",
        new_date=grant.ends_on + dt.timedelta(days=30),
        reason="Illness",
    )
    with pytest.raises(WorkflowError, match="still waiting"):
        request_change(
            grant=grant,
            actor=owner,
            kind="end_date",
            new_date=grant.ends_on + dt.timedelta(days=31),
            reason="More",
        )
    with pytest.raises(WorkflowError):
        request_change(
            grant=grant, actor=staff, kind="end_date", new_date=grant.ends_on, reason="Staff"
        )


# Calendar (finance: test_finance_pages.py) ---------------------------------------------------------------------


def test_calendar_feed_lists_due_dates_and_a_replaced_address_stops_working(client):
    grant = make_grant()
    owner = grant.application.owner
    client.force_login(owner)
    client.post(reverse("grantee_calendar"), {"action": "renew"})
    feed = CalendarFeed.objects.get(user=owner)
    # 256 random bits, URL-safe: nobody guesses the address.
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", feed.token)
    client.logout()
    response = client.get(reverse("calendar_feed", args=[feed.token]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert [(e["SUMMARY"], e.decoded("DTSTART")) for e in events] == [
        (f"Report due: {grant.funding_reference}, milestone {m}", m.due_on)
        for m in grant.milestones.all()
    ]
    old = feed.token
    client.force_login(owner)
    client.post(reverse("grantee_calendar"), {"action": "renew"})
    client.logout()
    assert client.get(reverse("calendar_feed", args=[old])).status_code == 404
    client.force_login(owner)
    client.post(reverse("grantee_calendar"), {"action": "stop"})
    assert not CalendarFeed.objects.exists()


def test_terminate_page_needs_a_reason_and_confirmation(client, staff):
    grant = make_grant()
    sign_in(client, staff)
    url = reverse("staff_grant_terminate", args=[grant.pk])
    response = client.post(url, {"expected_state": "funded", "reason": "Gave up."})
    assert response.status_code == 200
    response = client.post(url, {"expected_state": "funded", "reason": "Gave up.", "confirm": "on"})
    assert response.status_code == 302
    assert TransitionLog.objects.filter(
        action="grants.application.terminated", note="Gave up."
    ).exists()


def test_stale_errors_are_workflow_errors():
    assert issubclass(StaleObjectError, WorkflowError)


STATEMENT_FORMS = {
    "persons-TOTAL_FORMS": "1",
    "persons-INITIAL_FORMS": "0",
    "receipts-TOTAL_FORMS": "0",
    "receipts-INITIAL_FORMS": "0",
}


def test_final_report_page_keeps_an_incomplete_report_and_submits_a_complete_one(client):
    grant = make_grant(state="final_report_due")
    grant.milestones.update(state="paid")
    report_row = FinalReport.objects.create(grant=grant)
    client.force_login(grant.application.owner)
    url = reverse("grantee_final_report", args=[grant.pk])
    data = {
        "summary": "",
        "contribution": "Open timetables.",
        "next_steps": "",
        "public_links": "javascript:alert(1)",
    }
    data |= STATEMENT_FORMS
    response = client.post(url, data | {"submit": "1"})
    assert "Enter an address starting with https://" in response.content.decode()
    data["public_links"] = "https://codeberg.org/example/toolkit"
    response = client.post(url, data | {"submit": "1"})
    assert "Your final report is saved, but not complete yet." in response.content.decode()
    report_row.refresh_from_db()
    assert (report_row.state, report_row.contribution) == ("draft", "Open timetables.")
    results = {f"achieved_{m.pk}": "yes" for m in grant.milestones.all()}
    response = client.post(url, data | results | {"summary": "Done.", "submit": "1"})
    assert "Give the actual hours and costs of at least one person." in response.content.decode()
    report_row.refresh_from_db()
    assert report_row.state == "draft"
    person = {"persons-0-name": "Ada", "persons-0-hours": "900", "persons-0-amount": "45000"}
    response = client.post(
        url, data | results | STATEMENT_FORMS | person | {"summary": "Done.", "submit": "1"}
    )
    assert response.status_code == 302
    report_row.refresh_from_db()
    assert report_row.state == "submitted"
    assert len(report_row.milestone_results) == 3


def test_open_questions_show_as_overdue_after_their_due_date(client, staff):
    from grants.models import InformationRequest
    from tests.factories import ApplicationFactory, set_state

    application = set_state(ApplicationFactory(), A.SUBMITTED)
    question = InformationRequest.objects.create(
        application=application,
        question="Which cities?",
        due_on=timezone.localdate() - dt.timedelta(days=1),
        asked_by=staff,
    )
    client.force_login(application.owner)
    for url in (
        reverse("applicant_dashboard"),
        reverse("application_detail", args=[application.pk]),
    ):
        assert '<span class="badge badge-late">overdue</span>' in client.get(url).content.decode()
    sign_in(client, staff)
    for url in (
        reverse("staff_application_list", args=[application.call.slug]),
        reverse("staff_application_detail", args=[application.pk]),
    ):
        assert "answer overdue" in client.get(url).content.decode()
    InformationRequest.objects.filter(pk=question.pk).update(due_on=timezone.localdate())
    assert "answer overdue" not in client.get(url).content.decode()


@pytest.mark.parametrize(
    ("language", "shown"),
    [
        ("en", "(from Planned to Report submitted)"),
        ("de", "(von Geplant nach Bericht eingereicht)"),
    ],
)
def test_the_history_of_a_grant_names_every_object_s_states(client, staff, language, shown):
    """A grant's history mixes the application's, the milestones' and the change requests'
    entries: each names its states by its own workflow, never by a raw value."""
    grant = signed_grant(staff)
    report(grant.milestones.order_by("position").first())
    sign_in(client, staff)
    client.cookies["ctf_language"] = language

    html = client.get(reverse("staff_grant", args=[grant.pk])).content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())  # what people read

    assert shown in text
    assert "report_submitted" not in text
