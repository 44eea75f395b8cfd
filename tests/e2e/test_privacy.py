"""Data protection in a real browser: a person downloads everything the fund holds about
them and asks for it to be erased; staff carry it out; the person can no longer sign in and
their name, address and text appear nowhere. The new pages pass axe-core at laptop and
phone width, in English and German."""

import json
import re
import zipfile

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.roles import Role
from privacy.models import ErasureRequest
from tests.e2e.conftest import axe_check, log_in_browser_with_second_factor
from tests.factories import PASSWORD, make_user
from tests.privacy.search import database_mentions, file_mentions
from tests.privacy.world import EMAIL, NAME, NEEDLES, TEXT, World

pytestmark = pytest.mark.e2e

LAPTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def sign_in_with_password(page, live_server, email):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label(re.compile(r"^E-mail")).fill(email)
    page.get_by_label(re.compile(r"^Password")).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_person_downloads_their_data_asks_for_erasure_and_disappears(page, live_server, browser):
    world = World()
    sign_in_with_password(page, live_server, EMAIL)
    expect(page).to_have_url(re.compile(r"/applicant/$"))

    # The account page: download everything.
    page.get_by_role("link", name="Account").click()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download my data (ZIP)").click()
    archive = zipfile.ZipFile(download.value.path())
    assert json.loads(archive.read("data/identity.json"))["name"] == NAME
    assert f"{TEXT} toolkit" in archive.read("README.html").decode()

    # Ask for erasure, having seen what would go and what stays.
    page.get_by_role("link", name="Ask us to erase your data").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Erase your data")
    expect(page.get_by_role("main")).to_contain_text("Applications you never submitted")
    page.get_by_role("button", name="Ask to erase my data").click()
    expect(page.get_by_role("status")).to_contain_text("We have your request.")
    assert ErasureRequest.objects.filter(user=world.person).count() == 1

    # Staff carry it out.
    staff_context = browser.new_context(base_url=live_server.url)
    staff_page = staff_context.new_page()
    log_in_browser_with_second_factor(staff_page, live_server, world.staff)
    staff_page.goto(f"{live_server.url}/staff/")
    staff_page.get_by_role("link", name="Data protection").click()
    staff_page.get_by_role("link", name=re.compile("Review and carry out")).click()
    expect(staff_page.get_by_role("heading", level=1)).to_have_text(NAME)
    mail.outbox.clear()
    staff_page.get_by_role("button", name="Erase now").click()
    expect(staff_page.get_by_role("status")).to_contain_text("The data has been erased")
    staff_context.close()

    # The person is told, can no longer sign in, and is nowhere.
    (message,) = mail.outbox
    assert message.to == [EMAIL]
    page.goto(f"{live_server.url}/account/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    sign_in_with_password(page, live_server, EMAIL)
    expect(page.get_by_role("main")).to_contain_text(
        re.compile("password you specified (is|are) not correct")
    )
    assert database_mentions(*NEEDLES) == []
    assert file_mentions(*NEEDLES) == []


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1280", "390"])
def test_the_new_pages_pass_axe(page, live_server, viewport):
    page.set_viewport_size(viewport)
    world = World()
    ErasureRequest.objects.create(user=world.person)
    for language in ("en", "de"):
        page.context.add_cookies(
            [{"name": "ctf_language", "value": language, "url": live_server.url}]
        )
        page.goto(f"{live_server.url}/privacy/")
        axe_check(page, label=f"privacy notice ({language})")
    page.context.add_cookies([{"name": "ctf_language", "value": "en", "url": live_server.url}])
    staff = make_user(Role.STAFF)
    log_in_browser_with_second_factor(page, live_server, staff)
    page.goto(f"{live_server.url}/staff/privacy/")
    axe_check(page, label="staff: data protection")
    page.goto(f"{live_server.url}/staff/privacy/people/{world.person.pk}/")
    axe_check(page, label="staff: a person's data")
    page.goto(f"{live_server.url}/account/")
    axe_check(page, label="account page with the data section")
    page.goto(f"{live_server.url}/account/data/erasure/")
    axe_check(page, label="erasure page")
