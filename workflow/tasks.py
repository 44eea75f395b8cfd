"""Background work of the workflow core (django-tasks; run `manage.py run_worker`)."""

import datetime as dt

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from core.identity import fund_name
from workflow import emails
from workflow.queries import current_email_text


def unpack(value):
    """The inverse of workflow.notifications.pack."""
    if isinstance(value, dict):
        if "__model__" in value:
            return apps.get_model(value["__model__"])._default_manager.get(pk=value["pk"])
        if "__datetime__" in value:
            return dt.datetime.fromisoformat(value["__datetime__"])
        if "__date__" in value:
            return dt.date.fromisoformat(value["__date__"])
        return {key: unpack(item) for key, item in value.items()}
    if isinstance(value, list):
        return [unpack(item) for item in value]
    return value


@task()
def send_templated_email(*, template: str, recipient: dict, context: dict):
    """Write the e-mail ``template`` in the recipient's language and send it (plain text and
    HTML). E-mails registered in workflow.emails are written from staff's text for that
    language or the shipped one; others from ``templates/emails/<template>/{subject,body}.txt``
    and ``body.html``. ``recipient`` is ``{"user_id": …}`` or, for somebody without an
    account (a team member being invited), ``{"email", "language"}``."""
    user = None
    if "user_id" in recipient:
        user = get_user_model().objects.get(pk=recipient["user_id"])
        to_email, language = user.email, user.language
    else:
        to_email, language = recipient["email"], recipient["language"]
    context = {
        "recipient": user,
        "site_url": settings.SITE_URL,
        "fund_name": fund_name(),
        "LANGUAGE_CODE": language,
        **{name: unpack(value) for name, value in context.items()},
    }
    kind = emails.kind_for(template, context)
    if kind is None:
        composed = _from_template_files(template, context, language)
    else:
        composed = _from_registered_text(kind, context, language)
    message = EmailMultiAlternatives(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + composed.subject,
        body=composed.text,
        to=[to_email],
    )
    message.attach_alternative(composed.html, "text/html")
    message.send()


def _from_template_files(template, context, language) -> emails.Composed:
    with translation.override(language):
        subject = render_to_string(f"emails/{template}/subject.txt", context)
        return emails.Composed(
            subject=" ".join(subject.split()),
            text=render_to_string(f"emails/{template}/body.txt", context),
            html=render_to_string(f"emails/{template}/body.html", context),
        )


def _from_registered_text(kind, context, language) -> emails.Composed:
    user = context["recipient"]
    with translation.override(language):
        values = {
            **kind.values(context),
            "name": user.full_name if user is not None else context.get("member_name", ""),
            "fund": context["fund_name"],
        }
    own = current_email_text(kind.key, language)
    return emails.compose(
        kind,
        values=values,
        language=language,
        subject=None if own is None else own.subject,
        body=None if own is None else own.body,
        frame=context,
    )
