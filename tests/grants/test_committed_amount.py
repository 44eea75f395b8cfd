from decimal import Decimal

import pytest

from grants.states import ApplicationState as S
from tests.factories import ApplicationFactory, CallFactory, set_state

pytestmark = pytest.mark.django_db


def test_committed_amount_counts_awards_from_approval_on():
    call = CallFactory()
    other_call = CallFactory()
    counted = {S.APPROVED: "10000.00", S.FUNDED: "2000.50", S.COMPLETED: "300.00"}
    for state, amount in counted.items():
        set_state(ApplicationFactory(call=call, awarded_amount=Decimal(amount)), state)
    # Not committed: a withdrawn award, a waitlisted or rejected application, another call.
    set_state(ApplicationFactory(call=call, awarded_amount=Decimal("999.00")), S.WITHDRAWN)
    set_state(ApplicationFactory(call=call), S.WAITLISTED)
    set_state(ApplicationFactory(call=call), S.REJECTED)
    set_state(ApplicationFactory(call=other_call, awarded_amount=Decimal("5.00")), S.FUNDED)

    assert call.committed_amount() == Decimal("12300.50")


def test_committed_amount_of_a_call_without_awards_is_zero():
    assert CallFactory().committed_amount() == Decimal("0.00")
