"""The finance pages of programme staff: released payments (on hold while an account waits
for confirmation), SEPA transfer files recorded as batches (review the selection and its
total, make the file, download it again, record the bank's execution or cancel it), the
totals per call and topic, and the one page that shows clear bank details (every reading
logged), where an account is confirmed after calling the grantee back."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_POST

from accounts.access import get_permitted_object_or_404, may, role_required
from accounts.roles import Role
from core.errors import WorkflowError
from core.views import run_service
from grants.contracts import queries
from grants.contracts.forms import (
    BatchCancelForm,
    BatchPaidForm,
    ConfirmBankDetailsForm,
    SepaExportForm,
)
from grants.contracts.services.bank_details import confirm_bank_details
from grants.contracts.services.batches import (
    batch_file,
    cancel_sepa_batch,
    export_sepa_batch,
    mark_sepa_batch_paid,
)
from grants.contracts.services.finance import read_bank_details
from grants.models import BankDetailsCheck, Call, Grant, Topic
from grants.presentation import log_entries
from grants.states import BankCheckState, SepaBatchState


def _totals():
    rows = queries.money_by_call_and_topic()
    calls = Call.objects.in_bulk({row["call_id"] for row in rows})
    topics = Topic.objects.in_bulk({row["topic_id"] for row in rows if row["topic_id"]})
    return [
        {**row, "call": calls[row["call_id"]], "topic": topics.get(row["topic_id"])}
        for row in sorted(rows, key=lambda row: (row["call_id"], row["topic_id"] or 0))
    ]


def _transfer_rows(user):
    """Payments waiting for a transfer file, each with why ``user`` may not export it."""
    rows = list(queries.payments_to_transfer(viewer=user))
    for payment in rows:
        payment.blocked = queries.exportable_by(payment, user)
    return rows


@role_required(Role.STAFF)
def finance(request, sepa_form=None):
    rows = _transfer_rows(request.user)
    return render(
        request,
        "grants/staff/grants/finance.html",
        {
            "to_transfer": rows,
            "exportable": [row for row in rows if not row.blocked],
            "accounts_to_confirm": queries.accounts_to_confirm(viewer=request.user),
            "batches": queries.sepa_batches(viewer=request.user),
            "recent_paid": queries.recent_paid(viewer=request.user),
            "totals": _totals(),
            "four_eyes": settings.PAYMENTS_FOUR_EYES,
            "sepa_form": sepa_form
            or SepaExportForm(initial={"execution_date": timezone.localdate()}),
        },
    )


def _selection(request):
    """The SEPA form bound to what was posted, offering only the payments ``request.user``
    may export now, and the selected rows."""
    rows = [row for row in _transfer_rows(request.user) if not row.blocked]
    form = SepaExportForm(request.POST, payment_ids=[row.pk for row in rows])
    if not form.is_valid():
        return form, []
    chosen = set(form.cleaned_data["payments"])
    return form, [row for row in rows if row.pk in chosen]


@role_required(Role.STAFF)
@require_POST
def sepa_review(request):
    """Step one: what the file would hold, with its total, before anything is recorded."""
    form, selected = _selection(request)
    if not selected:
        messages.error(
            request,
            _("Select at least one payment that you may export, and an execution date."),
        )
        return finance(request, sepa_form=form)
    return render(
        request,
        "grants/staff/grants/sepa_review.html",
        {
            "form": form,
            "selected": selected,
            "total": sum(row.amount for row in selected),
            "execution_date": form.cleaned_data["execution_date"],
        },
    )


@role_required(Role.STAFF)
@require_POST
def sepa_export(request):
    """Step two: record the batch and make its file; the batch page offers the download."""
    form, selected = _selection(request)
    if not selected:
        messages.error(
            request,
            _(
                "No transfer file was made: some of the payments are no longer waiting (another "
                "file may hold them now). Please choose again."
            ),
        )
        return redirect("staff_finance")
    done = run_service(
        request,
        export_sepa_batch,
        success=lambda batch: (
            _(
                "The transfer file %(batch)s is recorded; its payments are in transfer and go into no "
                "other file. Download it below and upload it to the bank."
            )
            % {"batch": batch.message_id}
        ),
        actor=request.user,
        payment_ids=[row.pk for row in selected],
        execution_date=form.cleaned_data["execution_date"],
    )
    if not done.ok:
        return redirect("staff_finance")
    return redirect("staff_sepa_batch", pk=done.result.pk)


def _batch(request, pk, permission="grants.view_batch"):
    return get_permitted_object_or_404(request.user, permission, queries.sepa_batch_detail(), pk=pk)


@role_required(Role.STAFF)
def batch_detail(request, pk, paid_form=None, cancel_form=None):
    batch = _batch(request, pk)
    exported = batch.state == SepaBatchState.EXPORTED
    initial = {"expected_state": batch.state}
    return render(
        request,
        "grants/staff/grants/sepa_batch.html",
        {
            "batch": batch,
            "items": list(batch.items.all()),
            "log": log_entries(queries.sepa_batch_log(batch), SepaBatchState),
            "may_mark_paid": exported and may(request.user, "grants.mark_batch_paid", batch),
            "paid_form": paid_form
            or BatchPaidForm(initial={**initial, "paid_on": timezone.localdate()}),
            "cancel_form": cancel_form or BatchCancelForm(initial=initial),
            "exported": exported,
        },
    )


@role_required(Role.STAFF)
@sensitive_variables("content")
def batch_download(request, pk):
    batch = _batch(request, pk, "grants.download_batch")
    try:
        content = batch_file(batch=batch, actor=request.user)
    except WorkflowError as error:
        messages.error(request, error.message)
        return redirect("staff_sepa_batch", pk=batch.pk)
    response = HttpResponse(content, content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="{batch.file_name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@role_required(Role.STAFF)
@require_POST
def batch_mark_paid(request, pk):
    batch = _batch(request, pk)
    form = BatchPaidForm(request.POST)
    if form.is_valid():
        done = run_service(
            request,
            mark_sepa_batch_paid,
            form=form,
            success=_("The transfer file %(batch)s is recorded as paid.") % {"batch": batch},
            batch=batch,
            actor=request.user,
            paid_on=form.cleaned_data["paid_on"],
            bank_reference=form.cleaned_data["bank_reference"],
            expected_state=form.cleaned_data["expected_state"],
        )
        if done.ok or done.stale:
            return redirect("staff_sepa_batch", pk=batch.pk)
    else:
        messages.error(request, _("Nothing was marked as paid: please correct the marked fields."))
    return batch_detail(request, pk, paid_form=form)


@role_required(Role.STAFF)
@require_POST
def batch_cancel(request, pk):
    batch = _batch(request, pk)
    form = BatchCancelForm(request.POST)
    if form.is_valid():
        done = run_service(
            request,
            cancel_sepa_batch,
            form=form,
            success=_("The transfer file %(batch)s is cancelled; its payments wait for a new file.")
            % {"batch": batch},
            batch=batch,
            actor=request.user,
            reason=form.cleaned_data["reason"],
            expected_state=form.cleaned_data["expected_state"],
        )
        if done.ok or done.stale:
            return redirect("staff_sepa_batch", pk=batch.pk)
    else:
        messages.error(request, _("The file was not cancelled: please correct the marked fields."))
    return batch_detail(request, pk, cancel_form=form)


@role_required(Role.STAFF)
@sensitive_variables("details")
def bank_details(request, pk, confirm_form=None):
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
    checks = list(queries.bank_checks_of(grant))
    pending = next((c for c in checks if c.state == BankCheckState.PENDING), None)
    response = render(
        request,
        "grants/staff/grants/bank_details.html",
        {
            "grant": grant,
            "details": details,
            "checks": checks,
            "pending": pending,
            "confirm_form": confirm_form
            or ConfirmBankDetailsForm(initial={"expected_state": BankCheckState.PENDING}),
        },
    )
    response["Cache-Control"] = "private, no-store"
    return response


@role_required(Role.STAFF)
@require_POST
def bank_details_confirm(request, pk):
    check = get_permitted_object_or_404(
        request.user,
        "grants.confirm_bank_details",
        BankDetailsCheck.objects.select_related("grant__application"),
        pk=pk,
    )
    form = ConfirmBankDetailsForm(request.POST)
    if form.is_valid():
        done = run_service(
            request,
            confirm_bank_details,
            form=form,
            success=_(
                "The account of %(reference)s is confirmed; its payments are no longer on hold."
            )
            % {"reference": check.grant.funding_reference},
            check=check,
            actor=request.user,
            note=form.cleaned_data["note"],
            expected_state=form.cleaned_data["expected_state"],
        )
        if done.ok:
            return redirect("staff_finance")
        if not done.stale:
            return bank_details(request, check.grant_id, confirm_form=form)
    else:
        messages.error(
            request, _("The account was not confirmed: please correct the marked fields.")
        )
        return bank_details(request, check.grant_id, confirm_form=form)
    return redirect("staff_bank_details", pk=check.grant_id)
