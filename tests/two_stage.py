"""Two linked calls for tests: a concept call (decided without money) whose invited teams
write their full proposal in an open full-proposal call."""

import datetime as dt

from django.utils import timezone

from grants.models import Question
from grants.states import ApplicationState, CallStage, CallState, QuestionKind
from tests.factories import ApplicationFactory, CallFactory, set_state

NO_MONEY = {"budget": None}  # (its tracks keep their caps, which a concept call ignores)


def two_stage_calls(*, full_state=CallState.OPEN, concept_state=CallState.IN_REVIEW, **full):
    now = timezone.now()
    # Its references start far from the factories' (CTF-2026-1-0001 …).
    full_call = CallFactory(stage=CallStage.FULL, state=full_state, last_sequence=500, **full)
    concept_call = CallFactory(
        stage=CallStage.CONCEPT,
        state=concept_state,
        opens_at=now - dt.timedelta(days=40),
        closes_at=now - dt.timedelta(days=20),
        next_stage=full_call,
        **NO_MONEY,
    )
    return concept_call, full_call


def concept_in(call, state=ApplicationState.INVITED, **kwargs):
    """A concept application of ``call`` in ``state`` (submitted)."""
    application = ApplicationFactory(call=call, **kwargs)
    set_state(application, state)
    type(application).objects.filter(pk=application.pk).update(submitted_at=timezone.now())
    application.refresh_from_db()
    return application


def add_question(call, key, kind=QuestionKind.LONG_TEXT, **kwargs):
    return Question.objects.create(
        call=call, key=key, kind=kind, label_de=key, label_en=key, position=99, **kwargs
    )
