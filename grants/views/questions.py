"""Staff build the questions of a call (listed on the call's page): add, change, move and
remove them, and preview the form as applicants see it. Without JavaScript: every step is a
form with a button. Thin: check the role, call one service, render."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.roles import Role
from core.errors import WorkflowError
from grants import queries
from grants.forms.questions import EligibilityForm, QuestionForm, add_answer_fields
from grants.models import Call, Question
from grants.questions import of_purpose
from grants.services.questions import (
    answered_count,
    move_question,
    remove_question,
    save_question,
)
from grants.states import NOTE_MAX_CHARS, QuestionPurpose


class PurposeForm(forms.Form):
    purpose = forms.ChoiceField(choices=QuestionPurpose.choices, required=False)


class StepForm(forms.Form):
    """A move or a removal: the direction, the reason (a frozen call) and the second click."""

    direction = forms.ChoiceField(choices=(("up", "up"), ("down", "down")), required=False)
    reason = forms.CharField(
        label=_("Reason for changing the questions"),
        required=False,
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirmed = forms.BooleanField(required=False)


def _questions_url(call) -> str:
    return reverse("staff_call_edit", kwargs={"slug": call.slug}) + "#questions"


def _may_change(request, call) -> tuple[bool, bool]:
    """(frozen, admin): a call with submissions is frozen; only an admin changes it then."""
    return call.rules_locked, request.user.has_perm("grants.change_locked_call_rules")


def _question(pk):
    return get_object_or_404(
        Question.objects.select_related("call__fund"), pk=pk, removed_at__isnull=True
    )


def _render_form(request, call, form, question=None, status=200):
    return render(
        request,
        "grants/staff/question_form.html",
        {"call": call, "form": form, "question": question, "purpose": form.purpose},
        status=status,
    )


def _save(request, call, form, question=None):
    try:
        saved = save_question(
            call=call,
            actor=request.user,
            question=question,
            changes=form.changes(),
            reason=form.cleaned_data.get("reason", ""),
        )
    except WorkflowError as error:
        messages.error(request, error.message)
        form.add_service_errors(error.field_errors)
        return None
    except forms.ValidationError as error:
        messages.error(request, _("The question was not saved. Please correct the marked fields."))
        form.add_service_errors(error.message_dict)
        return None
    messages.success(
        request, _("The question “%(label)s” has been saved.") % {"label": saved.label}
    )
    return saved


@role_required(Role.STAFF)
def question_create(request, slug):
    call = get_object_or_404(Call.objects.select_related("fund"), slug=slug)
    chosen = PurposeForm(request.GET)
    purpose = (chosen.is_valid() and chosen.cleaned_data["purpose"]) or QuestionPurpose.PROPOSAL
    frozen, admin = _may_change(request, call)
    form = QuestionForm(
        request.POST or None,
        purpose=purpose,
        others=of_purpose(queries.call_questions(call), purpose),
        frozen=frozen,
        is_admin=admin,
    )
    if request.method == "POST" and form.is_valid() and _save(request, call, form):
        return redirect(_questions_url(call))
    return _render_form(request, call, form)


@role_required(Role.STAFF)
def question_edit(request, pk):
    question = _question(pk)
    call = question.call
    frozen, admin = _may_change(request, call)
    form = QuestionForm(
        request.POST or None,
        purpose=question.purpose,
        question=question,
        others=of_purpose(queries.call_questions(call), question.purpose),
        frozen=frozen,
        is_admin=admin,
    )
    if request.method == "POST" and form.is_valid() and _save(request, call, form, question):
        return redirect(_questions_url(call))
    return _render_form(request, call, form, question)


def _confirm(request, question, step, form, *, answered=None):
    """The second click of a move or a removal (with the reason a frozen call needs)."""
    frozen, _admin = _may_change(request, question.call)
    return render(
        request,
        "grants/staff/question_confirm.html",
        {
            "question": question,
            "call": question.call,
            "step": step,
            "form": form,
            "frozen": frozen,
            "answered": answered,
        },
    )


@role_required(Role.STAFF)
@require_POST
def question_move(request, pk):
    question = _question(pk)
    form = StepForm(request.POST)
    if not form.is_valid() or not form.cleaned_data["direction"]:
        messages.error(request, _("Unknown action."))
        return redirect(_questions_url(question.call))
    try:
        move_question(
            question=question,
            actor=request.user,
            direction=form.cleaned_data["direction"],
            reason=form.cleaned_data["reason"],
        )
    except WorkflowError as error:
        if "reason" in error.field_errors and request.user.has_perm(
            "grants.change_locked_call_rules"
        ):
            return _confirm(request, question, "move", form)
        messages.error(request, error.message)
    else:
        messages.success(request, _("The question has been moved."))
    return redirect(_questions_url(question.call))


@role_required(Role.STAFF)
@require_POST
def question_remove(request, pk):
    """Two steps: the first POST says how many applications answered the question; the
    confirmation removes it."""
    question = _question(pk)
    form = StepForm(request.POST)
    if not form.is_valid() or not form.cleaned_data["confirmed"]:
        return _confirm(request, question, "remove", StepForm(), answered=answered_count(question))
    try:
        remove_question(question=question, actor=request.user, reason=form.cleaned_data["reason"])
    except WorkflowError as error:
        messages.error(request, error.message)
        if "reason" in error.field_errors:
            return _confirm(request, question, "remove", form, answered=answered_count(question))
    else:
        messages.success(
            request, _("The question “%(label)s” has been removed.") % {"label": question.label}
        )
    return redirect(_questions_url(question.call))


@role_required(Role.STAFF)
def form_preview(request, slug):
    """The call's eligibility check and proposal questions as applicants see them (a
    conditional question appears once its answer is chosen; nothing is saved)."""
    call = get_object_or_404(Call.objects.select_related("fund"), slug=slug)
    questions = list(queries.call_questions(call))
    proposal = of_purpose(questions)
    form = forms.Form()
    add_answer_fields(form, proposal, {})
    return render(
        request,
        "grants/staff/question_preview.html",
        {
            "call": call,
            "eligibility_form": EligibilityForm(
                questions=of_purpose(questions, QuestionPurpose.ELIGIBILITY)
            ),
            "fields": [form[q.field_name] for q in proposal],
        },
    )
