"""The staff list of a call's applications: filters, sorting, pages, exports (CSV for
machines, XLSX for spreadsheets) and bulk steps with a confirmation that says what will
happen. Thin: check the role, call one query or service, render."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext_lazy
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.roles import Role
from core.errors import WorkflowError
from grants import queries
from grants.export_columns import export_columns
from grants.exports import application_csv_rows, application_xlsx
from grants.forms.staff import ApplicationFilterForm, BulkTransitionForm
from grants.models import Call
from grants.presentation import state_label
from grants.questions import of_purpose
from grants.services.screening import (
    BulkRefused,
    bulk_transition_applications,
    plan_bulk_transition,
)
from grants.states import ApplicationState, ApplicationStateGroup, QuestionPurpose
from workflow.actions import transition_custom

PAGE_SIZE = 50
LIST_QUERY_KEYS = ("q", "state", "topic", "track", "sort", "page")

LIST_COLUMNS = (
    ("reference", pgettext_lazy("column heading", "Reference")),
    ("title", pgettext_lazy("column heading", "Title")),
    ("state", pgettext_lazy("column heading", "State")),
    ("amount", pgettext_lazy("column heading", "Requested")),
    ("submitted", pgettext_lazy("column heading", "Submitted")),
)


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


def _call(slug):
    return get_object_or_404(Call.objects.select_related("fund"), slug=slug)


def filter_form(query, call):
    return ApplicationFilterForm(query or None, topics=call.fund.topics.all())


def list_query(query) -> str:
    """The list's own parameters from a query string (known keys only, no page)."""
    given = QueryDict(query or "") if isinstance(query, str) else query
    kept = QueryDict(mutable=True)
    for key in LIST_QUERY_KEYS:
        if key != "page" and given.get(key):
            kept[key] = given[key]
    return kept.urlencode()


def _list_url(call, query=""):
    """The list page with the filters the user came from (known parameters only)."""
    url = reverse("staff_application_list", kwargs={"slug": call.slug})
    given = QueryDict(query or "")
    kept = QueryDict(mutable=True)
    for key in LIST_QUERY_KEYS:
        if given.get(key):
            kept[key] = given[key]
    return f"{url}?{kept.urlencode()}" if kept else url


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


def _render_list(request, call, query, *, selected=(), refusals=None, action=None):
    """The list page for the filters in ``query`` (a QueryDict). After a refused bulk step:
    the selection kept (checked on this page, carried along for the others) and the reason
    for each application the step was not possible for."""
    form = filter_form(query, call)
    filters = form.filters()
    applications = queries.staff_application_list(call, viewer=request.user, **filters)
    page = NarrowPaginator(applications, PAGE_SIZE).get_page(query.get("page"))
    columns = [q for q in of_purpose(queries.call_questions(call)) if q.in_staff_list]
    rows = queries.with_answer_texts(page.object_list, columns)
    counts, total = _state_counts(call, request.user)
    on_page = {application.pk for application in rows}
    selected = list(dict.fromkeys(selected))
    return render(
        request,
        "grants/staff/application_list.html",
        {
            "call": call,
            "form": form,
            "filters": filters,
            "filtered": any(filters[name] for name in ("state", "topic", "track", "search")),
            "page": page,
            "rows": rows,
            "answer_columns": columns,
            "page_range": page.paginator.get_elided_page_range(
                page.number, on_each_side=2, on_ends=1
            ),
            "headers": _sort_headers(filters["sort"]),
            "state_counts": counts,
            "total": total,
            "bulk_form": BulkTransitionForm(initial={"query": query.urlencode(), "action": action}),
            "detail_query": list_query(query),
            "list_params": query,
            "selected": set(selected),
            "selected_elsewhere": [pk for pk in selected if pk not in on_page],
            "refusals": refusals or {},
        },
    )


def _state_counts(call, viewer) -> tuple[list[dict], int]:
    """The applications of each state from submission on, with the state's label; and the
    number of all."""
    counts = queries.state_counts(call, viewer=viewer)
    rows = [
        {"state": state, "label": ApplicationState(state).label, "count": counts[state]}
        for state in ApplicationStateGroup.SUBMITTED_ONWARDS
        if state in counts
    ]
    return rows, sum(counts.values())


@role_required(Role.STAFF)
def application_list(request, slug):
    return _render_list(request, _call(slug), request.GET)


def _filtered(request, call):
    filters = filter_form(request.GET, call).filters()
    return queries.staff_application_list(call, viewer=request.user, **filters).prefetch_related(
        queries.answers_prefetch()
    )


def _export_questions(call) -> list:
    """The columns after the core ones: the proposal's questions, then the eligibility
    check's."""
    questions = list(queries.call_questions(call))
    return of_purpose(questions) + of_purpose(questions, QuestionPurpose.ELIGIBILITY)


