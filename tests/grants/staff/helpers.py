"""Set-up helpers of the staff tests."""

import datetime as dt
from decimal import Decimal

from allauth.account.internal.flows import login as allauth_login
from django.utils import timezone

from accounts.roles import Role
from grants.models import Application
from grants.states import ApplicationState
from tests.factories import (
    ApplicationFactory,
    TopicFactory,
    make_user,
    mark_session_mfa,
    track_of,
)


def sign_in_with_mfa(client, user):
    """tests.factories.mark_session_mfa, plus the session key allauth 65.x really reads
    ("account_authentication_methods_user"; the factory writes "..._user_id"). Harmless once
    the factory is fixed."""
    mark_session_mfa(client, user)
    session = client.session
    session[allauth_login._AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session.save()
    return client


def submit(call, **kwargs):
    """A submitted application in ``call`` (made directly, as the applicant flow is tested
    elsewhere)."""
    kwargs.setdefault("state", ApplicationState.SUBMITTED)
    kwargs.setdefault("submitted_at", timezone.now())
    return ApplicationFactory(call=call, **kwargs)


def bulk_submit(call, count, *, start=1, owner=None, state=ApplicationState.SUBMITTED):
    """Many submitted applications in one INSERT (for query-count and benchmark set-ups)."""
    owner = owner or make_user(Role.APPLICANT)
    topic = TopicFactory(fund=call.fund)
    track = track_of(call, "individual_6")
    submitted_at = timezone.now() - dt.timedelta(days=1)
    Application.objects.bulk_create(
        Application(
            call=call,
            owner=owner,
            reference=f"CTF-2026-9-{number:05d}",
            title=f"Bulk project {number:05d}",
            track=track,
            topic=topic,
            state=state,
            total_hours=900,
            requested_amount=Decimal("44887.50"),
            submitted_at=submitted_at,
        )
        for number in range(start, start + count)
    )
