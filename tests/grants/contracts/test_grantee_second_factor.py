"""A call can require its grantees to use a second factor: their grant pages (agreement, bank
details, reports) then open only in a session that used one; grantees may set one up on
their account page whatever the call says."""

from urllib.parse import quote

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.urls import reverse

from accounts.roles import Role
from grants.models import Call, FinalReport, TransitionLog
from tests.accounts.helpers import reauthenticate, sign_in_with_mfa
from tests.factories import TOTP_SECRET, make_grant, make_user
from tests.grants.staff.test_calls import data_of

pytestmark = pytest.mark.django_db

GRANT_PAGES = {
    "grantee_grant": lambda grant: [grant.pk],
    "grantee_agreement": lambda grant: [grant.pk],
    "grantee_change_request": lambda grant: [grant.pk],
    "grantee_final_report": lambda grant: [grant.pk],
    "grantee_bank_details": lambda grant: [grant.pk],
    "grantee_milestone_report": lambda grant: [grant.milestones.first().pk],
}


@pytest.fixture
def grant():
    grant = make_grant(state="final_report_due")
    FinalReport.objects.create(grant=grant)
    return grant


def require(grant, required=True):
    Call.objects.filter(pk=grant.application.call_id).update(grantees_need_second_factor=required)


def gate_url(url):
    return f"{reverse('mfa_required')}?next={quote(url, safe='')}"


@pytest.mark.parametrize("url_name", GRANT_PAGES)
def test_without_a_second_factor_the_pages_stop_at_the_gate(client, grant, url_name):
    require(grant)
    client.force_login(grant.application.owner)
    url = reverse(url_name, args=GRANT_PAGES[url_name](grant))
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == gate_url(url)
    gate = client.get(response["Location"]).content.decode()
    assert "asks the grantees of this call to protect their grant" in gate
    assert "Set up an authenticator app" in gate


@pytest.mark.parametrize("url_name", GRANT_PAGES)
def test_a_session_that_used_the_second_factor_gets_in(client, grant, url_name):
    require(grant)
    owner = grant.application.owner
    TOTP.activate(owner, TOTP_SECRET)
    sign_in_with_mfa(client, owner)
    reauthenticate(client)
    response = client.get(reverse(url_name, args=GRANT_PAGES[url_name](grant)))
    assert response.status_code == 200


def test_a_session_without_the_factor_the_grantee_holds_must_sign_in_again(client, grant):
    require(grant)
    owner = grant.application.owner
    TOTP.activate(owner, TOTP_SECRET)
    client.force_login(owner)  # password only
    url = reverse("grantee_grant", args=[grant.pk])
    response = client.get(url)
    assert response["Location"] == gate_url(url)
    assert "Sign in again" in client.get(response["Location"]).content.decode()


def test_calls_that_do_not_require_it_open_with_the_password(client, grant):
    client.force_login(grant.application.owner)
    assert client.get(reverse("grantee_grant", args=[grant.pk])).status_code == 200
    require(grant)
    assert client.get(reverse("grantee_dashboard")).status_code == 200  # the list stays open


def test_staff_require_it_per_call_and_the_change_is_logged(client, grant):
    call = grant.application.call
    sign_in_with_mfa(client, make_user(Role.STAFF))
    url = reverse("staff_call_edit", kwargs={"slug": call.slug})
    assert "grantees must use a second factor" in client.get(url).content.decode().lower()

    response = client.post(url, data_of(call, grantees_need_second_factor="on"))

    assert response.status_code == 302
    call.refresh_from_db()
    assert call.grantees_need_second_factor is True
    entry = TransitionLog.objects.get(action="grants.call.grantee_second_factor_changed")
    assert entry.data == {"required": True}
    client.post(url, data_of(call))
    call.refresh_from_db()
    assert call.grantees_need_second_factor is False
    assert (
        TransitionLog.objects.filter(action="grants.call.grantee_second_factor_changed").count()
        == 2
    )
