"""Who may accept the grant agreement or decline the award: the owner, only while the
application is approved and its agreement has been offered (not before, not once signed)."""

import pytest

from accounts.roles import Role
from grants.rules import grant_is_offered
from tests.factories import ApplicationFactory, make_grant, make_user

pytestmark = pytest.mark.django_db

PERMISSIONS = ("grants.accept_agreement", "grants.decline_award")


def allowed(user, application):
    return [user.has_perm(permission, application) for permission in PERMISSIONS]


def test_the_owner_of_an_approved_application_with_an_offered_agreement_may_answer_it():
    application = make_grant(state="approved").application

    assert allowed(application.owner, application) == [True, True]


def test_nobody_else_may_answer_the_offer():
    application = make_grant(state="approved").application

    assert allowed(make_user(Role.APPLICANT), application) == [False, False]
    assert allowed(make_user(Role.STAFF), application) == [False, False]


def test_an_agreement_prepared_but_not_offered_cannot_be_answered():
    application = make_grant(state="approved", offered=False).application

    assert allowed(application.owner, application) == [False, False]


def test_an_approved_application_without_a_grant_has_nothing_to_answer():
    application = ApplicationFactory(state="approved")

    assert allowed(application.owner, application) == [False, False]


def test_once_signed_the_offer_cannot_be_answered_again():
    # Funded: the agreement was offered and accepted; the offer's date stays on the grant.
    application = make_grant(state="funded").application

    assert application.grant.offered_at is not None
    assert allowed(application.owner, application) == [False, False]


def test_whether_an_agreement_is_offered_is_false_of_nothing_and_of_a_grant_not_offered():
    # The predicate stands on its own (deny by default), not only behind owns_grant, which
    # already refuses nothing: it is combined into more than one rule.
    offered, prepared = make_grant(state="approved"), make_grant(state="approved", offered=False)
    user = offered.application.owner

    assert grant_is_offered.test(user, None) is False
    assert grant_is_offered.test(user, prepared) is False
    assert grant_is_offered.test(user, offered) is True
    assert grant_is_offered.test(user, offered.application) is True
