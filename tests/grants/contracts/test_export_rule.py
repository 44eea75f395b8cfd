"""The rule for one payment (grants.export_payment) and its list twin (the rows of
payments_to_transfer) agree, with four eyes on and off: on hold, released by the viewer,
account confirmed by the viewer, or free to export."""

import pytest

from accounts.access import may
from accounts.roles import Role
from grants.contracts.queries import exportable_by, payments_to_transfer
from grants.models import BankDetailsCheck
from tests.factories import make_grant, make_user
from tests.grants.contracts.helpers import accept, confirm_account, report

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return {name: make_user(Role.STAFF, full_name=name) for name in ("Ana", "Ben", "Cem")}


@pytest.fixture
def payments(people):
    """Four released payments: released by Ana; Ben confirmed the accounts of two grants,
    one grant waits for confirmation."""
    grants = [make_grant() for _ in range(4)]
    for grant in grants:
        first = grant.milestones.first()
        report(first)
        accept(first, people["Ana"])
    for grant in grants[:2]:
        BankDetailsCheck.objects.create(
            grant=grant, reason="agreement", account_holder="A", iban_masked=grant.iban_masked
        )
        confirm_account(grant, people["Ben"])
    BankDetailsCheck.objects.create(
        grant=grants[2], reason="change", account_holder="A", iban_masked=grants[2].iban_masked
    )
    return grants


@pytest.mark.parametrize("four_eyes", [True, False])
def test_the_rule_and_the_list_agree(settings, people, payments, four_eyes):
    settings.PAYMENTS_FOUR_EYES = four_eyes
    expected = {
        # (viewer, grant index) → blocker
        True: {
            "Ana": ["released", "released", "hold", "released"],
            "Ben": ["confirmed", "confirmed", "hold", ""],
            "Cem": ["", "", "hold", ""],
        },
        False: {
            "Ana": ["", "", "hold", ""],
            "Ben": ["", "", "hold", ""],
            "Cem": ["", "", "hold", ""],
        },
    }[four_eyes]
    assert set(people) == set(expected) and len(payments) == 4  # the loop checks something
    for name, person in people.items():
        rows = {row.grant_id: row for row in payments_to_transfer(viewer=person)}
        assert len(rows) == 4
        blockers = [exportable_by(rows[grant.pk], person) for grant in payments]
        assert blockers == expected[name], name
        assert [may(person, "grants.export_payment", rows[g.pk]) for g in payments] == [
            blocker == "" for blocker in blockers
        ]


def test_nobody_but_staff_exports(payments):
    row = payments_to_transfer(viewer=make_user(Role.STAFF)).first()
    for role in (Role.APPLICANT, Role.MINISTRY, Role.JUROR):
        assert not may(make_user(role), "grants.export_payment", row)
    assert not may(payments[0].application.owner, "grants.export_payment", row)
