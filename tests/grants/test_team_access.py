"""Security finding 6 (issue 6): team members could read drafts. Team access starts when the
application is submitted, and only for a verified address that matches the one named."""

import pytest
from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.roles import Role
from grants.models import Application, Attachment
from tests.factories import ApplicationFactory, make_user

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def team_draft(member_email):
    owner = make_user(Role.APPLICANT)
    application = ApplicationFactory(
        owner=owner, track="team_6", members=[member_email], title="Shared budget explorer"
    )
    return owner, application


def attach(client, owner, application):
    client.force_login(owner)
    client.post(
        reverse("attachment_upload", args=[application.pk]),
        {"file": SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf")},
    )
    return Attachment.objects.get(application=application)


def submit(client, owner, application):
    client.force_login(owner)
    response = client.post(
        reverse("application_submit", args=[application.pk]), {"version": application.version}
    )
    assert response.url == reverse("application_detail", args=[application.pk])
    return Application.objects.get(pk=application.pk)


def what_the_member_sees(client, member, application, attachment):
    client.force_login(member)
    detail = client.get(reverse("application_detail", args=[application.pk]))
    download = client.get(reverse("attachment_download", args=[attachment.pk]))
    dashboard = client.get(reverse("applicant_dashboard")).content.decode()
    return detail.status_code, download.status_code, application.title in dashboard


def test_a_team_member_reads_the_application_only_once_it_is_submitted(client):
    member = make_user(Role.APPLICANT, email="mate@example.org")
    owner, application = team_draft("mate@example.org")
    attachment = attach(client, owner, application)

    assert what_the_member_sees(client, member, application, attachment) == (404, 404, False)

    submit(client, owner, application)

    assert what_the_member_sees(client, member, application, attachment) == (200, 200, True)


def test_an_unverified_address_gives_no_team_access(client):
    # A typo in the team list names somebody else's address; they registered it but never
    # confirmed it, so the application must stay closed to them.
    member = make_user(Role.APPLICANT, email="typo@example.org", verified=False)
    EmailAddress.objects.create(user=member, email="typo@example.org", verified=False)
    owner, application = team_draft("typo@example.org")
    attachment = attach(client, owner, application)
    submit(client, owner, application)

    assert what_the_member_sees(client, member, application, attachment) == (404, 404, False)

    EmailAddress.objects.filter(user=member).update(verified=True)

    assert what_the_member_sees(client, member, application, attachment) == (200, 200, True)


def test_a_verified_second_address_counts(client):
    member = make_user(Role.APPLICANT, email="login@example.org")
    EmailAddress.objects.create(user=member, email="Work@Example.org", verified=True)
    owner, application = team_draft("work@example.org")
    attachment = attach(client, owner, application)
    submit(client, owner, application)

    assert what_the_member_sees(client, member, application, attachment) == (200, 200, True)
