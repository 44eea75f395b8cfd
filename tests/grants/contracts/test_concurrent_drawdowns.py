"""Two programme staff make a drawdown request at the same moment (PostgreSQL only: SQLite
serialises writers). Whatever the interleaving, each milestone is requested once: one
request takes them all, the other finds nothing left."""

import datetime as dt

import pytest

from grants.contracts.services.drawdowns import make_drawdown
from grants.models import Drawdown, DrawdownLine
from tests.factories import make_grant
from tests.grants.contracts.test_concurrent_payments import race

pytestmark = pytest.mark.postgresql  # needs real concurrent transactions


@pytest.mark.django_db(transaction=True)
def test_two_staff_request_the_same_milestones_at_once(staff, other_staff):
    grants = [make_grant(starts_on=dt.date(2026, 1, 1)) for _ in range(3)]

    def request(actor):
        return lambda: make_drawdown(
            actor=actor,
            period_start=dt.date(2026, 1, 1),
            period_end=dt.date(2026, 12, 31),
            language="en",
        )

    outcomes = race(request(staff), request(other_staff))

    assert sorted(outcomes) == ["WorkflowError", "done"]
    drawdown = Drawdown.objects.get()
    assert DrawdownLine.objects.count() == 9  # three milestones of three grants, once each
    assert drawdown.amount == sum(g.amount for g in grants)
    assert drawdown.number == 1
