"""Sign-in through allauth's real pages: staff with a TOTP code, a juror without a second
factor, and the language switcher; axe-core on every page."""

import re

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from grants.states import ApplicationState
from tests.e2e.conftest import axe_check
from tests.factories import (
    PASSWORD,
    ApplicationFactory,
    CallFactory,
    TopicFactory,
    current_totp_code,
    make_user,
    set_state,
)

pytestmark = pytest.mark.e2e


def sign_in(page, live_server, email, *, next_url=None):
    url = live_server.url + "/accounts/login/"
    if next_url:
        url += f"?next={next_url}"
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    axe_check(page, label="sign-in")
    # Django's form rendering puts a colon after each label.
    page.get_by_label(re.compile(r"^E-mail address")).fill(email)
    page.get_by_label(re.compile(r"^Password \*?$")).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


@pytest.fixture
def call_with_submissions():
    call = CallFactory(title_en="Civic Tech Round 2026", slug="civic-tech-2026")
    topic = TopicFactory(fund=call.fund, slug="civic-tech", name_en="Civic Tech")
    applications = [
        ApplicationFactory(call=call, topic=topic, title="Open council minutes"),
        ApplicationFactory(call=call, topic=topic, title="Accessible polling stations"),
    ]
    for application in applications:
        set_state(application, ApplicationState.SUBMITTED)
    ApplicationFactory(call=call, topic=topic, title="A private draft")
    return call, applications


def test_staff_signs_in_with_totp_and_screens_the_list(page, live_server, call_with_submissions):
    call, applications = call_with_submissions
    staff = make_user(Role.STAFF, full_name="Sam Staff")

    sign_in(page, live_server, staff.email)

    # The TOTP step.
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/$"))
    axe_check(page, label="TOTP step")
    page.get_by_label(re.compile(r"^(Code|Authenticator code)")).fill(current_totp_code())
    page.get_by_role("button", name="Sign in").click()

    # Staff land on their inbox (what waits for them); the navigation leads to the calls.
    expect(page).to_have_url(re.compile(r"/inbox/$"))
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Programme staff"
    ).click()
    expect(page).to_have_url(re.compile(r"/staff/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Programme staff")
    expect(
        page.get_by_role("navigation", name="Main navigation").get_by_role(
            "link", name="Programme staff"
        )
    ).to_have_attribute("aria-current", "page")
    axe_check(page, label="staff dashboard")

    # The call's application list: submitted applications only, drafts stay private.
    page.get_by_role("link", name="Applications in Civic Tech Round 2026").click()
    expect(page).to_have_url(re.compile(rf"/staff/calls/{call.slug}/applications/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Applications in Civic Tech Round 2026"
    )
    table = page.get_by_role("table")
    for application in applications:
        expect(table.get_by_role("link", name=application.reference)).to_be_visible()
    expect(table).not_to_contain_text("A private draft")
    axe_check(page, label="staff application list")

    # A staff application detail page.
    first = applications[0]
    table.get_by_role("link", name=first.reference).click()
    expect(page).to_have_url(re.compile(rf"/staff/applications/{first.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Open council minutes")
    axe_check(page, label="staff application detail")


def test_juror_without_second_factor_is_sent_to_set_one_up(page, live_server):
    juror = make_user(Role.JUROR, mfa=False)

    sign_in(page, live_server, juror.email)

    expect(page).to_have_url(re.compile(r"/account/security-required/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-factor authentication required")
    expect(page.get_by_role("link", name="Set up an authenticator app")).to_be_visible()
    axe_check(page, label="MFA required")

    # The language switcher in the header turns the same page German.
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_label("Language").select_option("de")
    page.get_by_role("button", name="Switch").click()
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page).to_have_url(re.compile(r"/account/security-required/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Zwei-Faktor-Authentifizierung erforderlich"
    )
    expect(page.get_by_label("Sprache")).to_have_value("de")
    axe_check(page, label="MFA required (German)")
