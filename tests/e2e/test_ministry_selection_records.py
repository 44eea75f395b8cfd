"""The ministry's list of selection records in a real browser, with axe-core at 1280 and
390 px: a decided call is listed with its record in German and English, and the English
one downloads as the version that names funded projects only."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from grants.states import CallState
from review.models import SelectionRecord
from tests.e2e.conftest import axe_both_widths, log_in_browser_with_second_factor
from tests.factories import CallFactory, make_user

pytestmark = pytest.mark.e2e


def test_the_ministry_lists_and_downloads_selection_records(page, live_server):
    call = CallFactory(state=CallState.DECIDED, title_en="Civic Round 2026 with a long name")
    SelectionRecord.objects.create(
        call=call, basis="raw", taken_at=timezone.now(), sealed_at=timezone.now()
    )
    log_in_browser_with_second_factor(page, live_server, make_user(Role.MINISTRY))

    page.goto(live_server.url + "/ministry/")
    page.get_by_role("link", name="Selection records of decided calls").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Selection records")
    expect(page.get_by_role("rowheader", name="Civic Round 2026 with a long name")).to_be_visible()
    axe_both_widths(page, "ministry: selection records")

    with page.expect_download() as download:
        page.get_by_role(
            "link",
            name=re.compile(r"^English\s*: selection record of Civic Round 2026 with a long name$"),
        ).click()
    assert download.value.suggested_filename.endswith(f"{call.slug}-ministry-en.pdf")
