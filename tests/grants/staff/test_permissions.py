"""Who may open the staff pages: staff with a second factor only; everyone else gets a login
redirect (anonymous), 404 (other roles) or the MFA step (staff without a second factor)."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from accounts.roles import Role
from grants.states import ApplicationState
from tests.factories import ApplicationFactory, make_user
from tests.grants.staff.helpers import sign_in_with_mfa, submit

PAGES = (
    "staff_dashboard",
    "staff_call_create",
    "staff_call_edit",
    "staff_application_list",
    "staff_application_export",
    "staff_application_detail",
)
ACTIONS = (
    "staff_call_transition",
    "staff_bulk_transition",
    "staff_application_screen",
    "staff_request_information",
    "staff_application_comment",
)
CALL_URLS = {
    "staff_call_edit",
    "staff_call_transition",
    "staff_application_list",
    "staff_application_export",
    "staff_bulk_transition",
}
APPLICATION_URLS = {
    "staff_application_detail",
    "staff_application_screen",
    "staff_request_information",
    "staff_application_comment",
}


@pytest.fixture
def application(call):
    return submit(call)


def url_for(name, call, application):
    if name in CALL_URLS:
        return reverse(name, kwargs={"slug": call.slug})
    if name in APPLICATION_URLS:
        return reverse(name, kwargs={"pk": application.pk})
    return reverse(name)


def send(client, name, url):
    return client.post(url) if name in ACTIONS else client.get(url)


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGES + ACTIONS)
def test_anonymous_is_sent_to_login(client, call, application, name):
    url = url_for(name, call, application)
    response = send(client, name, url)
    assert response.status_code == 302
    assert response.url == reverse("account_login") + "?" + urlencode({"next": url}, safe="/")


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.APPLICANT, Role.JUROR, Role.MINISTRY])
@pytest.mark.parametrize("name", PAGES + ACTIONS)
def test_other_roles_get_404(client, call, application, role, name):
    user = application.owner if role == Role.APPLICANT else make_user(role)
    sign_in_with_mfa(client, user)
    response = send(client, name, url_for(name, call, application))
    assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGES + ACTIONS)
def test_staff_without_second_factor_in_session_must_confirm_it(
    client, staff, call, application, name
):
    client.force_login(staff)
    url = url_for(name, call, application)
    response = send(client, name, url)
    assert response.status_code == 302
    assert response.url == reverse("mfa_required") + "?" + urlencode({"next": url})


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGES)
def test_staff_with_second_factor_may_open_the_pages(staff_client, call, application, name):
    response = staff_client.get(url_for(name, call, application))
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGES)
def test_admin_may_open_the_pages(client, call, application, name):
    sign_in_with_mfa(client, make_user(is_superuser=True, is_staff=True))
    response = client.get(url_for(name, call, application))
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("name", ACTIONS)
def test_actions_accept_post_only(staff_client, call, application, name):
    response = staff_client.get(url_for(name, call, application))
    assert response.status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["staff_application_detail", "staff_application_screen", "staff_application_comment"]
)
def test_staff_do_not_see_drafts(staff_client, call, name):
    draft = ApplicationFactory(call=call)
    assert draft.state == ApplicationState.DRAFT
    url = reverse(name, kwargs={"pk": draft.pk})
    response = (
        staff_client.post(url) if name != "staff_application_detail" else staff_client.get(url)
    )
    assert response.status_code == 404


@pytest.mark.django_db
def test_unknown_call_and_application_are_404(staff_client):
    assert staff_client.get(reverse("staff_call_edit", kwargs={"slug": "nope"})).status_code == 404
    assert (
        staff_client.get(reverse("staff_application_list", kwargs={"slug": "nope"})).status_code
        == 404
    )
    assert (
        staff_client.get(reverse("staff_application_detail", kwargs={"pk": 999})).status_code == 404
    )
