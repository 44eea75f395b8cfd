from django.db import models


class WorkerHeartbeat(models.Model):
    """When a background worker (manage.py run_worker) last said it is alive; read by
    /healthz. One row per worker process."""

    worker_id = models.CharField(max_length=64, unique=True)
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.worker_id} {self.seen_at:%Y-%m-%d %H:%M:%S}"
