"""Pages of programme staff: calls, the application list, screening. Thin: check the role,
call one query or service, render. Every write goes through grants.services."""

import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import QueryDict, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from django_fsm import can_proceed

from accounts.access import get_permitted_object_or_404, role_required
from accounts.roles import Role
from grants import queries
from grants.exports import application_csv_rows
from grants.forms.staff import (
    ApplicationFilterForm,
    BulkTransitionForm,
    CallForm,
    CallTransitionForm,
    CommentForm,
    InformationRequestForm,
    ScreeningForm,
    editable_section_choices,
)
from grants.models import Call, Fund
from grants.presentation import log_entries, state_label
from grants.services.calls import CALL_TRANSITIONS, save_call, transition_call
from grants.services.screening import (
    add_internal_comment,
    bulk_transition_applications,
    screen_application,
)
from grants.services.screening import request_information as request_information_service
from grants.states import (
    WORD_LIMITS,
    ApplicationState,
    ApplicationStateGroup,
    CallState,
)
from workflow.actions import transition_custom
from workflow.errors import StaleObjectError, WorkflowError

PAGE_SIZE = 50
LIST_QUERY_KEYS = ("q", "state", "topic", "track", "sort", "page")

LIST_COLUMNS = (
    ("reference", gettext_lazy("Reference")),
    ("title", gettext_lazy("Title")),
    ("state", gettext_lazy("State")),
    ("amount", gettext_lazy("Requested")),
    ("submitted", gettext_lazy("Submitted")),
)


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
        Fund.objects.filter(reference_prefix="CTF").first() or Fund.objects.order_by("pk").first()
    )


def _save_call_form(request, form, call, *, reason=""):
    """Save through the service; returns the saved call, or None with errors on the form."""
    try:
        return save_call(call=call, actor=request.user, changes=form.changes(), reason=reason)
    except ValidationError as error:
        form.add_service_errors(error.message_dict)
    except WorkflowError as error:
        messages.error(request, error.message)
        form.add_service_errors(error.field_errors)
    return None


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
            "log": log_entries(queries.call_log(call), CallState),
        },
    )


@role_required(Role.STAFF)
@require_POST
def call_transition(request, slug):
    call = get_object_or_404(Call.objects.select_related("fund"), slug=slug)
    form = CallTransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Unknown action."))
        return redirect("staff_call_edit", slug=call.slug)
    try:
        call = transition_call(
            call=call,
            actor=request.user,
            transition_name=form.cleaned_data["transition"],
            expected_state=form.cleaned_data["expected_state"],
        )
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The call is now in the state “%(state)s”.") % {"state": call.get_state_display()},
        )
    return redirect("staff_call_edit", slug=call.slug)


# ---------------------------------------------------------------------------------------
# Application list, export, bulk transitions


class NarrowPaginator(Paginator):
    """Django's Paginator, but a page is fetched through queries.page_of (sorted and sliced on
    primary keys first), so that the page costs the same with 100 or 10,000 applications."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(queries.page_of(self.object_list, bottom, top), number, self)


def _filter_form(request, call):
    return ApplicationFilterForm(request.GET or None, topics=call.fund.topics.all())


def _sort_headers(current_sort):
    headers = []
    for key, label in LIST_COLUMNS:
        if current_sort == key:
            aria_sort, next_sort = "ascending", f"-{key}"
        elif current_sort == f"-{key}":
            aria_sort, next_sort = "descending", key
        else:
            aria_sort, next_sort = "", key
        headers.append({"key": key, "label": label, "aria_sort": aria_sort, "next_sort": next_sort})
    return headers


@role_required(Role.STAFF)
def application_list(request, slug):
    call = get_object_or_404(Call.objects.select_related("fund"), slug=slug)
    form = _filter_form(request, call)
    filters = form.filters()
    applications = queries.staff_application_list(call, viewer=request.user, **filters)
    page = NarrowPaginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = queries.state_counts(call, viewer=request.user)
    return render(
        request,
        "grants/staff/application_list.html",
        {
            "call": call,
            "form": form,
            "filters": filters,
            "filtered": any(filters[name] for name in ("state", "topic", "track", "search")),
            "page": page,
            "page_range": page.paginator.get_elided_page_range(
                page.number, on_each_side=2, on_ends=1
            ),
            "headers": _sort_headers(filters["sort"]),
            "state_counts": [
                {"state": state, "label": ApplicationState(state).label, "count": counts[state]}
                for state in ApplicationStateGroup.SUBMITTED_ONWARDS
                if state in counts
            ],
            "total": sum(counts.values()),
            "bulk_form": BulkTransitionForm(initial={"query": request.GET.urlencode()}),
        },
    )


@role_required(Role.STAFF)
def application_export(request, slug):
    """The filtered list (no pagination) as CSV, streamed row by row."""
    call = get_object_or_404(Call.objects.select_related("fund"), slug=slug)
    filters = _filter_form(request, call).filters()
    applications = queries.staff_application_list(call, viewer=request.user, **filters)
    response = StreamingHttpResponse(
        application_csv_rows(applications, translation.get_language()),
        content_type="text/csv; charset=utf-8",
    )
    filename = f"{call.slug}-applications-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _list_url(call, query=""):
    """The list page with the filters the user came from (known parameters only)."""
    url = reverse("staff_application_list", kwargs={"slug": call.slug})
    given = QueryDict(query or "")
    kept = QueryDict(mutable=True)
    for key in LIST_QUERY_KEYS:
        if given.get(key):
            kept[key] = given[key]
    return f"{url}?{kept.urlencode()}" if kept else url


def bulk_summary(changes) -> str:
    parts = []
    for (from_state, to_state), count in sorted(changes.items()):
        parts.append(
            ngettext(
                "%(count)s application moved from %(from)s to %(to)s.",
                "%(count)s applications moved from %(from)s to %(to)s.",
                count,
            )
            % {
                "count": count,
                "from": state_label(from_state, ApplicationState),
                "to": state_label(to_state, ApplicationState),
            }
        )
    return " ".join(parts)


@role_required(Role.STAFF)
@require_POST
def bulk_transition(request, slug):
    call = get_object_or_404(Call.objects.select_related("fund"), slug=slug)
    form = BulkTransitionForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            " ".join(form.errors.get("applications", []))
            or _("Choose an action and select applications from the list."),
        )
        return redirect(_list_url(call, request.POST.get("query", "")))
    try:
        changes = bulk_transition_applications(
            call=call,
            application_ids=form.cleaned_data["applications"],
            transition_name=form.cleaned_data["action"],
            actor=request.user,
        )
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, bulk_summary(changes))
    return redirect(_list_url(call, form.cleaned_data["query"]))


# ---------------------------------------------------------------------------------------
# Application detail, screening, questions, comments


def _staff_application(request, pk):
    """The application as the user sees it as staff (grants/visibility.py: never a draft), or
    404. What they may do with it is the service's question."""
    return get_permitted_object_or_404(
        request.user, "grants.view_application_as_staff", queries.application_detail(pk), pk=pk
    )


