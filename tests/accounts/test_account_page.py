"""The account page: name and language (which the pages and e-mails follow), password,
second factor and e-mail address from one place; behind the second-factor gate for MFA
roles, open to applicants."""

from html.parser import HTMLParser

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core import mail
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from tests.accounts.helpers import INBOX_COUNT, make_role_user, sign_in
from tests.factories import PASSWORD, ApplicationFactory, CallFactory, make_user

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-brand-new-passphrase-93"


@pytest.fixture
def applicant(client):
    user = make_user(Role.APPLICANT, full_name="Lena Schmidt", language="en")
    client.force_login(user)
    return user


class Headings(HTMLParser):
    def __init__(self, html):
        super().__init__()
        self.current, self.found = None, []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag in ("h1", "h2"):
            self.current = [tag, ""]

    def handle_data(self, data):
        if self.current:
            self.current[1] += data

    def handle_endtag(self, tag):
        if self.current and tag == self.current[0]:
            self.found.append((tag, " ".join(self.current[1].split())))
            self.current = None


def test_the_page_shows_every_part_of_the_account(client, applicant):
    response = client.get(reverse("account"))

    html = response.content.decode()
    assert response.status_code == 200
    assert Headings(html).found == [
        ("h1", "Your account"),
        ("h2", "Name and language"),
        ("h2", "E-mail address"),
        ("h2", "Password"),
        ("h2", "Second factor"),
        ("h2", "Your data"),
    ]
    assert 'value="Lena Schmidt"' in html
    assert '<option value="en" selected>English</option>' in html
    assert applicant.email in html
    assert 'action="/accounts/password/change/"' in html
    assert 'href="/accounts/email/"' in html
    assert 'href="/accounts/2fa/totp/activate/"' in html
    assert "Optional for applicants" in html
    assert "Your role: Applicant." in html


def test_name_and_language_are_saved_and_the_pages_follow(client, applicant):
    response = client.post(
        reverse("account"), {"full_name": "  Lena   Schmidt-Weber ", "language": "de"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/account/"
    assert response.cookies["ctf_language"].value == "de"
    applicant.refresh_from_db()
    assert applicant.full_name == "Lena Schmidt-Weber"
    assert applicant.language == "de"
    page = client.get("/account/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="de"' in page
    assert "Ihr Name und Ihre Sprache wurden gespeichert." in page


def test_the_language_also_sets_the_language_of_the_e_mails(
    client, applicant, django_capture_on_commit_callbacks
):
    client.post(reverse("account"), {"full_name": "Lena Schmidt", "language": "de"})
    application = ApplicationFactory(owner=applicant, call=CallFactory())
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("application_submit", args=[application.pk]),
            {"version": str(application.version)},
        )

    assert [message.subject for message in mail.outbox] == [
        f"[Civic Tech Fund] Antrag {application.reference} eingegangen"
    ]
    assert mail.outbox[0].body.startswith("Guten Tag Lena Schmidt,\n")


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"full_name": "   ", "language": "en"}, "full_name", "This field is required."),
        ({"full_name": "x" * 201, "language": "en"}, "full_name", "at most 200 characters"),
        ({"full_name": "Lena", "language": "xx"}, "language", "Select a valid choice."),
        ({"language": "en"}, "full_name", "This field is required."),
    ],
)
def test_bad_input_is_refused_with_the_reason_and_nothing_changes(
    client, applicant, data, field, message
):
    response = client.post(reverse("account"), data)

    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors[field])
    assert message in errors
    applicant.refresh_from_db()
    assert (applicant.full_name, applicant.language) == ("Lena Schmidt", "en")


def test_the_password_is_changed_from_the_account_page(client, applicant):
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert response["Location"] == "/account/#password"
    applicant.refresh_from_db()
    assert applicant.check_password(NEW_PASSWORD)


def test_a_wrong_current_password_changes_nothing(client, applicant):
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "not-the-password", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert "Please type your current password." in response.content.decode()
    applicant.refresh_from_db()
    assert applicant.check_password(PASSWORD)


def test_a_role_with_a_second_factor_sees_it_after_using_it(client):
    staff = make_role_user("staff", full_name="Jonas Becker")
    sign_in(client, staff)

    html = client.get(reverse("account")).content.decode()

    assert "Authenticator app, set up on" in html
    assert 'href="/accounts/2fa/"' in html
    assert "Your role: Programme staff." in html


def test_a_role_that_needs_a_second_factor_waits_at_the_gate(client):
    juror = make_role_user("juror")
    client.force_login(juror)  # the password alone

    response = client.get(reverse("account"))

    assert response.status_code == 302
    assert response["Location"] == "/account/security-required/?next=%2Faccount%2F"
    assert client.post(reverse("account"), {"full_name": "X", "language": "de"}).status_code == 302
    juror.refresh_from_db()
    assert juror.full_name != "X"


@pytest.mark.parametrize("addresses", [1, 3])
def test_the_page_costs_the_same_queries_with_more_addresses(
    client, django_assert_num_queries, addresses
):
    user = make_user(Role.APPLICANT, mfa=True)
    for number in range(addresses - 1):
        EmailAddress.objects.create(user=user, email=f"other{number}@example.org")
    client.force_login(user)

    # session, user, groups (role names), e-mail addresses, authenticators, an open
    # request to erase the person's data, the inbox count
    with django_assert_num_queries(6 + INBOX_COUNT):
        response = client.get(reverse("account"))

    assert response.content.decode().count("@example.org</li>") == 0  # badges follow
    assert len(response.context["email_addresses"]) == addresses
    assert Authenticator.objects.filter(user=user).count() == 1


def test_the_admin_sees_a_link_to_the_admin_site(client):
    admin = make_role_user("admin")
    sign_in(client, admin)
    applicant = make_user(Role.APPLICANT)

    assert 'href="/admin/"' in client.get("/").content.decode()
    client.force_login(applicant)
    assert 'href="/admin/"' not in client.get("/").content.decode()
    assert User.objects.filter(is_staff=True).count() == 1
