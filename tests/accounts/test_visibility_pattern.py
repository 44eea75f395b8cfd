"""The visibility pattern itself (core/visibility.py), on a model of its own."""

import dataclasses

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from accounts.models import User
from accounts.roles import Role
from core.visibility import Audience, Restriction, Visibility
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def people():
    """Users see themselves; staff see everybody with an example.org address."""
    visibility = Visibility(User)
    visibility.register(
        Audience(
            name="self",
            concerns=lambda user: True,
            rows=lambda user: Q(pk=user.pk),
            includes=lambda user, other: other.pk == user.pk,
        )
    )
    visibility.register(
        Audience(
            name="staff",
            concerns=lambda user: user.has_role(Role.STAFF),
            rows=lambda user: Q(email__endswith="@example.org"),
            includes=lambda user, other: other.email.endswith("@example.org"),
        )
    )
    return visibility


def test_selector_and_predicate_follow_the_audiences_of_the_user():
    visibility = people()
    staff = make_user(Role.STAFF, email="staff@fund.example")
    applicant = make_user(Role.APPLICANT, email="ada@example.org")
    outsider = make_user(Role.APPLICANT, email="bob@elsewhere.example")
    everyone = [staff, applicant, outsider]
    predicate = visibility.predicate()

    seen = {
        user.email: (
            {other.email for other in everyone if predicate.test(user, other)},
            set(visibility.visible_to(user).values_list("email", flat=True)),
        )
        for user in everyone
    }

    assert seen == {
        "staff@fund.example": ({"staff@fund.example", "ada@example.org"},) * 2,
        "ada@example.org": ({"ada@example.org"},) * 2,
        "bob@elsewhere.example": ({"bob@elsewhere.example"},) * 2,
    }
    assert set(visibility.visible_to(staff, only="staff")) == {applicant}
    assert visibility.predicate(only="staff").test(staff, staff) is False
    assert visibility.predicate().name == "sees_user"
    assert visibility.predicate(only="staff").name == "sees_user_as_staff"


def test_anonymous_users_and_missing_objects_see_nothing():
    visibility = people()
    user = make_user(Role.STAFF)

    assert list(visibility.visible_to(AnonymousUser())) == []
    assert visibility.sees(AnonymousUser(), user) is False
    assert visibility.sees(user, None) is False


def test_names_are_unique_and_known():
    visibility = people()
    same_name = Audience(
        name="self", concerns=lambda user: True, rows=lambda user: Q(), includes=lambda u, o: True
    )

    with pytest.raises(Exception, match="registered already"):
        visibility.register(same_name)
    with pytest.raises(Exception, match="no audience named jury"):
        visibility.visible_to(make_user(Role.STAFF), only="jury")
    visibility.unregister("staff")
    assert visibility.names() == ("self",)


def test_an_audience_that_is_not_general_counts_only_by_name():
    visibility = people()
    visibility.register(
        Audience(
            name="everyone",
            concerns=lambda user: True,
            rows=lambda user: Q(),
            includes=lambda user, other: True,
            general=False,
        )
    )
    ada = make_user(Role.APPLICANT, email="ada@example.org")
    bob = make_user(Role.APPLICANT, email="bob@elsewhere.example")

    assert set(visibility.visible_to(ada)) == {ada}
    assert visibility.sees(ada, bob) is False
    assert set(visibility.visible_to(ada, only="everyone")) == {ada, bob}
    assert visibility.sees(ada, bob, only="everyone") is True


def test_a_restriction_hides_objects_from_the_audiences_it_names_only():
    visibility = people()
    hidden = Restriction(
        name="no_ada",
        concerns=lambda user: user.has_role(Role.STAFF),
        rows=lambda user: Q(email__startswith="ada@"),
        excludes=lambda user, other: other.email.startswith("ada@"),
    )
    visibility.restrict(["staff"], hidden)
    staff = make_user(Role.STAFF, email="staff@example.org")
    ada = make_user(Role.APPLICANT, email="ada@example.org")
    carl = make_user(Role.APPLICANT, email="carl@example.org")

    assert set(visibility.visible_to(staff, only="staff")) == {staff, carl}
    assert [visibility.sees(staff, user, only="staff") for user in (staff, ada, carl)] == [
        True,
        False,
        True,
    ]
    # The "self" audience is not restricted: Ada still sees herself.
    assert set(visibility.visible_to(ada)) == {ada}


def test_a_registered_audience_or_restriction_cannot_be_changed_afterwards():
    """Selector and rule read the same registered objects: changing one at run time would
    change both behind every page's back, so they are frozen."""
    audience = people()._audiences["staff"]
    restriction = Restriction(
        name="no_ada",
        concerns=lambda user: True,
        rows=lambda user: Q(),
        excludes=lambda user, other: False,
    )

    with pytest.raises(dataclasses.FrozenInstanceError):
        audience.concerns = lambda user: True
    with pytest.raises(dataclasses.FrozenInstanceError):
        restriction.excludes = lambda user, other: True
