"""Writes of the workflow core: staff's wording of the e-mails (workflow.emails)."""

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import StaleObjectError, WorkflowError
from workflow.emails import BODY_MAX_CHARS, SUBJECT_MAX_CHARS, kind_by_key, template_errors
from workflow.models import EmailText


def _checked_kind(*, key: str, language: str, actor):
    kind = kind_by_key(key)
    if kind is None or language not in dict(settings.LANGUAGES):
        raise WorkflowError(_("There is no such e-mail."))
    if not actor.has_perm("workflow.edit_email_texts"):
        raise WorkflowError(_("You may not do this."))
    return kind


def _check_not_stale(*, key: str, language: str, based_on: int | None) -> None:
    """``based_on`` is the change the editor started from (None: the shipped text)."""
    newest = EmailText.objects.filter(key=key, language=language).order_by("-pk").first()
    newest_pk = None if newest is None else newest.pk
    if newest_pk != based_on:
        raise StaleObjectError(
            _(
                "Someone else changed this e-mail while you were editing it. Its current "
                "text is shown below; your text is still in the form."
            )
        )


def save_email_text(
    *, key: str, language: str, subject: str, body: str, actor, based_on: int | None
) -> EmailText:
    """Staff's own subject and text of one e-mail in one language, used from the next
    e-mail on. Only the e-mail's placeholders may be used."""
    kind = _checked_kind(key=key, language=language, actor=actor)
    subject = " ".join(subject.split())
    body = body.replace("\r\n", "\n").strip()
    errors = {}
    if not subject:
        errors["subject"] = [_("This field is required.")]
    elif len(subject) > SUBJECT_MAX_CHARS:
        errors["subject"] = [_("At most %(count)s characters.") % {"count": SUBJECT_MAX_CHARS}]
    else:
        errors["subject"] = template_errors(subject, kind.names)
    if not body:
        errors["body"] = [_("This field is required.")]
    elif len(body) > BODY_MAX_CHARS:
        errors["body"] = [_("At most %(count)s characters.") % {"count": BODY_MAX_CHARS}]
    else:
        errors["body"] = template_errors(body, kind.names)
    errors = {name: messages for name, messages in errors.items() if messages}
    if errors:
        raise WorkflowError(_("Please correct the text."), field_errors=errors)
    with transaction.atomic():
        _check_not_stale(key=key, language=language, based_on=based_on)
        return EmailText.objects.create(
            key=key, language=language, subject=subject, body=body, created_by=actor
        )


def restore_shipped_email_text(
    *, key: str, language: str, actor, based_on: int | None
) -> EmailText:
    """Back to the shipped subject and text (staff's earlier texts stay on record)."""
    _checked_kind(key=key, language=language, actor=actor)
    with transaction.atomic():
        _check_not_stale(key=key, language=language, based_on=based_on)
        return EmailText.objects.create(
            key=key, language=language, restores_shipped=True, created_by=actor
        )
