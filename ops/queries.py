"""Reads of the ops app: the health of the database and of the background worker."""

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ops.models import WorkerHeartbeat


def health() -> dict:
    """The state /healthz reports. ``ok`` is false when the database cannot be read, no
    worker has been seen for WORKER_HEARTBEAT_MAX_AGE seconds, or a task has waited longer
    than TASK_QUEUE_MAX_WAIT seconds (a worker that is alive but stuck)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        last_seen = (
            WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
        )
        oldest_waiting = (
            DBTaskResult.objects.ready()
            .order_by("enqueued_at")
            .values_list("enqueued_at", flat=True)
            .first()
        )
    except DatabaseError:
        return {"ok": False, "database": "unavailable", "worker": "unknown"}
    now = timezone.now()
    seen_ago = None if last_seen is None else round((now - last_seen).total_seconds())
    waited = 0 if oldest_waiting is None else round((now - oldest_waiting).total_seconds())
    if seen_ago is None:
        worker = "never seen"
    elif seen_ago > settings.WORKER_HEARTBEAT_MAX_AGE:
        worker = "not seen recently"
    elif waited > settings.TASK_QUEUE_MAX_WAIT:
        worker = "queue stalled"
    else:
        worker = "ok"
    return {
        "ok": worker == "ok",
        "database": "ok",
        "worker": worker,
        "worker_seen_seconds_ago": seen_ago,
        "oldest_task_waiting_seconds": waited,
    }
