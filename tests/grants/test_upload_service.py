"""One upload service for every kind of file (issue 15, item 2): milestone-report evidence
used to skip the storage quota and the upload limit that proposal attachments had. Every
kind now goes through grants.services.attachments.store_upload: the same checks, one quota
and one hourly limit per person (counted over all kinds), and the same purge."""

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from core.errors import WorkflowError
from core.storage import private_storage
from grants.contracts.services.milestones import add_report_attachment
from grants.models import Attachment, MilestoneReport
from grants.services.attachments import add_attachment, stored_bytes_of
from tests.factories import ApplicationFactory, make_grant
from tests.grants.contracts.test_pages import report_post

pytestmark = pytest.mark.django_db

KB600 = b"Evidence of the release.\n" + b"x" * (600 * 1024 - 26) + b"\n"


@pytest.fixture
def grant():
    return make_grant()


def upload_evidence(client, milestone, name="evidence.txt", content=KB600):
    return client.post(
        reverse("grantee_milestone_report", args=[milestone.pk]),
        report_post(milestone) | {"save": "1", "files": [SimpleUploadedFile(name, content)]},
        follow=True,
    )


def remove_evidence(client, attachment):
    client.post(reverse("grantee_report_attachment_remove", args=[attachment.pk]))


def page_messages(response):
    return [str(message) for message in response.context["messages"]]


def stored_files():
    return sorted(path.name for path in private_storage().base_location.glob("*"))


def test_evidence_uploaded_and_removed_counts_against_the_quota(client, grant, settings):
    """The finding: with a 1 MB quota, uploading and removing 600 KB evidence files stored
    36 files (22 MB). Now the second file is refused."""
    settings.ATTACHMENT_QUOTA_BYTES = 1024 * 1024
    milestone = grant.milestones.first()
    client.force_login(grant.application.owner)
    first = upload_evidence(client, milestone)
    assert "“evidence.txt” was added." in page_messages(first)
    remove_evidence(client, Attachment.objects.get())
    files_before = stored_files()

    refused = upload_evidence(client, milestone)

    assert page_messages(refused) == [
        "“evidence.txt” (600.0\xa0KB) does not fit: your files already take 600.0\xa0KB of the "
        "1.0\xa0MB you may store. Files you removed count until they are deleted for good, "
        "7 days after removal.",
        "Your report has been saved as a draft.",
    ]
    assert Attachment.objects.count() == 1
    assert stored_files() == files_before


def test_one_quota_for_proposal_files_and_evidence(client, grant, settings):
    owner = grant.application.owner
    draft = ApplicationFactory(owner=owner)
    settings.ATTACHMENT_QUOTA_BYTES = len(KB600) + 1000
    add_attachment(
        application=draft, actor=owner, uploaded_file=SimpleUploadedFile("plan.txt", KB600)
    )
    client.force_login(owner)

    refused = upload_evidence(client, grant.milestones.first(), content=b"x" * 1001)

    assert page_messages(refused)[0].startswith("“evidence.txt” (1001\xa0bytes) does not fit")
    assert list(Attachment.objects.values_list("original_name", flat=True)) == ["plan.txt"]
    # And the other way round: evidence fills the quota for proposal files too.
    Attachment.objects.update(purged_at=timezone.now())
    upload_evidence(client, grant.milestones.first(), content=KB600)
    with pytest.raises(WorkflowError) as refused_proposal_file:
        add_attachment(
            application=draft,
            actor=owner,
            uploaded_file=SimpleUploadedFile("plan.txt", b"x" * 1001),
        )
    assert "does not fit" in str(refused_proposal_file.value.message)


def test_evidence_counts_against_the_upload_limit(client, grant, settings, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False)
    settings.ATTACHMENT_UPLOADS_PER_HOUR = 2
    owner = grant.application.owner
    milestone = grant.milestones.first()
    add_attachment(
        application=ApplicationFactory(owner=owner),
        actor=owner,
        uploaded_file=SimpleUploadedFile("plan.txt", b"plan\n"),
    )
    client.force_login(owner)
    time_machine.move_to(dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC), tick=False)
    upload_evidence(client, milestone, content=b"first\n")
    remove_evidence(client, Attachment.objects.latest("pk"))  # removing gives no upload back

    refused = upload_evidence(client, milestone, content=b"second\n")

    assert page_messages(refused)[0] == (
        "You have uploaded 2 files within an hour, the most allowed. You can upload the next "
        "file at 11:00."
    )
    assert Attachment.objects.count() == 2
    time_machine.move_to(dt.datetime(2026, 3, 2, 10, 0, 1, tzinfo=dt.UTC), tick=False)
    assert page_messages(upload_evidence(client, milestone, content=b"second\n"))[0] == (
        "“evidence.txt” was added."
    )


