"""One visibility rule for lists and single objects (grants.visibility).

For every kind of user and applications in every state, the selector
``applications_visible_to`` and the ``grants.view_application`` rule must agree, and both
must match the rule DESIGN.md states: applicants see their own, team members see submitted
applications they are named on (with a verified address), staff everything but drafts;
ministry viewers nothing (they read funded projects on the ministry's pages only:
tests/reporting/test_funded_projects.py); jurors nothing through this general rule (they
see their assigned applications on their own pages only: tests/review/test_visibility.py).
"""

import pytest
from allauth.account.models import EmailAddress
from django.db.models import Q

from accounts.models import User
from accounts.roles import Role
from core.visibility import Audience, Restriction
from grants import visibility
from grants.queries import applications_visible_to
from grants.states import ApplicationState
from grants.visibility import (
    APPLICATIONS,
    is_withheld,
    withheld_applications,
    withheld_rows,
    withhold,
)
from review.audiences import JUROR
from tests.accounts.helpers import make_role_user
from tests.accounts.visibility import seen_by_rule_and_by_selector
from tests.factories import ApplicationFactory, CallFactory, make_user, set_state
from tests.review.helpers import conflict

pytestmark = pytest.mark.django_db

S = ApplicationState
MATE = "mate@example.org"
UNVERIFIED_MATE = "typo@example.org"
SECOND_ADDRESS_MATE = "second@example.org"


class World:
    def __init__(self):
        self.owner = make_user(Role.APPLICANT, email="owner@example.org")
        self.users = {
            "anonymous": None,
            "owner": self.owner,
            "other_applicant": make_user(Role.APPLICANT),
            "mate": make_user(Role.APPLICANT, email=MATE),
            # Named on the applications, but the address was never confirmed.
            "unverified_mate": make_user(Role.APPLICANT, email=UNVERIFIED_MATE, verified=False),
            # Logs in with another address; the named one is a verified second address.
            "second_address_mate": make_user(Role.APPLICANT),
            "juror": make_role_user("juror"),
            "staff": make_role_user("staff"),
            "ministry": make_role_user("ministry"),
            "admin": make_role_user("admin"),
            "staff_applicant": make_user(Role.STAFF, Role.APPLICANT),
        }
        EmailAddress.objects.create(
            user=self.users["unverified_mate"], email=UNVERIFIED_MATE, verified=False
        )
        EmailAddress.objects.create(
            user=self.users["second_address_mate"], email=SECOND_ADDRESS_MATE, verified=True
        )
        call = CallFactory()
        self.by_state = {}
        for state in S.values:
            application = ApplicationFactory(
                call=call,
                owner=self.owner,
                track="team_6",
                members=[MATE.upper(), UNVERIFIED_MATE, SECOND_ADDRESS_MATE],
            )
            self.by_state[state] = set_state(application, state)
        staff_applicant = self.users["staff_applicant"]
        self.own_draft_of_staff = ApplicationFactory(call=call, owner=staff_applicant)
        self.own_submitted_of_staff = set_state(
            ApplicationFactory(call=call, owner=staff_applicant), S.SUBMITTED
        )
        self.applications = [
            *self.by_state.values(),
            self.own_draft_of_staff,
            self.own_submitted_of_staff,
        ]

    def user(self, name):
        user = self.users[name]
        if user is None:
            from django.contrib.auth.models import AnonymousUser

            return AnonymousUser()
        return User.objects.get(pk=user.pk)  # fresh: roles are read as a request would

    def pks(self, states=(), extra=()):
        return {self.by_state[state].pk for state in states} | {a.pk for a in extra}


@pytest.fixture
def world():
    return World()


NOT_DRAFT = [state for state in S.values if state != S.DRAFT]


def expected(world, name):
    """What DESIGN.md says each user sees (all audiences together)."""
    staff_sees = world.pks(NOT_DRAFT, [world.own_submitted_of_staff])
    return {
        "anonymous": set(),
        "owner": world.pks(S.values),
        "other_applicant": set(),
        "mate": world.pks(NOT_DRAFT),
        "unverified_mate": set(),
        "second_address_mate": world.pks(NOT_DRAFT),
        "juror": set(),  # the juror audience is not general (review.audiences)
        "staff": staff_sees,
        "ministry": set(),  # never the shared pages (reporting has its own selector)
        "admin": staff_sees,
        "staff_applicant": staff_sees | {world.own_draft_of_staff.pk},
    }[name]


USERS = (
    "anonymous",
    "owner",
    "other_applicant",
    "mate",
    "unverified_mate",
    "second_address_mate",
    "juror",
    "staff",
    "ministry",
    "admin",
    "staff_applicant",
)


@pytest.mark.parametrize("name", USERS)
def test_selector_and_rule_agree_for_every_user_and_state(world, name):
    by_rule, by_selector = seen_by_rule_and_by_selector(
        APPLICATIONS, world.user(name), world.applications, permission="grants.view_application"
    )

    assert by_rule == by_selector == expected(world, name)
    assert set(applications_visible_to(world.user(name)).values_list("pk", flat=True)) == by_rule


