"""What every view does around a service call: run it, turn a refusal into a message and
form errors, and say what happened. A stale object (changed meanwhile by someone else) is
reported apart, because the page should then show the current state rather than the form."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages

from core.errors import StaleObjectError, WorkflowError


def add_service_errors(form, error: WorkflowError) -> None:
    """A refusal's field errors on the form (on the field where it has one, else the form)."""
    for field, field_messages in error.field_errors.items():
        for message in field_messages:
            form.add_error(field if field in form.fields else None, message)


@dataclass(frozen=True)
class Outcome:
    ok: bool
    result: object = None
    error: WorkflowError | None = None

    @property
    def stale(self) -> bool:
        return isinstance(self.error, StaleObjectError)


def run_service(
    request,
    service: Callable,
    /,
    *,
    form=None,
    success: str | Callable[[object], str] | None = None,
    **arguments,
) -> Outcome:
    """``service(**arguments)``; a ``WorkflowError`` becomes an error message (and, unless
    the object was stale, errors on ``form``); success adds ``success`` (a text, or a
    function of the service's result) as a message."""
    try:
        result = service(**arguments)
    except WorkflowError as error:
        messages.error(request, error.message)
        if form is not None and not isinstance(error, StaleObjectError):
            add_service_errors(form, error)
        return Outcome(ok=False, error=error)
    if success is not None:
        messages.success(request, success(result) if callable(success) else success)
    return Outcome(ok=True, result=result)
