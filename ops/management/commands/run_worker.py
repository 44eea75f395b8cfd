"""django-tasks' database worker, plus a heartbeat that /healthz reads."""

import threading

from django.conf import settings
from django.db import close_old_connections, connection
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from ops.services import record_heartbeat


def beat(worker_id: str, stop: threading.Event) -> None:
    while not stop.wait(settings.WORKER_HEARTBEAT_INTERVAL):
        try:
            close_old_connections()
            record_heartbeat(worker_id=worker_id)
        except Exception:  # noqa: BLE001 - a missed beat shows in /healthz; the worker goes on
            connection.close()
    connection.close()


class Command(DatabaseWorkerCommand):
    help = (
        "Run the background worker (django-tasks' db_worker, same options) and record a "
        "heartbeat every WORKER_HEARTBEAT_INTERVAL seconds, so that /healthz can tell "
        "whether a worker is running."
    )

    def handle(self, *args, **options):
        record_heartbeat(worker_id=options["worker_id"])  # seen from the first second on
        stop = threading.Event()
        heartbeat = threading.Thread(
            target=beat, args=(options["worker_id"], stop), name="heartbeat", daemon=True
        )
        heartbeat.start()
        try:
            return super().handle(*args, **options)
        finally:
            stop.set()
