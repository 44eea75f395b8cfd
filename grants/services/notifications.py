from django.db import transaction

from grants.tasks import send_templated_email


def notify(*, template, recipient=None, to_email=None, language="de", application=None, extra=None):
    """Queue an e-mail once the surrounding transaction has committed, so that nobody is
    told about a change that was rolled back."""
    kwargs = {
        "recipient_id": recipient.pk if recipient is not None else None,
        "to_email": to_email,
        "language": language,
        "template": template,
        "application_id": application.pk if application is not None else None,
        "extra": extra or {},
    }
    transaction.on_commit(lambda: send_templated_email.enqueue(**kwargs))
