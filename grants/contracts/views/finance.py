"""The finance view of programme staff: payments released and waiting for the bank, a SEPA
credit-transfer file of them, recording the transfer, the totals per call and topic, and
the one page that shows clear bank details (every reading logged)."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.access import get_permitted_object_or_404, role_required
from accounts.roles import Role
from core.errors import WorkflowError
from core.views import add_service_errors
from grants.contracts import queries
from grants.contracts.forms import MarkPaidForm, SepaExportForm
from grants.contracts.services.finance import mark_paid, read_bank_details, sepa_transfer_file
from grants.models import Call, Grant, Topic


def _totals():
    rows = queries.money_by_call_and_topic()
    calls = Call.objects.in_bulk({row["call_id"] for row in rows})
    topics = Topic.objects.in_bulk({row["topic_id"] for row in rows if row["topic_id"]})
    return [
        {**row, "call": calls[row["call_id"]], "topic": topics.get(row["topic_id"])}
        for row in sorted(rows, key=lambda row: (row["call_id"], row["topic_id"] or 0))
    ]


@role_required(Role.STAFF)
def finance(request, sepa_form=None, paid_form=None):
    return render(
        request,
        "grants/staff/grants/finance.html",
        {
            "to_transfer": queries.payments_to_transfer(viewer=request.user),
            "recent_paid": queries.recent_paid(viewer=request.user),
            "totals": _totals(),
            "sepa_form": sepa_form
            or SepaExportForm(initial={"execution_date": timezone.localdate()}),
            "paid_form": paid_form or MarkPaidForm(initial={"paid_on": timezone.localdate()}),
        },
    )


@role_required(Role.STAFF)
@require_POST
def sepa_export(request):
    waiting = queries.payments_to_transfer(viewer=request.user)
    form = SepaExportForm(request.POST, payment_ids=[p.pk for p in waiting])
    if form.is_valid():
        try:
            xml, filename = sepa_transfer_file(
                actor=request.user,
                payment_ids=form.cleaned_data["payments"],
                execution_date=form.cleaned_data["execution_date"],
            )
        except WorkflowError as error:
            messages.error(request, error.message)
        else:
            response = HttpResponse(xml, content_type="application/xml")
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
            response["Cache-Control"] = "private, no-store"
            return response
    else:
        messages.error(request, _("Select at least one payment and an execution date."))
    return redirect("staff_finance")


@role_required(Role.STAFF)
@require_POST
def payments_mark_paid(request):
    waiting = queries.payments_to_transfer(viewer=request.user)
    form = MarkPaidForm(request.POST, milestone_ids=[p.milestone_id for p in waiting])
    if form.is_valid():
        try:
            recorded = mark_paid(
                actor=request.user,
                milestone_ids=form.cleaned_data["milestones"],
                paid_on=form.cleaned_data["paid_on"],
                bank_reference=form.cleaned_data["bank_reference"],
            )
        except WorkflowError as error:
            messages.error(request, error.message)
            add_service_errors(form, error)
            return finance(request, paid_form=form)
        messages.success(
            request,
            ngettext(
                "%(count)s payment marked as paid.",
                "%(count)s payments marked as paid.",
                len(recorded),
            )
            % {"count": len(recorded)},
        )
        return redirect("staff_finance")
    messages.error(request, _("Nothing was marked as paid: please correct the marked fields."))
    return finance(request, paid_form=form)


@role_required(Role.STAFF)
def bank_details(request, pk):
    grant = get_permitted_object_or_404(
        request.user,
        "grants.manage_payments",
        Grant.objects.select_related("application__owner"),
        pk=pk,
    )
    try:
        details = read_bank_details(grant=grant, actor=request.user)
    except WorkflowError as error:
        messages.error(request, error.message)
        return redirect("staff_finance")
    response = render(
        request, "grants/staff/grants/bank_details.html", {"grant": grant, "details": details}
    )
    response["Cache-Control"] = "private, no-store"
    return response
