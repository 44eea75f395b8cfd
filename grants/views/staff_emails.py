"""Programme staff reword the e-mails the system sends, per language (workflow.emails):
the list of every e-mail, and one e-mail's form with its placeholders and a preview made
with sample data."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.access import role_required
from accounts.roles import Role
from core.views import run_service
from workflow import emails
from workflow.forms import BasedOnForm, EmailTextForm
from workflow.queries import email_text_changes, newest_email_text
from workflow.services import restore_shipped_email_text, save_email_text

LANGUAGES = dict(settings.LANGUAGES)


def _own(change):
    """Staff's text, or None where the shipped one is used."""
    return None if change is None or change.restores_shipped else change


@role_required(Role.STAFF)
def email_texts(request):
    changes = email_text_changes()
    rows = [
        {
            "kind": kind,
            "audience": emails.Audience.LABELS[kind.audience],
            "languages": [
                {"code": code, "name": name, "own": _own(changes.get((kind.key, code)))}
                for code, name in settings.LANGUAGES
            ],
        }
        for kind in emails.kinds()
    ]
    return render(request, "grants/staff/emails/list.html", {"rows": rows})


def _preview(kind, language, subject, body) -> emails.Composed:
    with translation.override(language):
        values = kind.samples()
    return emails.compose(kind, values=values, language=language, subject=subject, body=body)


def _restore(request, kind, language):
    form = BasedOnForm(request.POST)
    if form.is_valid():
        run_service(
            request,
            restore_shipped_email_text,
            key=kind.key,
            language=language,
            actor=request.user,
            based_on=form.cleaned_data["based_on"],
            success=_("The e-mail uses the shipped text again."),
        )
    return redirect("staff_email_text", key=kind.key, language=language)


@role_required(Role.STAFF)
def email_text(request, key, language):
    kind = emails.kind_by_key(key)
    if kind is None or language not in LANGUAGES:
        raise Http404
    action = request.POST.get("action")
    if request.method == "POST" and action == "restore":
        return _restore(request, kind, language)
    newest = newest_email_text(key, language)
    own = _own(newest)
    current = _current_text(kind, language, own)
    initial = {**current, "based_on": newest.pk if newest else None}
    data = request.POST.copy() if request.method == "POST" else None
    form = EmailTextForm(data, kind=kind, initial=initial)
    meanwhile = None
    if data is not None and form.is_valid() and action == "save":
        outcome = run_service(
            request,
            save_email_text,
            form=form,
            key=key,
            language=language,
            subject=form.cleaned_data["subject"],
            body=form.cleaned_data["body"],
            actor=request.user,
            based_on=form.cleaned_data["based_on"],
            success=_("Saved. The next e-mail of this kind uses this text."),
        )
        if outcome.ok:
            return redirect("staff_email_text", key=key, language=language)
        if outcome.stale:
            # Keep the editor's text, now based on the change made meanwhile (shown).
            meanwhile = current
            data["based_on"] = newest.pk if newest else ""
            form = EmailTextForm(data, kind=kind, initial=initial)
            form.is_valid()
    return _render_editor(
        request, kind, language, form, own=own, meanwhile=meanwhile, current=current
    )


def _current_text(kind, language, own) -> dict:
    """The text in use: the fund's own, else the one shipped with the software."""
    if own:
        return {"subject": own.subject, "body": own.body}
    with translation.override(language):
        return {"subject": str(kind.subject), "body": str(kind.body)}


def _render_editor(request, kind, language, form, *, own, meanwhile, current):
    preview = None
    if not form.errors:
        text = form.cleaned_data if form.is_bound else current
        preview = _preview(kind, language, text["subject"], text["body"])
    return render(
        request,
        "grants/staff/emails/edit.html",
        {
            "kind": kind,
            "language": language,
            "language_name": LANGUAGES[language],
            "audience": emails.Audience.LABELS[kind.audience],
            "form": form,
            "own": own,
            "meanwhile": meanwhile,
            "preview": preview,
            "placeholders": kind.all_placeholders,
            "other_languages": [
                (code, name) for code, name in settings.LANGUAGES if code != language
            ],
        },
    )
