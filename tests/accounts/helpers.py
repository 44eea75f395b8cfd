"""Helpers shared by the tests in tests/accounts."""

from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows import login as allauth_login
from django.test.client import RequestFactory
from django.urls import reverse

from accounts.roles import Role
from tests.factories import PASSWORD, make_user, mark_session_mfa

# The navigation shows how many items wait in the person's inbox (grants.inbox.summary):
# one query on every page seen by someone with an inbox (applicants, jurors, staff).
INBOX_COUNT = 1


def make_role_user(role: str, *, mfa=None, **kwargs):
    """A user of one role by name; "admin" is a superuser without groups."""
    if role == "admin":
        return make_user(mfa=mfa, is_superuser=True, is_staff=True, **kwargs)
    return make_user(Role(role), mfa=mfa, **kwargs)


def sign_in_with_mfa(client, user):
    """tests.factories.mark_session_mfa, plus the session key that allauth 65.x really reads
    ("account_authentication_methods_user"; the factory writes "…_user_id", which allauth
    ignores, so its records would not count). Harmless once the factory is fixed."""
    mark_session_mfa(client, user)
    session = client.session
    session[allauth_login._AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session.save()
    return client


def sign_in(client, user):
    """Log a user in the way their role needs: MFA roles with a second factor."""
    if user.needs_mfa:
        return sign_in_with_mfa(client, user)
    client.force_login(user)
    return client


def reauthenticate(client, password=PASSWORD):
    """Confirm the password again on allauth's re-authentication page, as someone does
    before changing their bank details or e-mail address."""
    response = client.post(reverse("account_reauthenticate"), {"password": password})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


def session_methods(client, user) -> list[str]:
    """The authentication methods allauth has recorded for ``user`` in the client's session."""
    request = RequestFactory().get("/")
    request.session = client.session
    return [record["method"] for record in get_authentication_records(request, user)]


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")