def test_the_limit_and_quota_are_per_person(grant, settings):
    settings.ATTACHMENT_UPLOADS_PER_HOUR = 1
    owner = grant.application.owner
    other = ApplicationFactory()
    add_attachment(
        application=other,
        actor=other.owner,
        uploaded_file=SimpleUploadedFile("plan.txt", b"plan\n"),
    )

    evidence = add_report_attachment(
        milestone=grant.milestones.first(),
        actor=owner,
        uploaded_file=SimpleUploadedFile("evidence.txt", b"done\n"),
    )

    assert evidence.uploaded_by == owner
    assert stored_bytes_of(owner) == len(b"done\n")


def test_evidence_gets_the_same_content_checks(grant):
    milestone = grant.milestones.first()
    with pytest.raises(WorkflowError) as refused:
        add_report_attachment(
            milestone=milestone,
            actor=grant.application.owner,
            uploaded_file=SimpleUploadedFile("evidence.pdf", b"MZ\x90\x00 not a pdf"),
        )
    assert refused.value.message == (
        "“evidence.pdf” is not a PDF, PNG, JPEG or plain-text file. Only these types are accepted."
    )
    assert not Attachment.objects.exists()
    assert not MilestoneReport.objects.exists()  # nothing started for a refused file


def test_an_evidence_file_over_the_size_limit_is_explained(client, grant, settings):
    """The upload handler stops it while it arrives; the report page used to drop it
    without a word."""
    settings.ATTACHMENT_MAX_BYTES = 100 * 1024
    client.force_login(grant.application.owner)

    response = upload_evidence(client, grant.milestones.first(), "big.txt", b"a" * (300 * 1024))

    assert page_messages(response) == [
        "“big.txt” is too large; files may be at most 100.0\xa0KB. It was not stored.",
        "Your report has been saved as a draft.",
    ]
    assert not Attachment.objects.exists()


def test_the_purge_deletes_removed_evidence_and_frees_the_quota(client, grant, settings):
    settings.ATTACHMENT_QUOTA_BYTES = 1024 * 1024
    milestone = grant.milestones.first()
    client.force_login(grant.application.owner)
    upload_evidence(client, milestone)
    evidence = Attachment.objects.get()
    remove_evidence(client, evidence)
    assert private_storage().exists(evidence.stored_name)

    with time_machine.travel(timezone.now() + dt.timedelta(days=8)):
        call_command("purge_removed_attachments", verbosity=0)
        client.force_login(grant.application.owner)  # the session of 8 days ago expired
        accepted = upload_evidence(client, milestone)

    evidence.refresh_from_db()
    assert evidence.purged_at is not None
    assert not private_storage().exists(evidence.stored_name)
    assert page_messages(accepted)[0] == "“evidence.txt” was added."
    assert Attachment.objects.filter(purged_at__isnull=True).count() == 1


def test_the_upload_limit_is_explained_in_german(grant, settings, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False)
    settings.ATTACHMENT_UPLOADS_PER_HOUR = 2
    owner = grant.application.owner
    milestone = grant.milestones.first()
    for name in ("a.txt", "b.txt"):
        add_report_attachment(
            milestone=milestone, actor=owner, uploaded_file=SimpleUploadedFile(name, b"a\n")
        )

    with translation.override("de"), pytest.raises(WorkflowError) as refused:
        add_report_attachment(
            milestone=milestone, actor=owner, uploaded_file=SimpleUploadedFile("c.txt", b"c\n")
        )

    assert refused.value.message == (
        "Sie haben innerhalb einer Stunde 2 Dateien hochgeladen, mehr sind nicht erlaubt. "
        "Die nächste Datei können Sie um 11:00 Uhr hochladen."
    )


def test_after_a_lowered_limit_the_next_upload_waits_for_enough_to_expire(
    grant, settings, time_machine
):
    owner = grant.application.owner
    milestone = grant.milestones.first()
    for minute, name in ((0, "a.txt"), (10, "b.txt"), (20, "c.txt")):
        time_machine.move_to(dt.datetime(2026, 3, 2, 9, minute, tzinfo=dt.UTC), tick=False)
        add_report_attachment(
            milestone=milestone, actor=owner, uploaded_file=SimpleUploadedFile(name, b"a\n")
        )
    settings.ATTACHMENT_UPLOADS_PER_HOUR = 1

    with pytest.raises(WorkflowError) as refused:
        add_report_attachment(
            milestone=milestone, actor=owner, uploaded_file=SimpleUploadedFile("d.txt", b"d\n")
        )

    # Below the limit of 1 only when all three are older than an hour: 10:20 UTC.
    assert str(refused.value.message).endswith("You can upload the next file at 11:20.")
