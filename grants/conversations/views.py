"""Pages of conversations: an application's thread (its team and programme staff), and the
staff's announcements (written, previewed with the exact number of recipients, sent). Thin:
check, call one query or service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from accounts.access import get_permitted_object_or_404, role_required
from accounts.roles import Role
from core.views import run_service
from grants.conversations import queries
from grants.conversations.forms import AnnouncementForm, MessageForm
from grants.conversations.services.announcements import (
    RecipientsChanged,
    plan_announcement,
    send_announcement,
)
from grants.conversations.services.messages import mark_read, send_message
from grants.models import Announcement, Application
from grants.states import ATTACHMENTS_PER_MESSAGE, MessageKind
from grants.views.attachments import refused_upload_message


def _thread_application(request, pk):
    return get_permitted_object_or_404(
        request.user,
        "grants.view_conversation",
        Application.objects.select_related("call", "owner", "grant"),
        pk=pk,
    )


@login_required
@require_http_methods(["GET", "POST"])
def conversation(request, pk):
    """The thread of an application: read it (which marks it read) and write in it."""
    application = _thread_application(request, pk)
    form = MessageForm(request.POST or None)
    if request.method == "POST":
        files = request.FILES.getlist("files")
        refused = getattr(request, "refused_uploads", [])
        for name, reason in refused:
            messages.error(request, refused_upload_message(name, reason))
        if form.is_valid() and not refused:
            done = run_service(
                request,
                send_message,
                form=form,
                success=_("Your message has been sent."),
                application=application,
                actor=request.user,
                body=form.cleaned_data["body"],
                files=files,
            )
            if done.ok:
                url = reverse("conversation", args=[application.pk])
                return redirect(f"{url}#message-{done.result.pk}")
        else:
            messages.error(
                request,
                _("Your message was not sent. Please correct the marked field; your text is kept."),
            )
        if files or refused:
            messages.info(request, _("Please choose the files again: browsers do not keep them."))
    return _render_thread(request, application, form)


def _render_thread(request, application, form):
    side = queries.conversation_side(request.user, application)
    last_read = queries.read_at(application, request.user)
    entries = [
        {
            "message": message,
            "is_new": message.author_id != request.user.pk
            and (last_read is None or message.created_at > last_read),
            "is_question": message.kind == MessageKind.QUESTION,
            "is_answer": message.kind == MessageKind.ANSWER,
        }
        for message in queries.thread(application)
    ]
    if request.method == "GET":
        mark_read(application=application, user=request.user)
    grant = getattr(application, "grant", None)
    return render(
        request,
        "grants/conversations/thread.html",
        {
            "application": application,
            "grant": grant if grant is not None and grant.offered_at else None,
            "entries": entries,
            "new_count": sum(entry["is_new"] for entry in entries),
            "first_new": next((e["message"].pk for e in entries if e["is_new"]), None),
            "as_staff": side == queries.STAFF,
            "is_owner": application.owner_id == request.user.pk,
            "team": queries.team_users(application),
            "form": form,
            "max_files": ATTACHMENTS_PER_MESSAGE,
        },
    )


# Announcements (programme staff).


@role_required(Role.STAFF)
def announcements(request):
    return render(
        request,
        "grants/conversations/announcements.html",
        {"announcements": queries.announcements_sent()[:100]},
    )


@role_required(Role.STAFF)
def announcement(request, pk):
    item = get_permitted_object_or_404(
        request.user,
        "grants.send_announcement",
        Announcement.objects.select_related("call", "sent_by"),
        pk=pk,
    )
    return render(request, "grants/conversations/announcement.html", {"announcement": item})


def _on_its_way_message(sent) -> str:
    return ngettext(
        "The announcement is on its way to %(count)s person.",
        "The announcement is on its way to %(count)s people.",
        sent.recipient_count,
    ) % {"count": sent.recipient_count}


@role_required(Role.STAFF)
@require_http_methods(["GET", "POST"])
def announcement_new(request):
    """Two steps without JavaScript: "Preview" shows the texts and the exact number of
    recipients; "Send" sends if that number still holds. "Change" goes back to the form."""
    form = AnnouncementForm(request.POST or None)
    if request.method != "POST" or "change" in request.POST or not form.is_valid():
        return render(request, "grants/conversations/announcement_form.html", {"form": form})
    arguments = {
        "actor": request.user,
        "audience": form.cleaned_data["audience"],
        "call": form.cleaned_data["call"],
        "texts": form.texts(),
    }
    expected = form.cleaned_data["expected_count"]
    if "send" in request.POST and expected is not None:
        sent = run_service(
            request,
            send_announcement,
            form=form,
            success=_on_its_way_message,
            **arguments,
            expected_count=expected,
        )
        if sent.ok:
            return redirect("staff_announcement", pk=sent.result.pk)
        if not isinstance(sent.error, RecipientsChanged):
            return render(request, "grants/conversations/announcement_form.html", {"form": form})
        # The number changed: a new preview with the current number follows.
    return _preview_announcement(request, form, arguments)


def _preview_announcement(request, form, arguments):
    """The texts and the exact number of recipients, with the form to send them."""
    planned = run_service(request, plan_announcement, form=form, **arguments)
    if not planned.ok:
        return render(request, "grants/conversations/announcement_form.html", {"form": form})
    plan = planned.result
    confirm = AnnouncementForm(
        initial={
            **form.cleaned_data,
            "call": form.cleaned_data["call"],
            "expected_count": plan.count,
        }
    )
    return render(
        request,
        "grants/conversations/announcement_preview.html",
        {"form": confirm, "plan": plan, "announcement": plan.announcement},
    )
