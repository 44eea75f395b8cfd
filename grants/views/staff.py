"""Pages of programme staff: calls, the application list, screening. Thin: check the role,
call one query or service, render. Every write goes through grants.services."""

import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_fsm import can_proceed

from accounts.access import get_permitted_object_or_404, role_required
from accounts.roles import Role
from core.identity import reference_prefix
from core.views import add_service_errors, run_service
from grants import events, queries
from grants.forms.staff import (
    CallForm,
    CallTransitionForm,
    CommentForm,
    InformationRequestForm,
    ScreeningForm,
    editable_section_choices,
)
from grants.models import Call, Fund
from grants.presentation import answer_changes, call_step_consequences, log_entries
from grants.questions import answer_rows, eligibility_rows, proposal_questions, question_groups
from grants.services.calls import CALL_TRANSITIONS, save_call, transition_call
from grants.services.screening import (
    add_internal_comment,
    screen_application,
)
from grants.services.screening import request_information as request_information_service
from grants.states import (
    ApplicationState,
    ApplicationStateGroup,
    CallState,
)
from grants.views.staff_lists import filter_form, list_query
from workflow.actions import transition_custom
from workflow.transitions import stale_message

# ---------------------------------------------------------------------------------------
# Dashboard and calls


@role_required(Role.STAFF)
def dashboard(request):
    return render(
        request,
        "grants/staff/dashboard.html",
        {
            "calls": queries.calls_for_staff(),
            "awaiting_screening": queries.applications_awaiting_screening(viewer=request.user)[:20],
        },
    )


def _the_fund():
    return (
        Fund.objects.filter(reference_prefix=reference_prefix()).first()
        or Fund.objects.order_by("pk").first()
    )


