import pytest

from accounts.roles import Role
from tests.factories import make_user


@pytest.fixture
def staff():
    return make_user(Role.STAFF, full_name="Jonas Becker")


@pytest.fixture
def other_staff():
    return make_user(Role.STAFF, full_name="Mara Klein")
