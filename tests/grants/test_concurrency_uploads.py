"""The storage quota and the upload limit hold when one person uploads in parallel, to
different places (a proposal draft and a milestone report): the checks run under the
uploader's row lock, so two uploads cannot both pass them (PostgreSQL)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from grants.contracts.services.milestones import add_report_attachment
from grants.models import Attachment
from grants.services.attachments import add_attachment
from tests.concurrency import run_at_once
from tests.factories import ApplicationFactory, make_grant

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgresql,  # needs real concurrent transactions
]

CONTENT = b"Evidence of the work.\n" * 100


def uploads_to_a_draft_and_a_report(count):
    grant = make_grant()
    owner = grant.application.owner
    drafts = [ApplicationFactory(owner=owner) for _ in range(count // 2)]
    milestones = list(grant.milestones.all())

    def to_draft(draft):
        return lambda: add_attachment(
            application=draft, actor=owner, uploaded_file=SimpleUploadedFile("a.txt", CONTENT)
        )

    def to_report(milestone):
        return lambda: add_report_attachment(
            milestone=milestone, actor=owner, uploaded_file=SimpleUploadedFile("e.txt", CONTENT)
        )

    uploads = [to_draft(draft) for draft in drafts]
    uploads += [to_report(milestones[n % len(milestones)]) for n in range(count - len(drafts))]
    return owner, uploads


@pytest.mark.parametrize(
    ("setting", "value", "reason"),
    [
        ("ATTACHMENT_QUOTA_BYTES", 2 * len(CONTENT), "does not fit"),
        ("ATTACHMENT_UPLOADS_PER_HOUR", 2, "files within an hour"),
    ],
    ids=["quota", "hourly limit"],
)
def test_parallel_uploads_never_pass_the_limits(settings, setting, value, reason):
    setattr(settings, setting, value)
    owner, uploads = uploads_to_a_draft_and_a_report(6)

    refused, errors = run_at_once(uploads)

    assert errors == []
    assert len(refused) == 4
    assert all(reason in message for message in refused)
    assert Attachment.objects.filter(uploaded_by=owner).count() == 2