@pytest.mark.parametrize("name", USERS)
@pytest.mark.parametrize("audience", ["owner", "team", "staff", "juror"])
def test_selector_and_rule_agree_for_every_audience_on_its_own(world, name, audience):
    by_rule, by_selector = seen_by_rule_and_by_selector(
        APPLICATIONS, world.user(name), world.applications, only=audience
    )

    assert by_rule == by_selector


@pytest.mark.parametrize("name", USERS)
def test_staff_pages_show_what_the_user_sees_as_staff_and_never_a_draft(world, name):
    by_rule, by_selector = seen_by_rule_and_by_selector(
        APPLICATIONS,
        world.user(name),
        world.applications,
        only="staff",
        permission="grants.view_application_as_staff",
    )

    is_staff = name in ("staff", "admin", "staff_applicant")
    assert by_rule == by_selector == (expected(world, "staff") if is_staff else set())


def test_the_selector_has_no_duplicates_and_costs_one_query(world, django_assert_num_queries):
    user = world.user("mate")
    assert user.role_names == {Role.APPLICANT}  # read once per request by the middleware

    with django_assert_num_queries(1):
        pks = list(applications_visible_to(user).values_list("pk", flat=True))

    assert len(pks) == len(set(pks)) == len(NOT_DRAFT)


def test_the_juror_audience_comes_from_the_review_app():
    assert APPLICATIONS.names() == ("owner", "staff", "team", "juror")
    assert APPLICATIONS.audiences_of(make_role_user("juror"), only="juror") == [JUROR]


def test_a_registered_audience_extends_selector_and_rule_alike(world):
    """The extension point the jury uses: one more audience, and both views follow."""
    shortlisted = world.by_state[S.IN_REVIEW]
    shortlisted.title = "Shortlisted toolkit"
    shortlisted.save(update_fields=["title"])
    APPLICATIONS.register(
        Audience(
            name="shortlist_readers",
            concerns=lambda user: user.has_role(Role.JUROR),
            rows=lambda user: Q(title__startswith="Shortlisted"),
            includes=lambda user, application: application.title.startswith("Shortlisted"),
        )
    )
    try:
        juror_view = seen_by_rule_and_by_selector(
            APPLICATIONS,
            world.user("juror"),
            world.applications,
            permission="grants.view_application",
        )
        staff_view = seen_by_rule_and_by_selector(
            APPLICATIONS,
            world.user("staff"),
            world.applications,
            permission="grants.view_application",
        )
    finally:
        APPLICATIONS.unregister("shortlist_readers")

    assert juror_view == ({shortlisted.pk}, {shortlisted.pk})
    assert staff_view == (expected(world, "staff"), expected(world, "staff"))
    assert set(applications_visible_to(world.user("juror"))) == set()


# Withheld applications: every registered reason counts, each for the people it concerns.


@pytest.fixture
def one_more_reason(monkeypatch):
    """A second reason to withhold, next to the jury's conflicts of interest, registered
    for this test only (the registries are restored afterwards)."""
    monkeypatch.setattr(visibility, "_withheld", list(visibility._withheld))
    monkeypatch.setattr(
        APPLICATIONS,
        "_restrictions",
        {name: list(listed) for name, listed in APPLICATIONS._restrictions.items()},
    )
    embargo = Restriction(
        name="embargo",
        concerns=lambda user: user.has_role(Role.STAFF),
        rows=lambda user: Q(title__startswith="Embargoed"),
        excludes=lambda user, application: application.title.startswith("Embargoed"),
    )
    withhold(embargo)
    return embargo


def test_an_application_withheld_for_any_reason_is_withheld(one_more_reason):
    call = CallFactory()
    conflicted, embargoed, clear = (
        set_state(ApplicationFactory(call=call, title=title), S.IN_REVIEW)
        for title in ("Conflicted radar", "Embargoed harbour map", "Clear tide gauge")
    )
    staff_juror = make_user(Role.STAFF, Role.JUROR)
    juror = make_role_user("juror")
    staff = make_role_user("staff")
    for person in (staff_juror, juror):
        conflict(person, conflicted)

    def withheld(user):
        selected = set(withheld_applications(user).values_list("pk", flat=True))
        one_by_one = {a.pk for a in (conflicted, embargoed, clear) if is_withheld(user, a)}
        return selected, one_by_one

    both = {conflicted.pk, embargoed.pk}
    assert withheld(staff_juror) == (both, both)
    assert withheld(juror) == ({conflicted.pk}, {conflicted.pk})
    assert withheld(staff) == ({embargoed.pk}, {embargoed.pk})
    assert set(applications_visible_to(staff_juror)) == {clear}


def test_nothing_is_withheld_from_someone_no_reason_concerns():
    ApplicationFactory()

    assert withheld_rows(None) is None
    assert withheld_applications(None) is None
    assert withheld_rows(make_user(Role.APPLICANT)) is None
    assert withheld_rows(make_role_user("ministry")) is None