def _export_name(call, extension):
    return f"{call.slug}-applications-{timezone.localdate().isoformat()}.{extension}"


@role_required(Role.STAFF)
def application_export(request, slug):
    """The filtered list (no pagination) as CSV for machines (comma, dot decimals, ISO
    dates), streamed row by row."""
    call = _call(slug)
    response = StreamingHttpResponse(
        application_csv_rows(
            _filtered(request, call),
            translation.get_language(),
            _export_questions(call),
            export_columns(call, request.user),
        ),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{_export_name(call, "csv")}"'
    return response


@role_required(Role.STAFF)
def application_export_xlsx(request, slug):
    """The filtered list as a spreadsheet with typed cells (numbers, dates), which opens the
    same in a German or English Excel or LibreOffice."""
    call = _call(slug)
    response = HttpResponse(
        application_xlsx(
            _filtered(request, call),
            translation.get_language(),
            title=call.title,
            questions=_export_questions(call),
            columns=export_columns(call, request.user),
        ),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_export_name(call, "xlsx")}"'
    return response


def move_summary(moves, *, done: bool) -> list[str]:
    """One sentence per (from, to) move, with its count: what will happen, or what did."""
    sentences = []
    for (from_state, to_state), count in sorted(moves.items()):
        names = {
            "count": count,
            "from": state_label(from_state, ApplicationState),
            "to": state_label(to_state, ApplicationState),
        }
        if done:
            text = ngettext(
                "%(count)s application moved from %(from)s to %(to)s.",
                "%(count)s applications moved from %(from)s to %(to)s.",
                count,
            )
        else:
            text = ngettext(
                "%(count)s application in the state %(from)s will be moved to %(to)s.",
                "%(count)s applications in the state %(from)s will be moved to %(to)s.",
                count,
            )
        sentences.append(text % names)
    return sentences


def bulk_summary(changes) -> str:
    return " ".join(move_summary(changes, done=True))


def _refused_message(refusals, selected_count):
    return ngettext(
        "Nothing was changed: this step is not possible for %(refused)s of the %(count)s "
        "selected application. Deselect it or choose another step.",
        "Nothing was changed: this step is not possible for %(refused)s of the %(count)s "
        "selected applications. Deselect them or choose another step.",
        selected_count,
    ) % {"refused": len(refusals), "count": selected_count}


@role_required(Role.STAFF)
@require_POST
def bulk_transition(request, slug):
    """Two steps without JavaScript: the first POST shows what will happen (or, if the step
    is not possible for some, the list again with the selection and the reasons); the
    confirmation POST carries it out, all or nothing."""
    call = _call(slug)
    form = BulkTransitionForm(request.POST)
    query = QueryDict(request.POST.get("query", "")[:2000])
    if not form.is_valid():
        messages.error(
            request,
            " ".join(form.errors.get("applications", []))
            or _("Choose an action and select applications from the list."),
        )
        return redirect(_list_url(call, query.urlencode()))
    ids = form.cleaned_data["applications"]
    action = form.cleaned_data["action"]
    if not ids:
        messages.error(request, _("Select at least one application."))
        return redirect(_list_url(call, query.urlencode()))
    try:
        if request.POST.get("confirmed") != "yes":
            return _show_bulk_plan(request, call, query, ids, action)
        changes = bulk_transition_applications(
            call=call, application_ids=ids, transition_name=action, actor=request.user
        )
    except BulkRefused as refused:
        messages.error(request, _refused_message(refused.refusals, len(ids)))
        return _render_list(
            request, call, query, selected=ids, refusals=refused.refusals, action=action
        )
    except WorkflowError as error:
        messages.error(request, error.message)
        return redirect(_list_url(call, query.urlencode()))
    messages.success(request, bulk_summary(changes))
    return redirect(_list_url(call, query.urlencode()))


def _show_bulk_plan(request, call, query, ids, action):
    """What the step will do (to confirm), or the list again with the reasons it cannot."""
    plan = plan_bulk_transition(
        call=call, application_ids=ids, transition_name=action, actor=request.user
    )
    if not plan.refusals:
        return _render_bulk_confirmation(request, call, plan, query)
    messages.error(request, _refused_message(plan.refusals, len(ids)))
    return _render_list(request, call, query, selected=ids, refusals=plan.refusals, action=action)


def _render_bulk_confirmation(request, call, plan, query):
    custom = transition_custom(type(plan.applications[0]), plan.transition_name)
    return render(
        request,
        "grants/staff/bulk_confirm.html",
        {
            "call": call,
            "plan": plan,
            "verb": custom["verb"],
            "sentences": move_summary(plan.moves, done=False),
            "count": len(plan.applications),
            "notifies": plan.transition_name == "mark_eligible",
            "query": query.urlencode(),
            "list_url": _list_url(call, query.urlencode()),
        },
    )
