"""E-mail notifications about workflow events, queued with the transaction that caused them."""

import contextlib
import datetime as dt
from contextvars import ContextVar

from django.conf import settings
from django.db import models, transaction
from django_tasks_db import DatabaseBackend

from workflow.tasks import send_templated_email

_muted: ContextVar[bool] = ContextVar("workflow_notifications_muted", default=False)


@contextlib.contextmanager
def muted():
    """Send nothing inside this block, e.g. while the demo replays a past nobody is to be
    told about again."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def pack(value):
    """A context value as JSON for the task queue: model instances travel as references and
    are loaded again by the task, dates as ISO strings; everything else must be JSON already."""
    if isinstance(value, models.Model):
        return {"__model__": value._meta.label_lower, "pk": value.pk}
    if isinstance(value, dt.datetime):
        return {"__datetime__": value.isoformat()}
    if isinstance(value, dt.date):
        return {"__date__": value.isoformat()}
    if isinstance(value, list | tuple):
        return [pack(item) for item in value]
    if isinstance(value, dict):
        return {key: pack(item) for key, item in value.items()}
    return value


def notify(*, to, template: str, context: dict | None = None, language: str | None = None):
    """E-mail ``templates/emails/<template>/`` to ``to``, a user (their address and language)
    or an e-mail address (in ``language``, default the site's), if and when the surrounding
    transaction commits, so that nobody is told about a change that was rolled back.
    ``context`` may hold model instances, dates and JSON values.

    The task queue of production lives in the same database (django-tasks-db): the task's
    row is written inside the transaction and committed with the change, in one commit, so
    that a mail cannot be lost between the two either. Any other queue (the immediate one of
    the tests runs the task at once) is given the task after the commit."""
    if _muted.get():
        return
    if isinstance(to, models.Model):
        recipient = {"user_id": to.pk}
    else:
        recipient = {"email": str(to), "language": language or settings.LANGUAGE_CODE}
    kwargs = {
        "template": template,
        "recipient": recipient,
        "context": {name: pack(value) for name, value in (context or {}).items()},
    }
    if isinstance(send_templated_email.get_backend(), DatabaseBackend):
        send_templated_email.enqueue(**kwargs)
    else:
        transaction.on_commit(lambda: send_templated_email.enqueue(**kwargs))
