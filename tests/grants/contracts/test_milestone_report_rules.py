"""Who writes, hands in and changes a milestone report, and when: only the grantee while the
milestone awaits its report, a page that is out of date is refused, a draft after changes
were requested starts from the last version, nothing is handed in without a draft, staff's
comment has 20,000 characters, evidence leaves only a draft, once, by its grantee, and the
grantee is told by e-mail whether the report was accepted or needs changes."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.roles import Role
from core.errors import StaleObjectError, WorkflowError
from grants.contracts.services.milestones import (
    add_report_attachment,
    remove_report_attachment,
    report_token,
    review_milestone_report,
    save_milestone_report,
    submit_report_draft,
)
from grants.models import Attachment, MilestoneReport
from tests.factories import make_grant, make_user
from tests.grants.contracts.helpers import COLLABORATIONS, LINKS, REPORT, accept, report
from tests.grants.contracts.test_pages import PDF
from workflow.models import TransitionLog

pytestmark = pytest.mark.django_db
CANNOT = "This milestone cannot be reported now."


@pytest.fixture
def milestone():
    return make_grant().milestones.order_by("position").first()


def save(milestone, actor=None, token="", **fields):
    return save_milestone_report(
        milestone=milestone,
        actor=actor or milestone.grant.application.owner,
        draft_token=token,
        fields={**REPORT, **fields},
        links=LINKS,
        collaborations=COLLABORATIONS,
    )


def test_only_the_grantee_saves_a_report(milestone):
    with pytest.raises(WorkflowError) as refused:
        save(milestone, actor=make_user(Role.APPLICANT))

    assert refused.value.message == CANNOT
    assert not MilestoneReport.objects.exists()


def test_no_report_is_saved_once_the_milestone_is_accepted(milestone, staff):
    report(milestone)
    accept(milestone, staff)
    versions = list(MilestoneReport.objects.values_list("pk", "delivered"))

    with pytest.raises(WorkflowError) as refused:
        save(milestone, delivered="Something else.")

    assert refused.value.message == CANNOT
    assert list(MilestoneReport.objects.values_list("pk", "delivered")) == versions


def test_a_page_out_of_date_is_refused_and_the_current_one_saves(milestone):
    first = save(milestone, delivered="First words.")
    token = report_token(first)
    second = save(milestone, token=token, delivered="Second words.")

    assert token == first.updated_at.isoformat()
    with pytest.raises(StaleObjectError):
        save(milestone, token=token, delivered="From the old page.")
    assert MilestoneReport.objects.get().delivered == "Second words."
    assert save(milestone, token=report_token(second), delivered="Third.").pk == first.pk


def test_a_new_draft_after_changes_were_requested_starts_from_the_last_version(milestone, staff):
    report(milestone, delivered="Version one.", users_reached=300)
    review_milestone_report(
        milestone=milestone,
        actor=staff,
        accept=False,
        comment="Name the cities.",
        expected_state="report_submitted",
    )

    with pytest.raises(WorkflowError) as refused:
        submit_report_draft(milestone=milestone, actor=milestone.grant.application.owner)
    assert refused.value.message == CANNOT  # no draft yet: nothing to hand in

    evidence = add_report_attachment(
        milestone=milestone,
        actor=milestone.grant.application.owner,
        uploaded_file=SimpleUploadedFile("evidence.pdf", PDF),
    )
    draft = evidence.milestone_report
    assert (draft.version, draft.delivered, draft.users_reached) == (2, "Version one.", 300)


def test_a_review_comment_of_20000_characters_is_kept_and_20001_refused(milestone, staff):
    report(milestone)

    with pytest.raises(WorkflowError) as refused:
        review_milestone_report(
            milestone=milestone,
            actor=staff,
            accept=False,
            comment="c" * 20_001,
            expected_state="report_submitted",
        )
    assert refused.value.field_errors == {"comment": ["At most 20000 characters."]}
    milestone.refresh_from_db()
    assert milestone.state == "report_submitted"

    review_milestone_report(
        milestone=milestone,
        actor=staff,
        accept=False,
        comment="c" * 20_000,
        expected_state="report_submitted",
    )
    reviewed = MilestoneReport.objects.get()
    assert (reviewed.review_outcome, reviewed.review_comment) == ("changes_requested", "c" * 20_000)
    entry = TransitionLog.objects.filter(to_state="changes_requested").get()
    assert entry.data == {"version": 1}


def test_evidence_is_added_and_removed_by_the_grantee_only_from_a_draft_once(milestone):
    owner = milestone.grant.application.owner
    stranger = make_user(Role.APPLICANT)
    with pytest.raises(WorkflowError) as refused:
        add_report_attachment(
            milestone=milestone,
            actor=stranger,
            uploaded_file=SimpleUploadedFile("evidence.pdf", PDF),
        )
    assert refused.value.message == CANNOT
    kept = add_report_attachment(
        milestone=milestone, actor=owner, uploaded_file=SimpleUploadedFile("kept.pdf", PDF)
    )
    removed = add_report_attachment(
        milestone=milestone, actor=owner, uploaded_file=SimpleUploadedFile("gone.pdf", PDF)
    )

    with pytest.raises(WorkflowError) as by_stranger:
        remove_report_attachment(attachment=removed, actor=stranger)
    remove_report_attachment(attachment=removed, actor=owner)
    with pytest.raises(WorkflowError) as twice:
        remove_report_attachment(attachment=removed, actor=owner)
    save(milestone)
    submit_report_draft(milestone=milestone, actor=owner)
    with pytest.raises(WorkflowError) as submitted:
        remove_report_attachment(attachment=Attachment.objects.get(pk=kept.pk), actor=owner)

    message = "This file can no longer be removed."
    assert [by_stranger.value.message, twice.value.message, submitted.value.message] == [
        message
    ] * 3
    kept.refresh_from_db()
    assert kept.removed_at is None


@pytest.mark.parametrize(
    ("accepted", "subject"),
    [
        (True, "Milestone report accepted: {reference}"),
        (False, "Changes requested to your milestone report: {reference}"),
    ],
)
def test_the_grantee_is_told_whether_the_report_was_accepted(
    milestone, staff, accepted, subject, django_capture_on_commit_callbacks
):
    report(milestone)

    with django_capture_on_commit_callbacks(execute=True):
        review_milestone_report(
            milestone=milestone,
            actor=staff,
            accept=accepted,
            comment="" if accepted else "Name the cities.",
            expected_state="report_submitted",
        )

    reference = milestone.grant.funding_reference
    assert [
        (message.subject.removeprefix("[Civic Tech Fund] "), message.to) for message in mail.outbox
    ] == [(subject.format(reference=reference), [milestone.grant.application.owner.email])]


def test_evidence_is_not_removed_through_a_copy_read_before_the_report_was_handed_in(milestone):
    """Two tabs: one hands the report in while the other still shows the draft's file. The
    removal is judged on the report as it is under the grant's lock, not on that copy."""
    owner = milestone.grant.application.owner
    add_report_attachment(
        milestone=milestone, actor=owner, uploaded_file=SimpleUploadedFile("kept.pdf", PDF)
    )
    read_earlier = Attachment.objects.select_related("milestone_report__milestone").get()
    save(milestone)
    submit_report_draft(milestone=milestone, actor=owner)

    with pytest.raises(WorkflowError) as refused:
        remove_report_attachment(attachment=read_earlier, actor=owner)

    assert refused.value.message == "This file can no longer be removed."
    assert Attachment.objects.get().removed_at is None
    assert read_earlier.removed_at is None


def test_evidence_removed_in_another_tab_keeps_its_first_removal_time(milestone):
    owner = milestone.grant.application.owner
    add_report_attachment(
        milestone=milestone, actor=owner, uploaded_file=SimpleUploadedFile("gone.pdf", PDF)
    )
    first_tab = Attachment.objects.select_related("milestone_report__milestone").get()
    second_tab = Attachment.objects.select_related("milestone_report__milestone").get()
    removed = remove_report_attachment(attachment=first_tab, actor=owner)

    with pytest.raises(WorkflowError) as refused:
        remove_report_attachment(attachment=second_tab, actor=owner)

    assert refused.value.message == "This file can no longer be removed."
    assert removed is first_tab
    assert Attachment.objects.get().removed_at == first_tab.removed_at
    assert first_tab.removed_at is not None
    assert second_tab.removed_at is None
