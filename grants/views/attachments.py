from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import get_permitted_object_or_404
from grants.models import Application, Attachment
from grants.services.attachments import add_attachment, private_storage, remove_attachment
from workflow.errors import WorkflowError


@require_POST
@login_required
def upload(request, pk):
    application = get_permitted_object_or_404(
        request.user, "grants.edit_application", Application.objects.all(), pk=pk
    )
    files = request.FILES.getlist("file")
    if not files:
        messages.error(request, _no_file_message())
    for uploaded in files:
        try:
            attachment = add_attachment(
                application=application, actor=request.user, uploaded_file=uploaded
            )
        except WorkflowError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _added_message(attachment))
    return redirect("application_edit", pk=application.pk)


@require_POST
@login_required
def remove(request, pk):
    attachment = get_permitted_object_or_404(
        request.user,
        "grants.remove_attachment",
        Attachment.objects.select_related("application"),
        pk=pk,
        removed_at__isnull=True,
    )
    try:
        remove_attachment(attachment=attachment, actor=request.user)
    except WorkflowError as error:
        messages.error(request, error.message)
    return redirect("application_edit", pk=attachment.application_id)


@login_required
def download(request, pk):
    attachment = get_permitted_object_or_404(
        request.user,
        "grants.view_attachment",
        Attachment.objects.select_related("application"),
        pk=pk,
        removed_at__isnull=True,
    )
    storage = private_storage()
    if not storage.exists(attachment.stored_name):
        raise Http404
    # as_attachment with the sanitised name gives an RFC 6266 Content-Disposition header
    # (ASCII fallback plus filename*=UTF-8''…); nosniff is set by the security middleware.
    return FileResponse(
        storage.open(attachment.stored_name, "rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


def _no_file_message():
    return _("Choose a file to upload.")


def _added_message(attachment):
    return _("“%(name)s” was added.") % {"name": attachment.original_name}
