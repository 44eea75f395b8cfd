"""Languages (German fallback, browser first, switcher) and the accessible page shell.

German UI strings may not be translated yet, so these tests look at ``<html lang>`` and at
the legal pages, which are written per language (templates/pages/*.de.html / *.en.html)."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from accounts.roles import Role
from grants.states import ApplicationState
from tests.accounts.helpers import make_role_user, sign_in
from tests.factories import ApplicationFactory, CallFactory, make_user, set_state

pytestmark = pytest.mark.django_db

LEGAL_HEADINGS = {
    ("/imprint/", "de"): "<h1>Impressum</h1>",
    ("/imprint/", "en"): "<h1>Imprint</h1>",
    ("/privacy/", "de"): "<h1>Datenschutzerklärung</h1>",
    ("/privacy/", "en"): "<h1>Privacy notice</h1>",
    ("/accessibility/", "de"): "<h1>Erklärung zur Barrierefreiheit</h1>",
    ("/accessibility/", "en"): "<h1>Accessibility statement</h1>",
}


@pytest.fixture
def german_fallback(settings):
    """The project's real fallback (tests/conftest.py switches tests to English)."""
    settings.LANGUAGE_CODE = "de"


def html_lang(response) -> str:
    return Page(response).html_lang


class Page(HTMLParser):
    """The parts of a page the accessibility checks look at."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}

    def __init__(self, response):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.elements: list[tuple[str, dict, tuple[str, ...]]] = []
        self.html_lang = None
        self.feed(response.content.decode())

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.html_lang = attrs.get("lang")
        self.elements.append((tag, attrs, tuple(self.stack)))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in self.stack:
            while self.stack.pop() != tag:
                pass

    def find(self, tag, inside=None):
        return [
            attrs
            for name, attrs, ancestors in self.elements
            if name == tag and (inside is None or inside in ancestors)
        ]

    def first_in_body(self, tag):
        return next(attrs for name, attrs, ancestors in self.elements if name == tag)


# German fallback, browser first ----------------------------------------------------------


@pytest.mark.parametrize("accept_language", [None, "", "fr-FR,fr;q=0.9", "zh-CN", "*"])
def test_german_is_the_fallback(client, german_fallback, accept_language):
    headers = {} if accept_language is None else {"HTTP_ACCEPT_LANGUAGE": accept_language}

    home = client.get("/", **headers)
    imprint = client.get("/imprint/", **headers)

    assert html_lang(home) == "de"
    assert html_lang(imprint) == "de"
    assert LEGAL_HEADINGS["/imprint/", "de"] in imprint.content.decode()
    assert home["Content-Language"] == "de"


@pytest.mark.parametrize(
    ("accept_language", "language"),
    [
        ("en", "en"),
        ("en-GB,en;q=0.9", "en"),
        ("en-US,en;q=0.9,de;q=0.8", "en"),
        ("fr-FR,fr;q=0.9,en;q=0.5", "en"),  # the first supported language wins
        ("de", "de"),
        ("de-CH", "de"),
        ("de-AT,en;q=0.9", "de"),
    ],
)
def test_the_browser_language_decides(client, german_fallback, accept_language, language):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept_language)

    assert html_lang(response) == language
    assert response["Content-Language"] == language


@pytest.mark.parametrize(("path", "language"), list(LEGAL_HEADINGS))
def test_legal_pages_are_written_per_language(client, german_fallback, path, language):
    other = "en" if language == "de" else "de"

    response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)

    html = response.content.decode()
    assert response.status_code == 200
    assert html_lang(response) == language
    assert LEGAL_HEADINGS[path, language] in html
    assert LEGAL_HEADINGS[path, other] not in html


# The language switcher ------------------------------------------------------------------


def test_language_switcher_sets_the_cookie_and_the_page_follows(client, german_fallback):
    response = client.post(
        "/i18n/setlang/",
        {"language": "en", "next": "/imprint/"},
        HTTP_ACCEPT_LANGUAGE="de",
    )

    assert response.status_code == 302
    assert response["Location"] == "/imprint/"
    cookie = response.cookies["ctf_language"]
    assert cookie.value == "en"
    assert cookie["samesite"] == "Lax"
    assert cookie["path"] == "/"

    page = client.get("/imprint/", HTTP_ACCEPT_LANGUAGE="de")

    assert html_lang(page) == "en"
    assert LEGAL_HEADINGS["/imprint/", "en"] in page.content.decode()
    assert html_lang(client.get("/", HTTP_ACCEPT_LANGUAGE="de")) == "en"


def test_language_switcher_back_to_german(client, german_fallback):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    response = client.post(
        "/i18n/setlang/", {"language": "de", "next": "/privacy/"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    page = client.get("/privacy/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.cookies["ctf_language"].value == "de"
    assert html_lang(page) == "de"
    assert LEGAL_HEADINGS["/privacy/", "de"] in page.content.decode()


def test_language_switcher_ignores_an_unsupported_language(client, german_fallback):
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/"})

    # Django stores any language it has a catalogue for, but the site serves only its own.
    assert response.status_code == 302
    assert html_lang(client.get("/")) == "de"
    assert html_lang(client.get("/", HTTP_ACCEPT_LANGUAGE="en")) == "en"


def test_language_switcher_does_not_redirect_off_site(client, german_fallback):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "https://evil.example/"})

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert response.cookies["ctf_language"].value == "en"


def test_language_switcher_works_for_a_signed_in_user(client, german_fallback):
    sign_in(client, make_role_user("juror"))

    client.post("/i18n/setlang/", {"language": "en", "next": "/jury/"})
    page = client.get("/jury/", HTTP_ACCEPT_LANGUAGE="de")

    assert page.status_code == 200
    assert html_lang(page) == "en"


# The page shell on every page -----------------------------------------------------------


@pytest.fixture
def pages(db):
    """(role or None, url) for every kind of page of the foundation and the grants app."""
    owner = make_user(Role.APPLICANT)
    call = CallFactory()
    draft = ApplicationFactory(call=call, owner=owner)
    submitted = set_state(ApplicationFactory(call=call, owner=owner), ApplicationState.SUBMITTED)
    return {
        "owner": owner,
        "urls": {
            "home": (None, "/"),
            "imprint": (None, "/imprint/"),
            "privacy": (None, "/privacy/"),
            "accessibility": (None, "/accessibility/"),
            "call_detail": (None, reverse("call_detail", args=[call.slug])),
            "login": (None, "/accounts/login/"),
            "signup": (None, "/accounts/signup/"),
            "password_reset": (None, "/accounts/password/reset/"),
            "applicant_dashboard": ("owner", "/applicant/"),
            "application_detail": ("owner", reverse("application_detail", args=[submitted.pk])),
            "application_edit": ("owner", reverse("application_edit", args=[draft.pk])),
            "application_preview": ("owner", reverse("application_preview", args=[draft.pk])),
            "application_withdraw": (
                "owner",
                reverse("application_withdraw", args=[submitted.pk]),
            ),
            "account_email": ("owner", "/accounts/email/"),
            "mfa_required": ("owner", "/account/security-required/"),
            "no_role": ("nobody", "/dashboard/"),
            "jury_dashboard": ("juror", "/jury/"),
            "ministry_dashboard": ("ministry", "/ministry/"),
            "mfa_index": ("juror", "/accounts/2fa/"),
            "staff_dashboard": ("staff", "/staff/"),
            "staff_application_list": (
                "staff",
                reverse("staff_application_list", args=[call.slug]),
            ),
            "staff_application_detail": (
                "staff",
                reverse("staff_application_detail", args=[submitted.pk]),
            ),
        },
    }


PAGE_NAMES = [
    "home",
    "imprint",
    "privacy",
    "accessibility",
    "call_detail",
    "login",
    "signup",
    "password_reset",
    "applicant_dashboard",
    "application_detail",
    "application_edit",
    "application_preview",
    "application_withdraw",
    "account_email",
    "mfa_required",
    "no_role",
    "jury_dashboard",
    "ministry_dashboard",
    "mfa_index",
    "staff_dashboard",
    "staff_application_list",
    "staff_application_detail",
]


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("name", PAGE_NAMES)
def test_every_page_has_the_accessible_shell(client, german_fallback, pages, name, language):
    role, url = pages["urls"][name]
    if role == "owner":
        sign_in(client, pages["owner"])
    elif role == "nobody":
        sign_in(client, make_user())
    elif role is not None:
        sign_in(client, make_role_user(role))

    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 200
    page = Page(response)
    assert page.html_lang == language
    # The skip link is the first link of the page and points at the main content.
    assert page.first_in_body("a")["href"] == "#main"
    assert page.find("a", inside="body")[0]["class"] == "skip-link"
    # Landmarks: one main with id="main", a header with the main navigation, a footer.
    mains = page.find("main")
    assert len(mains) == 1
    assert mains[0]["id"] == "main"
    assert len(page.find("header")) == 1
    assert len(page.find("footer")) == 1
    header_navs = page.find("nav", inside="header")
    assert len(header_navs) == 1
    assert header_navs[0]["aria-label"]
    footer_navs = page.find("nav", inside="footer")
    assert len(footer_navs) == 1
    assert footer_navs[0]["aria-label"]
    assert footer_navs[0]["aria-label"] != header_navs[0]["aria-label"]
    # The footer links the legal pages.
    footer_links = [attrs["href"] for attrs in page.find("a", inside="footer")]
    assert {"/imprint/", "/privacy/", "/accessibility/"} <= set(footer_links)
    # The language switcher, returning to this page.
    switchers = [f for f in page.find("form") if f.get("action") == "/i18n/setlang/"]
    assert len(switchers) == 1
    assert switchers[0]["method"] == "post"
    options = {attrs["value"]: attrs.get("lang") for attrs in page.find("option", inside="form")}
    assert {"de": "de", "en": "en"}.items() <= options.items()
    nexts = [
        attrs["value"] for attrs in page.find("input", inside="form") if attrs.get("name") == "next"
    ]
    assert url in nexts
    select = next(s for s in page.find("select") if s.get("name") == "language")
    labels = [attrs for attrs in page.find("label") if attrs.get("for") == select["id"]]
    assert len(labels) == 1


def test_page_title_names_the_fund(client):
    html = client.get("/imprint/").content.decode()

    assert "<title>Imprint – Civic Tech Fund</title>" in html
