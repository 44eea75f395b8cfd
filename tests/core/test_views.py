"""core.views.run_service: the ceremony around a service call that every view shares."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from core.errors import StaleObjectError, WorkflowError
from core.views import add_service_errors, run_service


class NoteForm(forms.Form):
    note = forms.CharField(required=False)


def _request():
    request = RequestFactory().post("/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _messages(request):
    return [(message.level_tag, str(message)) for message in get_messages(request)]


def _refuse(error):
    def service(**arguments):
        raise error

    return service


def test_success_passes_the_arguments_and_returns_the_result_with_the_message():
    request = _request()
    calls = []

    def service(**arguments):
        calls.append(arguments)
        return 7

    done = run_service(request, service, success="Saved.", pk=3, actor="someone")

    assert calls == [{"pk": 3, "actor": "someone"}]
    assert (done.ok, done.result, done.error, done.stale) == (True, 7, None, False)
    assert _messages(request) == [("success", "Saved.")]


def test_success_message_may_be_a_function_of_the_result():
    request = _request()

    done = run_service(request, lambda: 2, success=lambda result: f"{result} done.")

    assert done.result == 2
    assert _messages(request) == [("success", "2 done.")]


def test_success_without_a_message_adds_none():
    request = _request()

    assert run_service(request, lambda: None).ok is True
    assert _messages(request) == []


def test_a_refusal_becomes_an_error_message_and_errors_on_the_form():
    request = _request()
    form = NoteForm({"note": "x"})
    assert form.is_valid()
    error = WorkflowError(
        "Not saved.", field_errors={"note": ["Too short."], "elsewhere": ["Not now."]}
    )

    done = run_service(request, _refuse(error), form=form, success="Saved.")

    assert (done.ok, done.result, done.error, done.stale) == (False, None, error, False)
    assert _messages(request) == [("error", "Not saved.")]
    # A field the form has carries its error; any other goes to the whole form.
    assert form.errors == {"note": ["Too short."], "__all__": ["Not now."]}


def test_a_refusal_without_a_form_is_only_a_message():
    request = _request()

    done = run_service(request, _refuse(WorkflowError("No.", field_errors={"note": ["x"]})))

    assert done.ok is False
    assert _messages(request) == [("error", "No.")]


def test_a_stale_object_is_a_message_and_leaves_the_form_alone():
    request = _request()
    form = NoteForm({"note": "x"})
    assert form.is_valid()

    done = run_service(
        request,
        _refuse(StaleObjectError("Changed meanwhile.", field_errors={"note": ["x"]})),
        form=form,
    )

    assert (done.ok, done.stale) == (False, True)
    assert _messages(request) == [("error", "Changed meanwhile.")]
    assert form.errors == {}


def test_other_exceptions_are_not_swallowed():
    request = _request()

    def service():
        raise ValueError("a bug")

    with pytest.raises(ValueError, match="a bug"):
        run_service(request, service)
    assert _messages(request) == []


def test_add_service_errors_keeps_every_message_of_a_field():
    form = NoteForm({"note": "x"})
    assert form.is_valid()

    add_service_errors(form, WorkflowError("No.", field_errors={"note": ["One.", "Two."]}))

    assert form.errors == {"note": ["One.", "Two."]}


class DateForm(forms.Form):
    """Shows the service's ``closes_at`` as ``closing_day``; ``locked`` cannot be changed."""

    service_error_fields = {"closes_at": "closing_day"}
    closing_day = forms.DateField(required=False)
    locked = forms.CharField(required=False, disabled=True)


def test_a_form_names_its_field_for_the_services_and_a_disabled_field_takes_no_error():
    form = DateForm({})
    assert form.is_valid()
    error = WorkflowError(
        "Not saved.", field_errors={"closes_at": ["Too early."], "locked": ["Locked."]}
    )

    add_service_errors(form, error)

    assert form.errors == {"closing_day": ["Too early."], "__all__": ["Locked."]}


def test_a_models_validation_error_is_read_like_a_refusal():
    form = DateForm({})
    assert form.is_valid()

    add_service_errors(
        form, ValidationError({"closes_at": ["Too early."], "__all__": ["Inconsistent."]})
    )

    assert form.errors == {"closing_day": ["Too early."], "__all__": ["Inconsistent."]}


class AmountForm(forms.Form):
    amount = forms.IntegerField(required=False)


def test_errors_go_to_the_first_form_of_a_page_that_shows_the_field_the_rest_to_the_last():
    notes, amounts = NoteForm({}), AmountForm({})
    assert notes.is_valid() and amounts.is_valid()
    error = WorkflowError(
        "Not saved.",
        field_errors={"note": ["Too short."], "amount": ["Too high."], "other": ["No."]},
    )

    add_service_errors((notes, amounts), error)

    assert notes.errors == {"note": ["Too short."]}
    assert amounts.errors == {"amount": ["Too high."], "__all__": ["No."]}
