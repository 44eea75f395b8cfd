"""The second factor in the browser: a new juror sets up an authenticator app and reaches
the jury page in the same session; later they move the app to a new phone (the last second
factor cannot be deactivated, only replaced). axe-core on every page, at 1280 and 390 px."""

import re

import pytest
from allauth.mfa.models import Authenticator
from playwright.sync_api import expect

from accounts.roles import Role
from tests.e2e.conftest import axe_check, log_in_browser
from tests.e2e.test_staff_login import sign_in
from tests.factories import PASSWORD, current_totp_code, make_user

pytestmark = pytest.mark.e2e


def check_both_widths(page, label):
    axe_check(page, label=f"{label} (1280 px)")
    page.set_viewport_size({"width": 390, "height": 844})
    axe_check(page, label=f"{label} (390 px)")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_new_juror_sets_up_totp_and_works_on_then_replaces_it(page, live_server):
    juror = make_user(Role.JUROR, mfa=False)

    sign_in(page, live_server, juror.email)
    expect(page).to_have_url(re.compile(r"/account/security-required/"))
    page.get_by_role("link", name="Set up an authenticator app").click()

    # allauth asks for the password again before it adds an authenticator.
    expect(page).to_have_url(re.compile(r"/accounts/reauthenticate/"))
    page.get_by_label(re.compile(r"Password")).fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()

    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/"))
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label(re.compile(r"Authenticator code")).fill(current_totp_code(secret))
    page.get_by_role("button", name="Activate").click()

    # Straight on to the recovery codes: the session is confirmed with the new app.
    expect(page).to_have_url(re.compile(r"/accounts/2fa/recovery-codes/"))
    expect(page.get_by_role("status")).to_contain_text(
        "Your second factor is set up and this session is confirmed with it."
    )
    check_both_widths(page, "recovery codes after enrolment")
    page.goto(live_server.url + "/jury/")
    expect(page).to_have_url(re.compile(r"/jury/$"))

    # The only second factor cannot be deactivated; the page offers to replace it. (The
    # password was confirmed minutes ago: allauth asks again only after five minutes.)
    page.goto(live_server.url + "/accounts/2fa/totp/deactivate/")
    expect(page.get_by_text("Your role requires a second factor")).to_be_visible()
    check_both_widths(page, "deactivation refused")
    page.get_by_role("link", name="Replace the authenticator app").click()

    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/replace/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Replace your authenticator app")
    check_both_widths(page, "replace the authenticator app")
    new_secret = page.locator("#authenticator_secret").input_value()
    assert new_secret != secret
    page.get_by_label(re.compile(r"Authenticator code")).fill(current_totp_code(new_secret))
    page.get_by_role("button", name="Replace the authenticator app").click()

    expect(page).to_have_url(re.compile(r"/accounts/2fa/$"))
    expect(page.get_by_role("status")).to_contain_text("Your new authenticator app is active")
    assert Authenticator.objects.filter(user=juror, type=Authenticator.Type.TOTP).count() == 1
    page.goto(live_server.url + "/jury/")
    expect(page).to_have_url(re.compile(r"/jury/$"))


def test_a_session_without_its_second_factor_signs_in_again(page, live_server):
    staff = make_user(Role.STAFF)  # with an authenticator app
    log_in_browser(page, live_server, staff)  # a session without the second factor
    page.goto(live_server.url + "/staff/")

    expect(page).to_have_url(re.compile(r"/account/security-required/"))
    check_both_widths(page, "sign in again")
    page.get_by_role("button", name="Sign in again").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=%2Fstaff%2F"))
    page.get_by_label(re.compile(r"^E-mail address")).fill(staff.email)
    page.get_by_label(re.compile(r"^Password \*?$")).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label(re.compile(r"^(Code|Authenticator code)")).fill(current_totp_code())
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(re.compile(r"/staff/$"))