def _save_call_form(request, form, call, *, reason=""):
    """Save through the service; returns the saved call, or None with errors on the form
    (a model's validation error there only, a refusal also as a message)."""
    try:
        done = run_service(
            request,
            save_call,
            form=form,
            call=call,
            actor=request.user,
            changes=form.changes(),
            reason=reason,
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return None
    return done.result


@role_required(Role.STAFF)
def call_create(request):
    form = CallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fund = _the_fund()
        if fund is None:
            messages.error(
                request, _("No fund has been configured yet. An administrator has to create it.")
            )
        else:
            call = _save_call_form(request, form, Call(fund=fund))
            if call is not None:
                messages.success(
                    request,
                    _("The call “%(title)s” has been created as a draft.") % {"title": call.title},
                )
                return redirect("staff_call_edit", slug=call.slug)
    return render(request, "grants/staff/call_form.html", {"form": form, "call": None})


@role_required(Role.STAFF)
def call_edit(request, slug):
    call = get_object_or_404(Call.objects.select_related("fund"), slug=slug)
    rules_locked = call.rules_locked
    is_admin = rules_locked and request.user.has_perm("grants.change_locked_call_rules")
    form = CallForm(request.POST or None, call=call, rules_locked=rules_locked, is_admin=is_admin)
    if request.method == "POST" and form.is_valid():
        # A copy goes to the service, so that a refused change leaves this page's call intact.
        saved = _save_call_form(
            request, form, copy.copy(call), reason=form.cleaned_data.get("reason", "")
        )
        if saved is not None:
            messages.success(request, _("The call has been saved."))
            return redirect("staff_call_edit", slug=saved.slug)
    transitions = [
        {"name": name, "label": transition_custom(Call, name)["verb"]}
        for name in CALL_TRANSITIONS
        if can_proceed(getattr(call, name), check_conditions=False)
    ]
    return render(
        request,
        "grants/staff/call_form.html",
        {
            "form": form,
            "call": call,
            "rules_locked": rules_locked,
            "is_admin": is_admin,
            "transitions": transitions,
            "missing_rules": call.missing_rules(),
            "question_groups": question_groups(queries.call_questions(call)),
            "log": log_entries(queries.call_log(call), CallState),
        },
    )


@role_required(Role.STAFF)
@require_POST
def call_transition(request, slug):
    """Two steps without JavaScript: the first POST shows what the step will do, with
    counts; the confirmation POST carries it out."""
    call = get_object_or_404(Call.objects.select_related("fund"), slug=slug)
    form = CallTransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Unknown action."))
        return redirect("staff_call_edit", slug=call.slug)
    name = form.cleaned_data["transition"]
    if request.POST.get("confirmed") != "yes":
        if call.state != form.cleaned_data["expected_state"]:
            messages.error(request, stale_message())
            return redirect("staff_call_edit", slug=call.slug)
        return _render_transition_confirmation(request, call, name)
    done = run_service(
        request,
        transition_call,
        success=lambda changed: (
            _("The call is now in the state “%(state)s”.") % {"state": changed.get_state_display()}
        ),
        call=call,
        actor=request.user,
        transition_name=name,
        expected_state=form.cleaned_data["expected_state"],
    )
    if done.ok and name == "start_review":
        started = done.result.reviews_started
        messages.success(
            request,
            ngettext(
                "%(count)s application moved into review.",
                "%(count)s applications moved into review.",
                started,
            )
            % {"count": started},
        )
    return redirect("staff_call_edit", slug=call.slug)


def _render_transition_confirmation(request, call, name):
    """What the step will do, with counts, and the button that carries it out."""
    return render(
        request,
        "grants/staff/call_transition_confirm.html",
        {
            "call": call,
            "transition": name,
            "verb": transition_custom(Call, name)["verb"],
            "consequences": call_step_consequences(
                call,
                name,
                queries.call_application_counts(call),
                startable=queries.eligible_for_review(call, request.user).count()
                if name == "start_review"
                else None,
            ),
        },
    )


# ---------------------------------------------------------------------------------------
# Application detail, screening, questions, comments


def _staff_application(request, pk):
    """The application as the user sees it as staff (grants/visibility.py: never a draft), or
    404. What they may do with it is the service's question."""
    return get_permitted_object_or_404(
        request.user, "grants.view_application_as_staff", queries.application_detail(pk), pk=pk
    )


def _answer_changes(timeline_rows, questions):
    """Per answered question, what its answer changed (from the log entries' data); the
    timeline rows of answers get the names of the changed parts as a marker."""
    changes = {}
    for row in timeline_rows:
        entry = row["entry"]
        if entry.action != events.INFORMATION_PROVIDED:
            continue
        parts = answer_changes(entry.data, questions)
        request_id = (entry.data or {}).get("information_request")
        row["answer_of"] = request_id
        row["changed"] = [part["label"] for part in parts]
        if request_id is not None:
            changes[request_id] = parts
    return changes


def _list_navigation(request, application):
    """Previous, next and position in the staff list the user came from (its filters and
    sort are in the query string), or None if the application is not in that list."""
    call = application.call
    filters = filter_form(request.GET, call).filters()
    rows = queries.staff_application_rows(call, viewer=request.user, **filters)
    place = queries.position_in_list(rows, application.pk)
    if place is None:
        return None
    query = list_query(request.GET)
    suffix = f"?{query}" if query else ""

    def detail_url(pk):
        return reverse("staff_application_detail", kwargs={"pk": pk}) + suffix if pk else None

    return {
        **place,
        "previous_url": detail_url(place["previous_id"]),
        "next_url": detail_url(place["next_id"]),
        "list_url": reverse("staff_application_list", kwargs={"slug": call.slug}) + suffix,
        "query": query,
        "filtered": bool(query),
    }


def _render_detail(
    request, application, *, screening_form=None, information_form=None, comment_form=None
):
    information_requests = list(application.information_requests.all())
    open_request = next((item for item in information_requests if item.is_open), None)
    can_screen = application.state == ApplicationState.SUBMITTED and open_request is None
    can_ask = (
        application.state in ApplicationStateGroup.INFORMATION_REQUESTABLE and open_request is None
    )
    questions = proposal_questions(application.call)
    if screening_form is None and can_screen:
        screening_form = ScreeningForm(initial={"expected_state": application.state})
    if information_form is None and can_ask:
        information_form = InformationRequestForm(questions=questions)
    timeline = log_entries(queries.timeline(application, include_internal=True), ApplicationState)
    navigation = _list_navigation(request, application)
    return render(
        request,
        "grants/staff/application_detail.html",
        {
            "application": application,
            "call": application.call,
            "answers": answer_rows(application, questions=questions),
            "eligibility": eligibility_rows(application),
            "budget": application.budget(),
            "attachments": application.attachments.all(),
            "timeline": timeline,
            "comments": queries.internal_comments(application),
            "information_requests": _request_rows(
                information_requests, _answer_changes(timeline, questions), questions
            ),
            "open_request": open_request,
            "screening_form": screening_form if can_screen else None,
            "information_form": information_form if can_ask else None,
            "comment_form": comment_form or CommentForm(),
            "navigation": navigation,
            "list_query": navigation["query"] if navigation else list_query(request.GET),
        },
    )


def _request_rows(information_requests, changes, questions) -> list[dict]:
    """Each question to the applicant with the sections it unlocked and what the answer
    changed in them."""
    section_labels = dict(editable_section_choices(questions))
    return [
        {
            "request": item,
            "sections": [section_labels.get(name, name) for name in item.editable_sections],
            "changes": changes.get(item.pk),
        }
        for item in information_requests
    ]


def _back_to_detail(request, application, anchor=""):
    """The detail page again, in the list the user came from (its query string)."""
    query = list_query(request.GET)
    url = reverse("staff_application_detail", kwargs={"pk": application.pk})
    return redirect(url + (f"?{query}" if query else "") + anchor)


@role_required(Role.STAFF)
def application_detail(request, pk):
    return _render_detail(request, _staff_application(request, pk))


@role_required(Role.STAFF)
@require_POST
def screen(request, pk):
    application = _staff_application(request, pk)
    form = ScreeningForm(request.POST)
    if form.is_valid():
        eligible = form.cleaned_data["decision"] == "eligible"
        if eligible:
            text = _("%(reference)s is eligible. The applicant is informed by e-mail.")
        else:
            text = _("%(reference)s is ineligible. The applicant is informed by e-mail.")
        done = run_service(
            request,
            screen_application,
            form=form,
            success=text % {"reference": application.reference},
            application=application,
            actor=request.user,
            eligible=eligible,
            expected_state=form.cleaned_data["expected_state"],
            reasons=form.cleaned_data["reasons"] if not eligible else (),
            note=form.cleaned_data["note"],
        )
        if done.ok or done.stale:
            return _back_to_detail(request, application)
    return _render_detail(request, application, screening_form=form)


@role_required(Role.STAFF)
@require_POST
def request_information(request, pk):
    application = _staff_application(request, pk)
    form = InformationRequestForm(request.POST, questions=proposal_questions(application.call))
    if form.is_valid():
        done = run_service(
            request,
            request_information_service,
            form=form,
            success=_("Your question has been sent to the applicant by e-mail."),
            application=application,
            actor=request.user,
            question=form.cleaned_data["question"],
            due_on=form.cleaned_data["due_on"],
            editable_sections=form.cleaned_data["editable_sections"],
        )
        if done.ok:
            return _back_to_detail(request, application)
    return _render_detail(request, application, information_form=form)


@role_required(Role.STAFF)
@require_POST
def comment(request, pk):
    application = _staff_application(request, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        done = run_service(
            request,
            add_internal_comment,
            form=form,
            success=_("Your internal comment has been added."),
            application=application,
            actor=request.user,
            body=form.cleaned_data["body"],
        )
        if done.ok:
            return _back_to_detail(request, application, "#comments")
    return _render_detail(request, application, comment_form=form)
