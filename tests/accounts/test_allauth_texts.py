"""allauth's pages and e-mails speak with the fund's voice: "Sie" in German and sentence case
in English (locale/allauth overrides allauth's catalogue), in the project's layout, with
each field's error next to that field and one primary button per form."""

import re
from html.parser import HTMLParser
from pathlib import Path

import allauth
import pytest
from django.conf import settings
from django.core import mail

from accounts.roles import Role
from tests.accounts.helpers import sign_in
from tests.accounts.po import read_po
from tests.factories import PASSWORD, current_totp_code, make_user

pytestmark = pytest.mark.django_db

ALLAUTH_PO = Path(allauth.__file__).parent / "locale" / "de" / "LC_MESSAGES" / "django.po"
OURS = Path(settings.BASE_DIR) / "locale" / "allauth"
# The parts of allauth this project uses (no social accounts, identity provider, phones).
USED = ("account/", "mfa/", "templates/account/", "templates/mfa/", "core/")
INFORMAL = re.compile(
    r"\b(du|dich|dir|dein|deine|deinen|deinem|deiner|deines|hast|bist|kannst|musst|"
    r"möchtest|willst|solltest|gib|klicke|klick|bestätige|versuche|wähle|kontaktiere|lass)\b",
    re.IGNORECASE,
)
TITLE_CASE = re.compile(r"^(?:[A-Z][\w'-]*[ ]){1,4}[A-Z][\w'-]*\??$")
NOT_TITLES = {"TOTP Authenticator", "MFA", "WebAuthn", "Email", "Sign In"}


def used(entry) -> bool:
    return any(reference.startswith(USED) for reference in entry.references)


def allauth_entries():
    return read_po(ALLAUTH_PO)


def overrides(language):
    return {entry.msgid: entry for entry in read_po(OURS / language / "LC_MESSAGES" / "django.po")}


@pytest.mark.parametrize("language", ["de", "en"])
def test_every_override_still_matches_a_text_of_allauth(language):
    known = {entry.msgid for entry in allauth_entries()}

    assert set(overrides(language)) <= known


def test_every_informal_german_text_of_allauth_is_overridden_with_sie():
    ours = overrides("de")
    informal = [
        entry.msgid
        for entry in allauth_entries()
        if used(entry) and any(INFORMAL.search(text) for text in entry.translations)
    ]

    assert informal  # allauth's catalogue is what this test reads
    assert [msgid for msgid in informal if msgid not in ours] == []
    assert [msgid for msgid, entry in ours.items() if INFORMAL.search(entry.translations[0])] == []


def test_every_title_case_english_text_of_allauth_has_a_sentence_case_override():
    ours = overrides("en")
    titles = {
        entry.msgid
        for entry in allauth_entries()
        if used(entry) and TITLE_CASE.match(entry.msgid) and entry.msgid not in NOT_TITLES
    }

    assert titles
    assert sorted(titles - set(ours)) == []
    assert [m for m, e in ours.items() if TITLE_CASE.match(e.translations[0])] == []


# "e-mail" in English, "E-Mail" in German, on allauth's pages and in its e-mails as on ours;
# placeholders such as %(email)s are names, not words.
ENGLISH_EMAIL = re.compile(r"(?<![\w(_{%-])emails?(?![\w_)}-])", re.IGNORECASE)
GERMAN_EMAIL = re.compile(r"(?<![\w(_{%-])(?:Email|EMail|eMail|email)(?![\w_)}])|E-Mailadresse")


def test_every_english_text_of_allauth_says_e_mail():
    ours = overrides("en")
    texts = [entry for entry in allauth_entries() if used(entry) and not entry.msgctxt]
    saying_email = [entry.msgid for entry in texts if ENGLISH_EMAIL.search(entry.msgid)]

    assert "Confirmation email sent to %(email)s." in saying_email
    assert [msgid for msgid in saying_email if msgid not in ours] == []
    assert [m for m, entry in ours.items() if ENGLISH_EMAIL.search(entry.translations[0])] == []


def test_every_german_text_of_allauth_says_e_mail():
    ours = overrides("de")
    german = {
        entry.msgid: ours.get(entry.msgid, entry).translations[0]
        for entry in allauth_entries()
        if used(entry) and entry.translations and not entry.msgctxt
    }

    assert german["Primary email address set."] == "Primäre E-Mail-Adresse festgelegt."
    assert {msgid: text for msgid, text in german.items() if GERMAN_EMAIL.search(text)} == {}


