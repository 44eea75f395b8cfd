"""accounts.access.role_required (and reauthentication_before_changes) on its own, without the
site-wide middleware in front: a role page asks an admin for the second factor even when the
role itself needs none."""

from urllib.parse import urlencode

import pytest
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import Http404, HttpResponse
from django.urls import reverse

from accounts.access import reauthentication_before_changes, role_required
from accounts.roles import Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@role_required(Role.APPLICANT)
def applicant_page(request):
    """An applicant page."""
    return HttpResponse("page")


def get(rf, user):
    request = rf.get("/my/applications/")
    request.user = user
    SessionMiddleware(lambda r: None).process_request(request)
    request.session.save()
    request._messages = FallbackStorage(request)
    return applicant_page(request)


def test_an_applicant_needs_no_second_factor(rf):
    assert get(rf, make_user(Role.APPLICANT)).content == b"page"


def test_an_admin_with_the_applicant_role_must_confirm_the_second_factor(rf):
    """A session without the second factor goes to the gate's page, which asks them to
    sign in again with it (re-authentication waits for the second factor itself)."""
    admin = make_user(Role.APPLICANT, is_superuser=True, mfa=True)
    response = get(rf, admin)
    assert (response.status_code, response.url) == (
        302,
        reverse("mfa_required") + "?" + urlencode({"next": "/my/applications/"}),
    )


def test_other_roles_get_404(rf):
    with pytest.raises(Http404):
        get(rf, make_user(Role.JUROR))


def test_the_wrapped_view_keeps_its_name_and_roles():
    assert (applicant_page.__name__, applicant_page.__doc__) == (
        "applicant_page",
        "An applicant page.",
    )
    assert applicant_page.required_roles == (Role.APPLICANT,)


def test_reauthentication_before_changes_keeps_the_view_s_name_and_roles():
    guarded = reauthentication_before_changes(applicant_page)

    assert (guarded.__name__, guarded.__doc__, guarded.__wrapped__) == (
        "applicant_page",
        "An applicant page.",
        applicant_page,
    )
    assert guarded.required_roles == (Role.APPLICANT,)
