"""The selection record of a decided call as a PDF, for programme staff."""

from django.http import HttpResponse

from accounts.access import get_permitted_object_or_404, role_required
from accounts.roles import Role
from core.identity import file_stem
from reporting.services.records import download_selection_record
from review.models import SelectionRecord


@role_required(Role.STAFF)
def selection_record(request, slug, language):
    record = get_permitted_object_or_404(
        request.user,
        "reporting.download_selection_record",
        SelectionRecord.objects.select_related("call__fund"),
        call__slug=slug,
    )
    content = download_selection_record(record=record, actor=request.user, language=language)
    name = f"{file_stem()}-selection-record-{record.call.slug}-{language}.pdf"
    return HttpResponse(
        content,
        content_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
