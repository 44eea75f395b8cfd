"""Pages of the foundation make a fixed, known number of SQL queries.

A signed-in request costs three queries before the view runs: the session, the user and the
user's groups (read once per request for the navigation and the role checks). Users whose
role needs a second factor cost one more: the second-factor gate reads their authenticators
(once per request), so that a removed authenticator stops the session at the next request."""

import pytest

from accounts.roles import Role
from tests.accounts.helpers import INBOX_COUNT, make_role_user, sign_in
from tests.factories import CallFactory, make_user

pytestmark = pytest.mark.django_db

SESSION_USER_GROUPS = 3
SECOND_FACTOR_GATE = 1


@pytest.mark.parametrize("open_calls", [0, 1, 3])
def test_home_page_anonymous(client, django_assert_num_queries, open_calls):
    CallFactory.create_batch(open_calls)

    with django_assert_num_queries(1):  # the open calls, with their fund
        response = client.get("/")

    assert response.status_code == 200
    assert response.content.decode().count('class="card"') == open_calls


@pytest.mark.parametrize("open_calls", [1, 3])
def test_home_page_signed_in(client, django_assert_num_queries, open_calls):
    CallFactory.create_batch(open_calls)
    sign_in(client, make_user(Role.APPLICANT))

    with django_assert_num_queries(SESSION_USER_GROUPS + 1 + INBOX_COUNT):
        response = client.get("/")

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("role", "target"),
    [
        ("applicant", "/applicant/"),
        ("juror", "/inbox/"),
        ("staff", "/inbox/"),
        ("ministry", "/ministry/"),
        ("admin", "/inbox/"),
    ],
)
def test_dashboard_redirect(client, django_assert_num_queries, role, target):
    user = make_role_user(role)
    sign_in(client, user)

    with django_assert_num_queries(SESSION_USER_GROUPS + SECOND_FACTOR_GATE * user.needs_mfa):
        response = client.get("/dashboard/")

    assert response.status_code == 302
    assert response["Location"] == target


@pytest.mark.parametrize("page", ["/imprint/", "/privacy/", "/accessibility/"])
def test_legal_pages_anonymous_make_no_query(client, django_assert_num_queries, page):
    with django_assert_num_queries(0):
        response = client.get(page)

    assert response.status_code == 200


@pytest.mark.parametrize("page", ["/imprint/", "/privacy/", "/accessibility/"])
def test_legal_pages_signed_in(client, django_assert_num_queries, page):
    sign_in(client, make_user(Role.APPLICANT))

    with django_assert_num_queries(SESSION_USER_GROUPS + INBOX_COUNT):
        response = client.get(page)

    assert response.status_code == 200


# The role dashboards have their own query-count tests (tests/review/test_query_counts.py,
# tests/reporting/test_query_counts.py).
@pytest.mark.parametrize(("role", "page"), [("juror", "/jury/"), ("ministry", "/ministry/")])
def test_role_page_without_second_factor_session(client, django_assert_num_queries, role, page):
    client.force_login(make_role_user(role))

    # … plus one query: does the user have an authenticator?
    with django_assert_num_queries(SESSION_USER_GROUPS + 1):
        response = client.get(page)

    assert response.status_code == 302