def _render_detail(
    request, application, *, screening_form=None, information_form=None, comment_form=None
):
    information_requests = list(application.information_requests.all())
    open_request = next((item for item in information_requests if item.is_open), None)
    can_screen = application.state == ApplicationState.SUBMITTED and open_request is None
    can_ask = (
        application.state in ApplicationStateGroup.INFORMATION_REQUESTABLE and open_request is None
    )
    if screening_form is None and can_screen:
        screening_form = ScreeningForm(initial={"expected_state": application.state})
    if information_form is None and can_ask:
        information_form = InformationRequestForm()
    section_labels = dict(editable_section_choices())
    return render(
        request,
        "grants/staff/application_detail.html",
        {
            "application": application,
            "call": application.call,
            "sections": [
                {
                    "name": name,
                    "label": application._meta.get_field(name).verbose_name,
                    "text": getattr(application, name),
                    "limit": limit,
                }
                for name, limit in WORD_LIMITS.items()
            ],
            "budget": application.budget(),
            "attachments": application.attachments.all(),
            "timeline": log_entries(
                queries.timeline(application, include_internal=True), ApplicationState
            ),
            "comments": queries.internal_comments(application),
            "information_requests": [
                {
                    "request": item,
                    "sections": [section_labels.get(name, name) for name in item.editable_sections],
                }
                for item in information_requests
            ],
            "open_request": open_request,
            "screening_form": screening_form if can_screen else None,
            "information_form": information_form if can_ask else None,
            "comment_form": comment_form or CommentForm(),
        },
    )


def _add_service_errors(form, error):
    for field, field_messages in error.field_errors.items():
        for message in field_messages:
            form.add_error(field if field in form.fields else None, message)


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
        try:
            screen_application(
                application=application,
                actor=request.user,
                eligible=eligible,
                expected_state=form.cleaned_data["expected_state"],
                reasons=form.cleaned_data["reasons"] if not eligible else (),
                note=form.cleaned_data["note"],
            )
        except StaleObjectError as error:
            messages.error(request, error.message)
            return redirect("staff_application_detail", pk=application.pk)
        except WorkflowError as error:
            messages.error(request, error.message)
            _add_service_errors(form, error)
        else:
            if eligible:
                text = _("%(reference)s is eligible. The applicant is informed by e-mail.")
            else:
                text = _("%(reference)s is ineligible. The applicant is informed by e-mail.")
            messages.success(request, text % {"reference": application.reference})
            return redirect("staff_application_detail", pk=application.pk)
    return _render_detail(request, application, screening_form=form)


@role_required(Role.STAFF)
@require_POST
def request_information(request, pk):
    application = _staff_application(request, pk)
    form = InformationRequestForm(request.POST)
    if form.is_valid():
        try:
            request_information_service(
                application=application,
                actor=request.user,
                question=form.cleaned_data["question"],
                due_on=form.cleaned_data["due_on"],
                editable_sections=form.cleaned_data["editable_sections"],
            )
        except WorkflowError as error:
            messages.error(request, error.message)
            _add_service_errors(form, error)
        else:
            messages.success(request, _("Your question has been sent to the applicant by e-mail."))
            return redirect("staff_application_detail", pk=application.pk)
    return _render_detail(request, application, information_form=form)


@role_required(Role.STAFF)
@require_POST
def comment(request, pk):
    application = _staff_application(request, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            add_internal_comment(
                application=application, actor=request.user, body=form.cleaned_data["body"]
            )
        except WorkflowError as error:
            messages.error(request, error.message)
            _add_service_errors(form, error)
        else:
            messages.success(request, _("Your internal comment has been added."))
            return redirect(
                reverse("staff_application_detail", kwargs={"pk": application.pk}) + "#comments"
            )
    return _render_detail(request, application, comment_form=form)
