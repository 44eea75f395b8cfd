"""Evidence for a milestone report that has not been submitted belongs to the grantee who
uploads it: staff and team members neither download it nor see it listed until the report
is submitted; from then on they do, as before. Ministry viewers download no file at all."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.roles import Role
from grants.models import Attachment
from tests.accounts.helpers import sign_in
from tests.factories import make_grant, make_user
from tests.grants.contracts.test_pages import PDF, report_post

pytestmark = pytest.mark.django_db
MATE = "mate@example.org"


@pytest.fixture
def people():
    return {
        "mate": make_user(Role.APPLICANT, email=MATE),
        "staff": make_user(Role.STAFF),
        "ministry": make_user(Role.MINISTRY),
    }


@pytest.fixture
def grant():
    return make_grant(track="team_6", members=[MATE])


def save_draft_with_evidence(client, milestone):
    client.force_login(milestone.grant.application.owner)
    response = client.post(
        reverse("grantee_milestone_report", args=[milestone.pk]),
        report_post(milestone)
        | {"save": "1", "files": [SimpleUploadedFile("unsent-evidence.pdf", PDF)]},
    )
    assert response.status_code == 302
    return Attachment.objects.get(original_name="unsent-evidence.pdf")


def submit(client, milestone):
    client.force_login(milestone.grant.application.owner)
    url = reverse("grantee_milestone_report", args=[milestone.pk])
    token = client.get(url).context["form"]["draft_token"].value()
    response = client.post(url, report_post(milestone, draft_token=token) | {"submit": "1"})
    assert response.status_code == 302


def download_status(client, user, attachment) -> int:
    sign_in(client, user)
    return client.get(reverse("attachment_download", args=[attachment.pk])).status_code


def application_page(client, user, grant) -> str:
    sign_in(client, user)
    response = client.get(reverse("application_detail", args=[grant.application_id]))
    assert response.status_code == 200
    return response.content.decode()


def test_unsubmitted_evidence_is_the_grantees_alone(client, grant, people):
    milestone = grant.milestones.first()
    evidence = save_draft_with_evidence(client, milestone)

    assert download_status(client, grant.application.owner, evidence) == 200
    assert download_status(client, people["mate"], evidence) == 404
    assert download_status(client, people["staff"], evidence) == 404
    assert download_status(client, people["ministry"], evidence) == 404
    assert "unsent-evidence.pdf" not in application_page(client, people["mate"], grant)
    assert "unsent-evidence.pdf" not in application_page(client, people["staff"], grant)


def test_submitted_evidence_is_shown_to_staff_and_the_team(client, grant, people):
    milestone = grant.milestones.first()
    evidence = save_draft_with_evidence(client, milestone)
    submit(client, milestone)

    assert download_status(client, grant.application.owner, evidence) == 200
    assert download_status(client, people["mate"], evidence) == 200
    assert download_status(client, people["staff"], evidence) == 200
    assert download_status(client, people["ministry"], evidence) == 404
    assert "unsent-evidence.pdf" in application_page(client, people["mate"], grant)
    sign_in(client, people["staff"])
    staff_page = client.get(reverse("staff_milestone", args=[milestone.pk])).content.decode()
    assert reverse("attachment_download", args=[evidence.pk]) in staff_page


def test_the_grantee_sees_their_unsubmitted_evidence_on_the_report_page(client, grant):
    milestone = grant.milestones.first()
    evidence = save_draft_with_evidence(client, milestone)

    page = client.get(reverse("grantee_milestone_report", args=[milestone.pk])).content.decode()

    assert reverse("attachment_download", args=[evidence.pk]) in page
