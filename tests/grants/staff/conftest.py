import pytest

from accounts.roles import Role
from tests.factories import CallFactory, make_user
from tests.grants.staff.helpers import sign_in_with_mfa


@pytest.fixture
def staff(db):
    return make_user(Role.STAFF, full_name="Sam Staff", email="sam.staff@fund.example")


@pytest.fixture
def staff_client(client, staff):
    return sign_in_with_mfa(client, staff)


@pytest.fixture
def call(db):
    return CallFactory(slug="round-2026-1", title_en="Round 2026/1", title_de="Runde 2026/1")
