import pytest

from accounts.roles import Role
from tests.factories import make_user


@pytest.fixture
def staff(db):
    return make_user(Role.STAFF, full_name="Sam Staff", email="sam.staff@fund.example")