class Texts(HTMLParser):
    """The visible text of <main> and the page title."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.in_main = self.in_title = self.skip = 0
        self.main, self.title = [], []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.in_main += tag == "main"
        self.in_title += tag == "title"
        self.skip += tag in ("script", "style")

    def handle_endtag(self, tag):
        self.in_main -= tag == "main"
        self.in_title -= tag == "title"
        self.skip -= tag in ("script", "style")

    def handle_data(self, data):
        if self.in_title:
            self.title.append(data)
        elif self.in_main and not self.skip:
            self.main.append(data)

    @property
    def text(self):
        return " ".join(" ".join(self.main).split())


ANONYMOUS_PAGES = [
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/accounts/password/reset/done/",
    "/accounts/confirm-email/",
    "/accounts/confirm-email/not-a-key/",
]
APPLICANT_PAGES = [
    "/accounts/email/",
    "/accounts/password/change/",
    "/accounts/2fa/",
    "/accounts/logout/",
    "/accounts/reauthenticate/",
    "/account/",
]


@pytest.mark.parametrize("path", ANONYMOUS_PAGES + APPLICANT_PAGES)
def test_german_pages_say_sie(client, path):
    if path in APPLICANT_PAGES:
        client.force_login(make_user(Role.APPLICANT, language="de"))

    response = client.get(path, HTTP_ACCEPT_LANGUAGE="de")

    assert response.status_code == 200, response.get("Location")
    text = Texts(response.content.decode()).text
    assert text
    assert INFORMAL.findall(text) == [], text


@pytest.mark.parametrize("path", ANONYMOUS_PAGES + APPLICANT_PAGES)
def test_english_headings_and_buttons_are_in_sentence_case(client, path):
    if path in APPLICANT_PAGES:
        client.force_login(make_user(Role.APPLICANT))

    response = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()

    assert response.status_code == 200
    labels = re.findall(r"<(?:h1|h2|button|title)[^>]*>\s*([^<]+?)\s*<", html)
    assert labels
    assert [label for label in labels if TITLE_CASE.match(label)] == [], labels


def test_the_second_factor_step_in_german_and_its_buttons(client):
    user = make_user(Role.STAFF, language="de")
    client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})

    html = client.get("/accounts/2fa/authenticate/", HTTP_ACCEPT_LANGUAGE="de").content.decode()

    assert INFORMAL.findall(Texts(html).text) == []
    # One primary button; "Cancel" is secondary; no security key offered to someone without.
    assert '<button type="submit">Anmelden</button>' in html
    assert (
        '<button type="submit" form="logout-from-stage" class="button-secondary">Abbrechen</button>'
        in html
    )
    assert "Sicherheitsschlüssel" not in html
    assert 'id="mfa_webauthn_authenticate"' not in html


def test_the_step_asks_whether_the_person_has_a_security_key():
    from allauth.mfa.models import Authenticator

    from accounts.templatetags.accounts_tags import has_security_key

    with_key, without_key = make_user(Role.STAFF), make_user(Role.STAFF)
    Authenticator.objects.create(
        user=with_key, type=Authenticator.Type.WEBAUTHN, data={"name": "Key"}
    )

    assert has_security_key(with_key) is True
    assert has_security_key(without_key) is False


def test_the_code_step_still_signs_in(client):
    user = make_user(Role.STAFF)
    client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})

    response = client.post("/accounts/2fa/authenticate/", {"code": current_totp_code()})

    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"


class FieldErrors(HTMLParser):
    """Which field each error list belongs to: the input in the same .field block."""

    def __init__(self, html):
        super().__init__()
        self.depth, self.errors, self.current, self.in_error = 0, {}, None, False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "div" and "field" in (attrs.get("class") or "").split():
            self.current = {"errors": [], "input": None}
            self.depth = 1
        elif tag == "div" and self.current:
            self.depth += 1
        if self.current is not None:
            if tag == "ul" and "errorlist" in (attrs.get("class") or ""):
                self.in_error = True
            if tag == "input" and attrs.get("name"):
                self.current["input"] = attrs["name"]

    def handle_endtag(self, tag):
        if tag == "ul":
            self.in_error = False
        if tag == "div" and self.current is not None:
            self.depth -= 1
            if self.depth == 0:
                if self.current["errors"]:
                    self.errors[self.current["input"]] = self.current["errors"]
                self.current = None

    def handle_data(self, data):
        if self.in_error and data.strip():
            self.current["errors"].append(data.strip())


def test_a_sign_up_password_error_is_shown_at_the_password(client):
    response = client.post(
        "/accounts/signup/",
        {
            "full_name": "Ada Lovelace",
            "email": "ada@example.org",
            "password1": "12345",
            "password2": "12345",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )

    errors = FieldErrors(response.content.decode()).errors
    assert set(errors) == {"password1"}
    assert (
        "This password is too short. It must contain at least 10 characters." in errors["password1"]
    )


def test_sign_up_needs_a_name(client):
    response = client.post(
        "/accounts/signup/",
        {
            "full_name": "  ",
            "email": "ada@example.org",
            "password1": "a-long-and-unusual-passphrase-42",
            "password2": "a-long-and-unusual-passphrase-42",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert FieldErrors(response.content.decode()).errors == {
        "full_name": ["This field is required."]
    }


def test_the_verification_e_mail_greets_by_name_and_names_the_fund(client):
    client.post(
        "/accounts/signup/",
        {
            "full_name": "Ada Lovelace",
            "email": "ada@example.org",
            "password1": "a-long-and-unusual-passphrase-42",
            "password2": "a-long-and-unusual-passphrase-42",
        },
        HTTP_ACCEPT_LANGUAGE="de",
    )

    (message,) = mail.outbox
    assert message.subject == "[Civic Tech Fund] Bitte bestätigen Sie Ihre E-Mail-Adresse"
    assert message.body.startswith("Guten Tag Ada Lovelace,\n")
    assert "testserver" not in message.body.split("http://testserver/accounts/confirm-email/")[0]
    assert message.body.endswith(
        "Mit freundlichen Grüßen\nIhr Team vom Civic Tech Fund\nhttp://127.0.0.1:8000"
    )
    assert INFORMAL.findall(message.body) == []


def test_a_signed_in_staff_member_reads_allauth_pages_in_german_with_sie(client):
    staff = make_user(Role.STAFF, language="de")
    sign_in(client, staff)

    html = client.get("/accounts/2fa/", HTTP_ACCEPT_LANGUAGE="de").content.decode()

    assert INFORMAL.findall(Texts(html).text) == []
