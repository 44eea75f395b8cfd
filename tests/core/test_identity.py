"""The fund's identity has one source: the settings. Every place that names the fund reads
it from core.identity, so a fund with another name and prefix shows them everywhere."""

import pytest
from django.test import Client

from config.admin import FundAdminSite
from core.identity import file_stem, fund_name, reference_prefix
from grants.contracts.calendar import grantee_calendar
from ops.views.public import server_error
from reporting.opendata import publisher
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_fund(settings):
    settings.FUND_NAME = "Prototype Fund Nord"
    settings.FUND_REFERENCE_PREFIX = "PFN"
    settings.OPEN_DATA_ORGANISATION_ID = ""


def test_the_accessors_read_the_settings(other_fund):
    assert (fund_name(), reference_prefix(), file_stem()) == ("Prototype Fund Nord", "PFN", "pfn")


def test_file_stems_are_safe_for_any_prefix(settings):
    settings.FUND_REFERENCE_PREFIX = "Ö/Fund 7"

    assert file_stem() == "fund-7"


def test_pages_name_the_fund(other_fund):
    html = Client().get("/").content.decode()

    assert "<title>Funding for open-source prototypes – Prototype Fund Nord</title>" in html
    assert "Civic Tech Fund" not in html


def test_the_error_page_names_the_fund(other_fund, rf):
    html = server_error(rf.get("/")).content.decode()

    assert "<title>Fehler / Error – Prototype Fund Nord</title>" in html


def test_the_admin_site_names_the_fund(other_fund):
    assert str(FundAdminSite().site_header) == "Prototype Fund Nord – administration"


def test_the_calendar_names_the_fund(other_fund):
    feed = grantee_calendar(make_user("applicant")).decode()

    assert "PRODID:-//Prototype Fund Nord//Due dates//EN" in feed
    assert "X-WR-CALNAME:Prototype Fund Nord: due dates" in feed


def test_open_data_names_the_fund_and_its_prefix(other_fund):
    assert publisher() == {
        "prefix": "PFN",
        "name": "Prototype Fund Nord",
        "identifier": "360G-PFN",
    }
