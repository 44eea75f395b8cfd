"""Which accounts the inactivity rule leaves alone (privacy.queries.people_with_something_to_keep)
and how it weighs the others (inactive_accounts), case by case; and the staff page's list of
handled requests (its newest 20)."""

import datetime as dt

import pytest
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from grants.states import ApplicationState, CallState
from privacy.models import ErasureRequest, InactivityWarning
from privacy.queries import handled_requests, inactive_accounts, people_with_something_to_keep
from privacy.states import RequestState
from review.models import JuryMember
from review.states import JuryPhase
from tests.factories import CallFactory, make_user
from tests.privacy.helpers import noon, submitted
from tests.review.helpers import make_jury

pytestmark = pytest.mark.django_db

LAST_SEEN = dt.date(2023, 4, 2)
DUE = dt.date(2026, 4, 2)  # three years later: the day the warning is due


def old_account(*roles, last_seen=LAST_SEEN, **kwargs):
    user = make_user(*(roles or (Role.APPLICANT,)), **kwargs)
    User.objects.filter(pk=user.pk).update(
        last_login=noon(last_seen), date_joined=noon(last_seen) - dt.timedelta(days=5)
    )
    return user


def _waitlisted(user, call_state, state=ApplicationState.WAITLISTED):
    submitted(CallFactory(state=call_state), state, owner=user)


def _juror(user, phase):
    JuryMember.objects.create(jury=make_jury(phase=phase), user=user, email=user.email)


CASES = {
    "waiting list, call undecided": (lambda u: _waitlisted(u, CallState.CLOSED), True),
    "waiting list, call decided": (lambda u: _waitlisted(u, CallState.DECIDED), False),
    "ineligible, call undecided": (
        lambda u: _waitlisted(u, CallState.CLOSED, ApplicationState.INELIGIBLE),
        False,
    ),
    "juror, jury at work": (lambda u: _juror(u, JuryPhase.SCORING), True),
    "juror, jury closed": (lambda u: _juror(u, JuryPhase.CLOSED), False),
}


@pytest.mark.parametrize("case", list(CASES))
def test_what_keeps_an_account(case):
    user = old_account()
    make, kept = CASES[case]
    make(user)

    warn, anonymise = inactive_accounts(DUE)

    assert (user.pk in people_with_something_to_keep()) is kept
    assert warn == ([] if kept else [user.pk])
    assert anonymise == []


@pytest.mark.parametrize("flag", ["is_superuser", "is_staff"])
def test_an_admin_keeps_their_account(flag):
    user = old_account(**{flag: True})

    assert user.pk in people_with_something_to_keep()
    assert inactive_accounts(DUE) == ([], [])


def test_an_account_still_in_use_does_not_stop_the_others_being_weighed():
    in_use = old_account(last_seen=dt.date(2025, 1, 1))
    unused = old_account()

    assert in_use.pk < unused.pk
    assert inactive_accounts(DUE) == ([unused.pk], [])


def test_a_warning_at_the_moment_of_the_last_sign_in_is_given_again():
    user = old_account()
    InactivityWarning.objects.create(user=user, warned_at=noon(LAST_SEEN))

    assert inactive_accounts(DUE) == ([user.pk], [])


def test_a_warning_after_the_last_sign_in_anonymises_thirty_days_on():
    user = old_account()
    InactivityWarning.objects.create(user=user, warned_at=noon(DUE))

    assert inactive_accounts(DUE + dt.timedelta(days=29)) == ([], [])
    assert inactive_accounts(DUE + dt.timedelta(days=30)) == ([], [user.pk])


def test_the_staff_page_lists_the_newest_twenty_handled_requests():
    staff = make_user(Role.STAFF)
    start = timezone.now() - dt.timedelta(days=30)
    handled = []
    for day in range(21):
        request = ErasureRequest.objects.create(user=make_user(Role.APPLICANT))
        ErasureRequest.objects.filter(pk=request.pk).update(
            state=RequestState.CANCELLED,
            handled_at=start + dt.timedelta(days=day),
            handled_by=staff,
        )
        handled.append(request.pk)
    ErasureRequest.objects.create(user=make_user(Role.APPLICANT))  # open: not handled

    assert [r.pk for r in handled_requests()] == handled[::-1][:20]
