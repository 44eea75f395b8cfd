"""The ministry's pages (ministry viewers and programme staff): the dashboard with its
filters, tables, charts and downloads; the archive of reports and the quarterly
subscription; one page per funded project."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import get_permitted_object_or_404, may, role_required
from accounts.roles import Role
from core.identity import file_stem
from core.views import run_service
from reporting import data as report_data
from reporting import queries
from reporting.exports import table_csv, tables_xlsx
from reporting.forms import ReportFilterForm, ReportRequestForm, SubscriptionForm
from reporting.project_texts import load_project_texts
from reporting.report import build_report, build_table, project_page
from reporting.services.reports import report_file, request_report
from reporting.services.subscriptions import subscribe, unsubscribe

ARCHIVE_PAGE_SIZE = 25
READERS = (Role.MINISTRY, Role.STAFF)


def _language() -> str:
    return (get_language() or "de")[:2]


def _filter_form(request, data, form_class=ReportFilterForm, **kwargs):
    return form_class(
        kwargs.pop("bound", request.GET or None),
        calls=data.ordered_calls(),
        topics=data.ordered_topics(),
        language=_language(),
        **kwargs,
    )


def _made_now(data) -> dict:
    """The language, day, time and fund of a report made for this request."""
    return {
        "language": _language(),
        "today": timezone.localdate(),
        "made_at": timezone.now(),
        "fund_name": data.fund_name,
    }


def _report(data, selection):
    return build_report(data, selection, **_made_now(data))


@role_required(*READERS)
def dashboard(request):
    data = report_data.load(viewer=request.user)
    form = _filter_form(request, data)
    selection = form.selection()
    report = _report(data, selection)
    request_form = _filter_form(
        request,
        data,
        ReportRequestForm,
        bound=None,
        initial={**selection.params(), "language": _language(), "appendix": True},
    )
    return render(
        request,
        "reporting/dashboard.html",
        {
            "form": form,
            "filtered": bool(selection.query_string()),
            "query": selection.query_string(),
            "report": report,
            "request_form": request_form,
            "recent": list(queries.archived_reports_for(request.user)[:5]),
            "perms_set_targets": may(request.user, "reporting.set_targets"),
        },
    )


@role_required(*READERS)
def export(request, table, fmt):
    data = report_data.load(viewer=request.user)
    form = _filter_form(request, data)
    if form.is_bound and not form.is_valid():
        raise Http404
    selection = form.selection()
    stamp = f"{selection.file_label()}-{timezone.localdate().isoformat()}"
    if table == "all" and fmt == "xlsx":
        report = _report(data, selection)
        # The appendix's index repeats columns of "Funded projects": one sheet of them.
        tables = [each for key, each in report.tables.items() if key != "project_index"]
        content = tables_xlsx(tables, about=_about(report))
        return _download(content, f"{file_stem()}-report{stamp}.xlsx", fmt)
    # One table: only what it needs is computed, not the whole report.
    one = build_table(data, selection, table, **_made_now(data))
    if one is None:
        raise Http404
    if fmt == "csv":
        return _download(table_csv(one.table), f"{file_stem()}-{table}{stamp}.csv", fmt)
    return _download(
        tables_xlsx([one.table], about=_about(one)),
        f"{file_stem()}-{table}{stamp}.xlsx",
        fmt,
    )


def _about(report) -> list[tuple[str, str]]:
    """The first sheet of an export; ``report`` is a Report or a TableExport."""
    made = timezone.localtime(report.made_at).strftime("%Y-%m-%d %H:%M")
    return [
        (_("About"), _("About this export")),
        (_("Fund"), report.fund_name),
        *report.scope,
        (_("Made"), made),
    ]


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _download(content, file_name: str, fmt: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response


@role_required(*READERS)
def reports(request):
    """The archive (GET) and a new report of the chosen selection (POST)."""
    data = report_data.load() if request.method == "POST" else None
    if request.method == "POST":
        form = _filter_form(request, data, ReportRequestForm, bound=request.POST)
        if form.is_valid():
            done = run_service(
                request,
                request_report,
                actor=request.user,
                selection=form.selection(),
                language=form.cleaned_data["language"],
                appendix=form.cleaned_data["appendix"],
            )
            if done.ok:
                return redirect("ministry_report", pk=done.result.pk)
        else:
            messages.error(request, _("The report was not made: please correct the selection."))
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
        return redirect("ministry_reports")
    page = Paginator(queries.archived_reports_for(request.user), ARCHIVE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "reporting/reports.html",
        {
            "page": page,
            "subscription": queries.subscription_of(request.user),
            "may_subscribe": may(request.user, "reporting.subscribe"),
        },
    )


def _archived(request, pk):
    return get_permitted_object_or_404(
        request.user, "reporting.view_archived_report", queries.archived_report(pk), pk=pk
    )


@role_required(*READERS)
def report_detail(request, pk):
    report = _archived(request, pk)
    return render(request, "reporting/report_detail.html", {"archived": report})


@role_required(*READERS)
def report_status(request, pk):
    """What the report's page polls while the report is being made."""
    report = _archived(request, pk)
    return JsonResponse(
        {
            "status": report.status,
            "status_label": report.get_status_display(),
            "progress": report.progress,
            "download": reverse("ministry_report_download", args=[report.pk])
            if report.is_done
            else None,
        }
    )


@role_required(*READERS)
def report_download(request, pk):
    report = _archived(request, pk)
    if not report.is_done:
        raise Http404
    return FileResponse(
        report_file(report),
        as_attachment=True,
        filename=report.file_name,
        content_type="application/pdf",
    )


@role_required(Role.MINISTRY)
@require_POST
def subscription(request):
    form = SubscriptionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please choose whether to subscribe or to unsubscribe."))
        return redirect("ministry_reports")
    if form.cleaned_data["action"] == "subscribe":
        run_service(
            request,
            subscribe,
            success=_("You will receive the report of each quarter by e-mail when it has ended."),
            user=request.user,
            language=form.cleaned_data["language"] or _language(),
        )
    else:
        run_service(
            request,
            unsubscribe,
            success=_("You will no longer receive the quarterly report."),
            user=request.user,
        )
    return redirect("ministry_reports")


@role_required(*READERS)
def project(request, pk):
    grant = get_permitted_object_or_404(
        request.user,
        "reporting.view_project",
        queries.funded_projects_for(request.user).select_related("application"),
        pk=pk,
    )
    data = report_data.load(viewer=request.user)
    page = project_page(
        data,
        grant.pk,
        language=_language(),
        today=timezone.localdate(),
        texts=load_project_texts([grant.pk]),
    )
    if page is None:
        raise Http404
    return render(request, "reporting/project.html", {"project": page})
