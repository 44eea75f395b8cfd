from decimal import Decimal

import pytest

from accounts.roles import Role
from grants.models import Application
from grants.states import ApplicationState as S
from tests.factories import make_user
from tests.review.helpers import assign, budget_call, in_review, make_juror, make_jury, scored


@pytest.fixture
def staff(db):
    return make_user(Role.STAFF, full_name="Sam Staff", email="sam.staff@fund.example")


@pytest.fixture
def ranked():
    """Six reviewed applications of 30,000 € each with a budget of 100,000 €: three fit.
    Three jurors score each; ``wobbly`` ones get disagreeing scores (wide intervals)."""
    call = budget_call("100000.00")
    jury = make_jury(call)
    jurors = [make_juror(jury) for _ in range(3)]
    plan = [  # reference suffix, scores of the three jurors (relevance only varies)
        ("A", (9, 9, 9)),
        ("B", (8, 8, 8)),
        ("C", (10, 6, 5)),
        ("D", (8, 7, 7)),
        ("E", (9, 4, 6)),
        ("F", (2, 2, 2)),
    ]
    applications = {}
    for suffix, scores in plan:
        application = in_review(
            call, state=S.REVIEWED, reference=f"CTF-2026-1-000{suffix}", title=f"Project {suffix}"
        )
        Application.objects.filter(pk=application.pk).update(requested_amount=Decimal("30000.00"))
        for juror, score in zip(jurors, scores, strict=True):
            scored(assign(juror, application), [score, score, None])
        applications[suffix] = application
    in_review(call, state=S.REJECTED)  # decided: not on the line
    return call, jury, applications
