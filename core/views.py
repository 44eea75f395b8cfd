"""What every view does around a service call: run it, turn a refusal into a message and
form errors, and say what happened. A stale object (changed meanwhile by someone else) is
reported apart, because the page should then show the current state rather than the form."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError

from core.errors import StaleObjectError, WorkflowError


def add_service_errors(form, error: WorkflowError | ValidationError) -> None:
    """A refusal's field errors on the form: on the field that shows the value (a form may
    name it for the service's in ``service_error_fields``), else on the whole form, also
    when that field is disabled (its value cannot be corrected there). ``form`` may be a
    tuple of the forms of one page: each error goes to the first that shows its field, the
    rest to the last as a whole. A model's ``ValidationError`` is read the same way."""
    forms = form if isinstance(form, tuple) else (form,)
    errors = error.message_dict if isinstance(error, ValidationError) else error.field_errors
    for field, field_messages in errors.items():
        target_form, target = forms[-1], None
        for candidate in forms:
            name = getattr(candidate, "service_error_fields", {}).get(field, field)
            if name in candidate.fields and not candidate.fields[name].disabled:
                target_form, target = candidate, name
                break
        for message in field_messages:
            target_form.add_error(target, message)


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
    the object was stale, errors on ``form``: a form or a tuple of forms); success adds
    ``success`` (a text, or a function of the service's result) as a message."""
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
