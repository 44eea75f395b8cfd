"""An account can be anonymised (erasure) while everything that points to it stays."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.test import Client

from accounts.events import USER_ANONYMISED
from accounts.models import User
from accounts.roles import Role
from accounts.services import anonymise_user
from grants.models import Application
from tests.factories import ApplicationFactory
from workflow.models import TransitionLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    user = User.objects.create_user(
        "lena.schmidt@example.org", password="long-password-1", full_name="Lena Schmidt"
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    user.groups.add(Group.objects.get_or_create(name=Role.JUROR)[0])
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    return user


def test_the_account_keeps_its_row_and_loses_everything_personal(person):
    application = ApplicationFactory(owner=person)

    anonymise_user(user=person)

    person.refresh_from_db()
    assert (person.full_name, person.email, person.is_active) == (
        "",
        f"anonymised-{person.pk}@anonymised.invalid",
        False,
    )
    assert not person.has_usable_password()
    assert list(person.groups.all()) == []
    assert not EmailAddress.objects.filter(user=person).exists()
    assert not Authenticator.objects.filter(user=person).exists()
    assert Application.objects.get(pk=application.pk).owner_id == person.pk


def test_nobody_can_sign_in_as_the_anonymised_account(person):
    anonymise_user(user=person)

    assert not Client().login(email="lena.schmidt@example.org", password="long-password-1")
    assert not Client().login(email=f"anonymised-{person.pk}@anonymised.invalid", password="")


def test_the_anonymisation_is_logged_without_the_erased_data(person):
    anonymise_user(user=person)

    entry = TransitionLog.objects.get(action=USER_ANONYMISED)
    assert (entry.object_id, entry.note, entry.data) == (person.pk, "", {})
