"""Shared set-up of the data-protection tests: calls closed and decided on given days,
grants ended on given days, moments in the fund's time zone."""

import datetime as dt
from zoneinfo import ZoneInfo

import time_machine
from django.utils import timezone

from grants.models import Application, Call
from grants.states import ApplicationState, CallState
from tests.factories import ApplicationFactory, CallFactory, set_state
from workflow.actions import transition_custom
from workflow.audit import log_event

BERLIN = ZoneInfo("Europe/Berlin")


def noon(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 12, tzinfo=BERLIN)


def midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=BERLIN)


def logged_on(day: dt.date, *, subject, model, transition, actor=None):
    """The log entry of ``transition`` on ``subject``, written at noon of ``day``."""
    with time_machine.travel(noon(day), tick=False):
        return log_event(
            subject=subject,
            action=transition_custom(model, transition)["action"],
            actor=actor,
        )


def call_closed_on(day: dt.date, **kwargs) -> Call:
    """A call whose deadline passed at the midnight starting ``day``."""
    return CallFactory(
        opens_at=midnight(day) - dt.timedelta(days=60),
        closes_at=midnight(day),
        state=kwargs.pop("state", CallState.CLOSED),
        **kwargs,
    )


def call_decided_on(day: dt.date, **kwargs) -> Call:
    kwargs.setdefault("state", CallState.DECIDED)
    call = call_closed_on(day - dt.timedelta(days=90), **kwargs)
    logged_on(day, subject=call, model=Call, transition="decide")
    return call


def submitted(call, state=ApplicationState.REJECTED, **kwargs) -> Application:
    application = ApplicationFactory(call=call, **kwargs)
    Application.objects.filter(pk=application.pk).update(submitted_at=timezone.now())
    return set_state(application, state)


def ended_on(day: dt.date, application, transition="complete_final_report"):
    """The application's grant ended on ``day`` (final report accepted, or terminated)."""
    logged_on(day, subject=application, model=Application, transition=transition)
