"""Writes of the ops app."""

from datetime import timedelta

from django.utils import timezone

from ops.models import WorkerHeartbeat

# Rows of workers that stopped (each start has a new id) are removed after this time.
FORGET_WORKERS_AFTER = timedelta(days=1)


def record_heartbeat(*, worker_id: str) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(worker_id=worker_id, defaults={"seen_at": now})
    WorkerHeartbeat.objects.filter(seen_at__lt=now - FORGET_WORKERS_AFTER).delete()
