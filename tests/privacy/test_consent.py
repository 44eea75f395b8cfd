"""Consent with its wording: the grantee's consent to the publication of their name is stored
with the version and the text they read, the time and the user; withdrawing it takes effect
at once on the public pages, in the open data and in the next report."""

import pytest
from django.urls import reverse

from accounts.consents import WORDINGS
from accounts.models import Consent
from accounts.roles import Role
from grants.consents import PUBLICATION
from grants.contracts.services.agreements import (
    accept_agreement,
    offer_agreement,
    prepare_agreement,
)
from grants.events import PUBLICATION_WITHDRAWN
from grants.models import Grant
from reporting.data import load
from tests.factories import make_user
from tests.grants.contracts.helpers import (
    approved_application,
    signed_grant,
    signing_copy,
    with_terms,
)
from workflow.models import TransitionLog

pytestmark = pytest.mark.django_db

# The wording of each version, fingerprinted: a new wording needs a new version.
FINGERPRINTS = {
    ("grants.publication", "1"): "3c2324d9f369b5ca91e5338708d8f6733b9829aeb3fa791acd2cae427e4f60b5",
}


@pytest.fixture
def staff():
    return make_user(Role.STAFF)


@pytest.fixture
def grant(staff):
    return signed_grant(
        staff, owner=make_user(Role.APPLICANT, full_name="Ada Lovelace", language="de")
    )


def test_the_wordings_change_only_with_a_new_version():
    assert {
        (wording.purpose, wording.version): wording.fingerprint() for wording in WORDINGS.values()
    } == FINGERPRINTS


def test_accepting_with_consent_stores_the_wording_as_read(grant):
    consent = Consent.objects.get()

    assert (consent.user_id, consent.purpose, consent.version) == (
        grant.application.owner_id,
        "grants.publication",
        "1",
    )
    assert (consent.content_type.model, consent.object_id) == ("grant", grant.pk)
    assert consent.language == "en"  # the language of the page the grantee accepted on
    assert consent.text == (
        "The fund may publish my name with the project in its open data. Without consent, "
        "individual grantees are published anonymously. You can withdraw your consent at any "
        "time on your grant's page."
    )
    assert consent.given_at == Grant.objects.get(pk=grant.pk).accepted_at
    assert consent.withdrawn_at is None


def test_the_grant_page_shows_the_wording_agreed_to(client, grant):
    client.force_login(grant.application.owner)

    html = client.get(reverse("grantee_grant", args=[grant.pk])).content.decode()

    assert "(wording version 1):</p>" in html
    assert f"<blockquote>{PUBLICATION.shown('en')}</blockquote>".replace("'", "&#x27;") in html
    assert "Withdraw my consent" in html


def test_withdrawing_takes_effect_on_the_public_pages_the_open_data_and_the_report(
    client, grant, django_capture_on_commit_callbacks
):
    client.force_login(grant.application.owner)
    before = client.get("/open-data/360giving.json")
    transparency = client.get("/transparency/")
    assert "Ada Lovelace" in b"".join(before.streaming_content).decode()
    assert "Ada Lovelace" in transparency.content.decode()

    with django_capture_on_commit_callbacks(execute=True):  # the cached copies are dropped
        response = client.post(reverse("grantee_publication_consent", args=[grant.pk]), follow=True)

    assert "Your consent is withdrawn" in response.content.decode()
    assert not Grant.objects.get(pk=grant.pk).publication_consent
    assert Consent.objects.get().withdrawn_at is not None
    entry = TransitionLog.objects.get(action=PUBLICATION_WITHDRAWN)
    assert (entry.actor_id, entry.visible_to_applicant) == (grant.application.owner_id, True)
    after = b"".join(client.get("/open-data/360giving.json").streaming_content).decode()
    assert "Ada Lovelace" not in after
    assert "Ada Lovelace" not in client.get("/transparency/").content.decode()
    assert list(load().frames.grants["recipient"]) == [""]


def test_nobody_else_withdraws_it_and_withdrawing_twice_changes_nothing(client, grant):
    client.force_login(make_user(Role.APPLICANT))
    assert client.post(reverse("grantee_publication_consent", args=[grant.pk])).status_code == 404
    assert Grant.objects.get(pk=grant.pk).publication_consent

    client.force_login(grant.application.owner)
    client.post(reverse("grantee_publication_consent", args=[grant.pk]))
    again = client.post(reverse("grantee_publication_consent", args=[grant.pk]), follow=True)

    assert "There is no consent to publication to withdraw." in again.content.decode()
    assert Consent.objects.filter(withdrawn_at__isnull=False).count() == 1
    assert TransitionLog.objects.filter(action=PUBLICATION_WITHDRAWN).count() == 1


def test_accepting_without_consent_stores_none(staff):

    application = approved_application()
    grant = prepare_agreement(application=application, actor=staff)
    with_terms(application.call.fund, staff)
    grant = offer_agreement(grant=grant, actor=staff, expected_version=grant.version)
    document = signing_copy(grant, consent=False)
    accept_agreement(
        application=application, actor=application.owner, document=document, sha256=document.sha256
    )

    assert Consent.objects.count() == 0
