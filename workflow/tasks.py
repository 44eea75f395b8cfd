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
    """Render ``templates/emails/<template>/{subject,body}.txt`` and ``body.html`` in the
    recipient's language and send both parts. ``recipient`` is ``{"user_id": …}`` or, for
    somebody without an account (a team member being invited), ``{"email", "language"}``."""
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
        **{name: unpack(value) for name, value in context.items()},
    }
    with translation.override(language):
        subject = render_to_string(f"emails/{template}/subject.txt", context).strip()
        text = render_to_string(f"emails/{template}/body.txt", context)
        html = render_to_string(f"emails/{template}/body.html", context)
    message = EmailMultiAlternatives(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split()),
        body=text,
        to=[to_email],
    )
    message.attach_alternative(html, "text/html")
    message.send()
