"""Keyboard use: the skip link comes first and moves focus to the main content."""

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from tests.e2e.conftest import axe_check, log_in_browser
from tests.factories import ApplicationFactory, CallFactory, make_user

pytestmark = pytest.mark.e2e


def test_skip_link_is_first_and_moves_focus_to_main(page, live_server):
    applicant = make_user(Role.APPLICANT)
    application = ApplicationFactory(call=CallFactory(), owner=applicant)
    log_in_browser(page, live_server, applicant)

    page.goto(f"{live_server.url}/applications/{application.pk}/edit/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your application")
    axe_check(page, label="edit form")

    skip_link = page.get_by_role("link", name="Skip to main content")
    # Hidden off-screen until it has focus (the style sheet is loaded).
    assert skip_link.bounding_box()["x"] < 0

    page.keyboard.press("Tab")
    expect(skip_link).to_be_focused()
    box = skip_link.bounding_box()
    assert box["x"] >= 0 and box["y"] >= 0, "the focused skip link must be visible"

    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/applications/{application.pk}/edit/#main")
    expect(page.get_by_role("main")).to_be_focused()

    # The next Tab continues inside the main content, not in the header.
    page.keyboard.press("Tab")
    assert page.evaluate(
        "document.querySelector('main').contains(document.activeElement)"
        " && document.activeElement !== document.querySelector('main')"
    )
