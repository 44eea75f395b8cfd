"""Budget years, the monthly cash-flow forecast and drawdown requests (staff), and the
drawdown files (staff and ministry). The ministry's history page is reporting's."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import get_permitted_object_or_404, may, role_required
from accounts.roles import Role
from core.storage import private_storage
from core.views import run_service
from grants.contracts import budget_queries
from grants.contracts.forms import DrawdownForm
from grants.contracts.services.drawdowns import make_drawdown, the_fund
from grants.models import Drawdown
from grants.money import add_months

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@role_required(Role.STAFF)
def budget(request):
    if not may(request.user, "grants.make_drawdown"):
        raise Http404
    fund = the_fund()
    today = timezone.localdate()
    next_month = add_months(today.replace(day=1), 1)
    form = DrawdownForm(
        request.POST or None,
        initial={
            "period_start": next_month,
            "period_end": add_months(next_month, 1) - timezone.timedelta(days=1),
            "language": (request.LANGUAGE_CODE or "de")[:2],
        },
    )
    if request.method == "POST" and form.is_valid():
        outcome = run_service(
            request,
            make_drawdown,
            form=form,
            actor=request.user,
            success=lambda drawdown: (
                _("Drawdown request %(reference)s has been recorded.")
                % {"reference": drawdown.reference}
            ),
            **form.cleaned_data,
        )
        if outcome.ok:
            return redirect("staff_budget_years")
    elif request.method == "POST":
        messages.error(
            request, _("The drawdown request was not made: please correct the marked fields.")
        )
    context = budget_queries.budget_overview(fund, today) if fund else {}
    return render(request, "grants/staff/grants/budget.html", {"form": form, **context})


@role_required(Role.STAFF, Role.MINISTRY)
def drawdown_file(request, pk, fmt):
    drawdown = get_permitted_object_or_404(
        request.user, "grants.view_drawdowns", Drawdown.objects.select_related("fund"), pk=pk
    )
    name, content_type = (
        (drawdown.pdf_name, "application/pdf") if fmt == "pdf" else (drawdown.xlsx_name, XLSX)
    )
    response = FileResponse(
        private_storage().open(name, "rb"),
        as_attachment=True,
        filename=drawdown.file_name(fmt),
        content_type=content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response
