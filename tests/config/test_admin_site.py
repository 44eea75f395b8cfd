"""The admin site: the fund's name, one accounts section, a call's closing day as the staff
pages show it, and a link to it for admins only."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from accounts.roles import Role
from tests.accounts.helpers import make_role_user, sign_in
from tests.factories import CallFactory, make_user

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def admin_client(client):
    sign_in(client, make_role_user("admin"))
    return client


def sections(html):
    """Caption of each app table of the admin index → the model names in it."""
    found = {}
    for caption, body in re.findall(
        r"<caption>\s*<a[^>]*>([^<]+)</a>\s*</caption>(.*?)</table>", html, re.S
    ):
        found[caption.strip()] = re.findall(r'<th scope="row"[^>]*>\s*<a[^>]*>([^<]+)</a>', body)
    return found


def test_the_admin_site_carries_the_fund_name(admin_client):
    html = admin_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "<title>Configuration | Civic Tech Fund – administration</title>" in html
    assert "Civic Tech Fund – administration</a>" in html


def test_one_accounts_section_holds_people_addresses_roles_and_second_factors(admin_client):
    found = sections(admin_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode())

    assert found["Accounts"] == [
        "Authenticators",
        "Consents",
        "E-mail addresses",
        "Groups",
        "Users",
    ]
    assert [
        name for name in found if name in ("Accounts", "Authentication and Authorization", "MFA")
    ] == ["Accounts"]


def test_a_call_shows_its_closing_day_as_the_staff_pages_do(admin_client):
    call = CallFactory(
        opens_at=dt.datetime(2027, 5, 1, 10, 0, tzinfo=BERLIN),
        closes_at=dt.datetime(2027, 8, 1, 0, 0, tzinfo=BERLIN),
    )

    listing = admin_client.get(
        reverse("admin:grants_call_changelist"), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    change = admin_client.get(
        reverse("admin:grants_call_change", args=[call.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    staff = admin_client.get(reverse("staff_dashboard"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "31 July 2027 (until 23:59:59 Berlin time)" in listing
    assert "31 July 2027 (until 23:59:59 Berlin time)" in change
    assert "1 May 2027, 10:00" in listing
    assert "midnight" not in listing + change
    assert "31 July 2027" in staff


def test_german_admin_dates_use_the_german_format(admin_client):
    CallFactory(closes_at=dt.datetime(2027, 8, 1, 0, 0, tzinfo=BERLIN))

    listing = admin_client.get(
        reverse("admin:grants_call_changelist"), HTTP_ACCEPT_LANGUAGE="de"
    ).content.decode()

    assert "31. Juli 2027 (bis 23:59:59 Uhr Berliner Zeit)" in listing


def test_only_people_who_may_use_the_admin_site_get_the_link(client):
    sign_in(client, make_role_user("staff"))
    assert 'href="/admin/"' not in client.get("/staff/").content.decode()
    sign_in(client, make_role_user("admin"))
    assert '<a href="/admin/">Admin site</a>' in client.get("/staff/").content.decode()
    client.force_login(make_user(Role.APPLICANT))
    assert 'href="/admin/"' not in client.get("/applicant/").content.decode()
