"""The draft form loses nothing: a refused save shows the typed values with the errors
marked, and input that never reached the server can be restored from the browser."""

import re

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from tests.e2e.conftest import axe_check, log_in_browser
from tests.factories import ApplicationFactory, CallFactory, make_user

pytestmark = pytest.mark.e2e


@pytest.fixture
def draft(page, live_server):
    applicant = make_user(Role.APPLICANT)
    application = ApplicationFactory(call=CallFactory(), owner=applicant, milestones=False)
    log_in_browser(page, live_server, applicant)
    page.goto(f"/applications/{application.pk}/edit/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your application")
    return application


def test_refused_save_keeps_the_input_and_marks_the_field(page, draft):
    """Only a hard limit refuses a save (here: a section over its 20,000 characters)."""
    page.get_by_label("Project title").fill("A title typed before the error")
    summary = page.get_by_label("Summary", exact=True)
    summary.fill("x" * 20_001)
    page.get_by_role("button", name="Save draft").click()

    expect(page.get_by_role("status")).to_contain_text("Your draft was not saved")
    expect(page.get_by_label("Project title")).to_have_value("A title typed before the error")
    expect(summary).to_have_value("x" * 20_001)
    expect(summary).to_have_attribute("aria-invalid", "true")
    expect(summary).to_have_accessible_description(
        re.compile(r"Ensure this value has at most 20000 characters \(it has 20001\)\.")
    )
    # The page already shows what was typed: no offer to restore it.
    expect(page.get_by_role("button", name="Restore unsaved changes")).to_be_hidden()
    axe_check(page, label="edit form with errors")
    draft.refresh_from_db()
    assert draft.title != "A title typed before the error"


def test_unsaved_input_can_be_restored_after_a_reload(page, draft):
    summary = page.get_by_label("Summary", exact=True)
    summary.fill("Typed but never sent")
    page.reload()
    expect(summary).to_have_value(draft.summary)

    restore = page.get_by_role("button", name="Restore unsaved changes")
    expect(restore).to_be_visible()
    axe_check(page, label="edit form with restore offer")
    restore.click()
    expect(summary).to_have_value("Typed but never sent")
    expect(page.locator("#id_summary-count")).to_have_text("4 of at most 100 words")
    expect(restore).to_be_hidden()
