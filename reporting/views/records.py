"""The selection record of a decided call as a PDF: the full record for programme staff,
and the version that names funded projects only for the ministry (and staff who check
what the ministry reads), with the list of those records on the ministry's pages."""

from django.http import HttpResponse
from django.shortcuts import render

from accounts.access import get_permitted_object_or_404, role_required
from accounts.roles import Role
from core.identity import file_stem
from reporting import queries
from reporting.services.records import download_selection_record
from review.models import SelectionRecord


def _pdf(request, slug, language, *, permission, for_ministry, suffix):
    record = get_permitted_object_or_404(
        request.user,
        permission,
        SelectionRecord.objects.select_related("call__fund"),
        call__slug=slug,
    )
    content = download_selection_record(
        record=record, actor=request.user, language=language, for_ministry=for_ministry
    )
    name = f"{file_stem()}-selection-record-{record.call.slug}{suffix}-{language}.pdf"
    return HttpResponse(
        content,
        content_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@role_required(Role.STAFF)
def selection_record(request, slug, language):
    return _pdf(
        request,
        slug,
        language,
        permission="reporting.download_selection_record",
        for_ministry=False,
        suffix="",
    )


@role_required(Role.MINISTRY, Role.STAFF)
def ministry_selection_record(request, slug, language):
    return _pdf(
        request,
        slug,
        language,
        permission="reporting.download_ministry_selection_record",
        for_ministry=True,
        suffix="-ministry",
    )


@role_required(Role.MINISTRY, Role.STAFF)
def selection_records(request):
    return render(
        request,
        "reporting/selection_records.html",
        {"records": list(queries.selection_records_for(request.user))},
    )
