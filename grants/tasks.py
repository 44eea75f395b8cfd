"""Background work of the grants app (django-tasks; run `manage.py run_worker`)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task


@task()
def send_templated_email(
    *,
    template: str,
    recipient_id=None,
    to_email=None,
    language="de",
    application_id=None,
    extra=None,
):
    """Render ``templates/emails/<template>/{subject,body}.txt`` and ``body.html`` in the
    recipient's language and send both parts. The recipient is a user, or an address of
    somebody without an account (a team member being invited)."""
    from grants.models import Application

    recipient = None
    if recipient_id is not None:
        recipient = get_user_model().objects.get(pk=recipient_id)
        to_email, language = recipient.email, recipient.language
    application = None
    if application_id is not None:
        application = Application.objects.select_related("call", "owner").get(pk=application_id)
    context = {
        "recipient": recipient,
        "application": application,
        "site_url": settings.SITE_URL,
        **(extra or {}),
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
