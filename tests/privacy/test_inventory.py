"""The inventory of personal data in code: every field that could hold personal data is
registered (with kind, legal basis, purpose and retention) or declared not personal; a new
one fails the test; the admin site shows it; ``privacy_inventory`` prints it as Markdown."""

import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import models
from django.test.utils import isolate_apps
from django.urls import reverse
from django_fsm import FSMField

from accounts.models import User
from grants.models import Grant
from privacy.inventory.registry import (
    REGISTRY,
    candidates,
    entries_of,
    personal,
    personal_entries,
    stale,
    unregistered,
)
from privacy.kinds import DataKind, LegalBasis
from tests.accounts.helpers import make_role_user, sign_in


def test_every_field_that_could_hold_personal_data_is_registered():
    assert unregistered() == []
    assert stale() == []


def test_every_kind_has_fields_and_every_personal_field_a_retention_rule():
    assert {kind: bool(entries_of(kind)) for kind in DataKind.values} == dict.fromkeys(
        DataKind.values, True
    )
    assert [e.name for e in personal_entries() if not e.retention] == []
    assert {e.basis for e in personal_entries()} <= set(LegalBasis.values)


def test_the_fields_the_issue_names_are_registered_with_their_kind():
    def kind(model, name):
        return REGISTRY.entries[(model._meta.label, name)].kind

    assert kind(User, "full_name") == DataKind.IDENTITY
    assert kind(User, "email") == DataKind.CONTACT
    assert kind(Grant, "iban_encrypted") == DataKind.BANK
    assert kind(Grant, "account_holder") == DataKind.BANK


@isolate_apps("privacy")
def test_a_new_model_with_personal_data_fails_until_it_is_registered():
    class Interview(models.Model):  # noqa: DJ008 (a test model)
        person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
        name = models.CharField(max_length=100)
        email = models.EmailField()
        notes = models.TextField()
        answers = models.JSONField(default=dict)
        recording = models.FileField()
        address = models.GenericIPAddressField()
        # Fixed choices, states, numbers and dates cannot hold personal data.
        channel = models.CharField(max_length=10, choices=[("phone", "Phone")])
        state = FSMField(default="new")
        minutes = models.PositiveIntegerField()
        held_on = models.DateField()

        class Meta:
            app_label = "privacy"

    missing = [
        "privacy.Interview.person",
        "privacy.Interview.name",
        "privacy.Interview.email",
        "privacy.Interview.notes",
        "privacy.Interview.answers",
        "privacy.Interview.recording",
        "privacy.Interview.address",
    ]
    assert candidates(Interview) == [name.rsplit(".", 1)[1] for name in missing]
    assert unregistered([Interview]) == missing

    personal(
        Interview,
        "person",
        "name",
        "email",
        "notes",
        "answers",
        "recording",
        "address",
        kind=DataKind.PROPOSAL,
        basis=LegalBasis.CONTRACT,
        purpose="Interviews with applicants",
        retention=("unfunded",),
    )
    try:
        assert unregistered([Interview]) == []
    finally:
        for name in candidates(Interview):
            del REGISTRY.entries[("privacy.Interview", name)]


@pytest.mark.django_db
def test_the_admin_site_shows_the_inventory(client):
    sign_in(client, make_role_user("admin"))

    index = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    page = client.get(reverse("admin:privacy_inventory"), HTTP_ACCEPT_LANGUAGE="en")

    assert f'href="{reverse("admin:privacy_inventory")}"' in index
    html = page.content.decode()
    assert page.status_code == 200
    assert "<td>user</td><td>full name</td>" in html
    assert "<td>grant</td><td>account holder</td>" in html
    assert html.count('<h2 id="kind-') == len(DataKind.values)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["staff", "applicant"])
def test_only_admins_open_the_inventory(client, role):
    sign_in(client, make_role_user(role))

    response = client.get(reverse("admin:privacy_inventory"))

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_privacy_inventory_prints_the_records_of_processing_as_markdown():
    out = io.StringIO()
    call_command("privacy_inventory", stdout=out)
    text = out.getvalue()

    assert text.startswith("# Records of processing activities (Art. 30 GDPR): Civic Tech Fund\n")
    assert "| Record | Field | Purpose | Legal basis | Retention |" in text
    assert (
        "| user | full name | To name you on your applications, grants and reviews, and in "
        "e-mails to you | Steps at your request before a grant, and the grant agreement, "
        "Art. 6(1)(b) GDPR | Accounts without activity |"
    ) in text
    assert [line for line in text.splitlines() if line.startswith("## ")] == [
        "## Identity",
        "## Contact details",
        "## Proposal content",
        "## Reviews",
        "## Bank details",
        "## Technical data",
        "## Retention",
    ]
    assert "- **Proposals not funded**: anonymised 24 months after the call's decision" in text


def test_the_retention_settings_change_the_records(settings):
    settings.PRIVACY_RETENTION = {**settings.PRIVACY_RETENTION, "unfunded_months": 36}
    out = io.StringIO()

    call_command("privacy_inventory", stdout=out)

    assert "anonymised 36 months after the call's decision" in out.getvalue()
