from functools import partial

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import get_permitted_object_or_404
from core.views import run_service
from grants.models import Application, Attachment
from grants.services.answers import remove_answer_file, store_answer_file
from grants.services.attachments import (
    add_attachment,
    private_storage,
    remove_attachment,
    safe_file_name,
)


@require_POST
@login_required
def upload(request, pk):
    """Upload on its own (the draft page uploads through its own form, saving the draft
    first, so that nothing typed is lost)."""
    application = get_permitted_object_or_404(
        request.user, "grants.edit_application", Application.objects.all(), pk=pk
    )
    store_uploaded_files(request, application)
    return redirect("application_edit", pk=application.pk)


def store_uploaded_files(request, application) -> None:
    """Store the files of the request's "file" field as attachments of ``application``."""
    store_each_upload(
        request,
        field="file",
        required=True,
        store=lambda uploaded: add_attachment(
            application=application, actor=request.user, uploaded_file=uploaded
        ),
    )


def store_each_upload(request, *, field, required, store) -> None:
    """For every upload form: each file of ``field`` goes through ``store`` (a service that
    calls grants.services.attachments.store_upload, which checks it, the quota and the
    upload limit); every outcome is a message, also for files the upload handler stopped
    while they arrived (grants.uploads.SizeLimitUploadHandler)."""
    files = request.FILES.getlist(field)  # parses the upload, if nothing did before
    refused = getattr(request, "refused_uploads", [])
    if not getattr(request, "refusals_reported", False):  # once, for every field of the form
        request.refusals_reported = True
        for name, reason in refused:
            messages.error(request, refused_upload_message(name, reason))
    if required and not files and not refused:
        messages.error(request, _no_file_message())
    for uploaded in files:
        run_service(request, partial(store, uploaded), success=_added_message)


def store_answer_files(request, application, questions) -> None:
    """The files chosen for the file questions of the draft form (saved just before)."""
    for question in questions:
        store_each_upload(
            request,
            field=question.field_name,
            required=False,
            store=lambda uploaded, question=question: store_answer_file(
                application=application,
                actor=request.user,
                question=question,
                uploaded_file=uploaded,
            ),
        )


def remove_one_answer_file(request, application, questions, key) -> None:
    question = next((q for q in questions if q.key == key), None)
    if question is None:
        return
    run_service(
        request,
        remove_answer_file,
        success=_("The file was removed from your answer."),
        application=application,
        actor=request.user,
        question=question,
    )


def remove_one_attachment(request, application, attachment_id) -> None:
    """Remove an attachment of ``application`` (through the service, which checks)."""
    attachment = application.attachments.filter(pk=attachment_id, removed_at__isnull=True).first()
    if attachment is None:
        return
    run_service(
        request,
        remove_attachment,
        success=_removed_message(attachment),
        attachment=attachment,
        actor=request.user,
    )


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
    run_service(request, remove_attachment, attachment=attachment, actor=request.user)
    return redirect("application_edit", pk=attachment.application_id)


@login_required
def download(request, pk):
    attachment = get_permitted_object_or_404(
        request.user,
        "grants.view_attachment",
        Attachment.objects.select_related("application", "milestone_report"),
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


def refused_upload_message(name, reason):
    if reason == "request_too_large":
        return _(
            "The upload was stopped because it was larger than %(limit)s. "
            "Upload files of at most %(file_limit)s, one at a time."
        ) % {
            "limit": filesizeformat(settings.UPLOAD_REQUEST_MAX_BYTES),
            "file_limit": filesizeformat(settings.ATTACHMENT_MAX_BYTES),
        }
    return _("“%(name)s” is too large; files may be at most %(limit)s. It was not stored.") % {
        "name": safe_file_name(name),
        "limit": filesizeformat(settings.ATTACHMENT_MAX_BYTES),
    }


def _no_file_message():
    return _("Choose a file to upload.")


def _removed_message(attachment):
    return _("“%(name)s” was removed.") % {"name": attachment.original_name}


def _added_message(attachment):
    return _("“%(name)s” was added.") % {"name": attachment.original_name}
