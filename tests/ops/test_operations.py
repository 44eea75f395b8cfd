"""Operations (issue 6): /healthz for the proxy and monitoring, the worker heartbeat, request
ids and structured request logs."""

import datetime as dt
import logging

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import OperationalError, connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ops.models import WorkerHeartbeat
from ops.services import record_heartbeat
from tests.accounts.test_deploy_check import run

pytestmark = pytest.mark.django_db


def seen(seconds_ago, worker_id="worker-1"):
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"seen_at": timezone.now() - dt.timedelta(seconds=seconds_ago)},
    )


def waiting_task(minutes):
    task = DBTaskResult.objects.create(
        task_path="grants.tasks.send_notification",
        args_kwargs={"args": [], "kwargs": {}},
        backend_name="default",
        queue_name="default",
        run_after=timezone.now() - dt.timedelta(minutes=minutes),
    )
    DBTaskResult.objects.filter(pk=task.pk).update(
        enqueued_at=timezone.now() - dt.timedelta(minutes=minutes)
    )


def test_healthz_is_ok_with_database_and_a_recent_worker(client, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    seen(10)

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "ok": True,
        "database": "ok",
        "worker": "ok",
        "worker_seen_seconds_ago": 10,
        "oldest_task_waiting_seconds": 0,
    }
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies


def test_healthz_fails_when_no_worker_was_ever_seen(client):
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["worker"] == "never seen"


def test_healthz_fails_when_the_worker_was_not_seen_recently(client, settings):
    seen(settings.WORKER_HEARTBEAT_MAX_AGE + 5, worker_id="old")

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["worker"] == "not seen recently"


def test_healthz_takes_the_most_recent_of_several_workers(client, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    seen(3600, worker_id="stopped")
    seen(5, worker_id="running")

    assert client.get("/healthz").json()["worker_seen_seconds_ago"] == 5


def test_healthz_fails_when_a_task_waits_too_long(client, settings):
    seen(5)
    waiting_task(minutes=settings.TASK_QUEUE_MAX_WAIT // 60 + 1)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["worker"] == "queue stalled"


def test_healthz_fails_when_the_database_does_not_answer(client, monkeypatch):
    def unavailable(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", unavailable)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"ok": False, "database": "unavailable", "worker": "unknown"}


def test_healthz_answers_get_only(client):
    assert client.post("/healthz").status_code == 405


def test_production_does_not_redirect_healthz_to_https(tmp_path):
    """Monitoring asks gunicorn directly over HTTP; every other page redirects to HTTPS."""
    script = (
        "import django; django.setup(); from django.test import Client; c = Client(); "
        "print(c.get('/healthz', HTTP_HOST='fund.example').status_code, "
        "c.get('/', HTTP_HOST='fund.example').status_code)"
    )

    result = run(["-c", script], DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}")

    # 503: this empty database has no tables; the point is that it is not 301.
    assert result.stdout.splitlines()[-1] == "503 301", result.stderr


def test_heartbeat_forgets_workers_gone_for_a_day():
    seen(2 * 24 * 3600, worker_id="long-gone")

    record_heartbeat(worker_id="current")

    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["current"]


@pytest.mark.django_db(transaction=True)
def test_run_worker_runs_tasks_and_is_seen(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
        "database": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    }

    call_command(
        "run_worker",
        "--batch",
        "--backend=database",
        "--no-startup-delay",
        "--no-reload",
        "--worker-id=test-worker",
        verbosity=0,
    )

    heartbeat = WorkerHeartbeat.objects.get()
    assert heartbeat.worker_id == "test-worker"
    assert (timezone.now() - heartbeat.seen_at).total_seconds() < 60


# Request ids and request logs -------------------------------------------------------------


def test_every_response_carries_a_generated_request_id_that_the_log_shows(client, request_log):
    response = client.get("/imprint/")

    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    assert request_log[-1]["request_id"] == request_id
    assert request_log[-1]["message"] == "GET /imprint/ 200"
    assert request_log[-1]["user_id"] is None
    assert request_log[-1]["duration_ms"] >= 0


def test_a_request_id_from_the_proxy_is_kept_if_it_is_valid(client):
    response = client.get("/imprint/", HTTP_X_REQUEST_ID="7d1c1b0e0f6a4e6fb2f1c9a4d2e3f4a5")

    assert response["X-Request-ID"] == "7d1c1b0e0f6a4e6fb2f1c9a4d2e3f4a5"


def test_an_invalid_request_id_is_replaced(client, request_log):
    forged = 'x"} {"level": "CRITICAL'

    response = client.get("/imprint/", HTTP_X_REQUEST_ID=forged)

    assert response["X-Request-ID"] != forged
    assert len(response["X-Request-ID"]) == 32
    assert request_log[-1]["request_id"] == response["X-Request-ID"]


# Query counts -----------------------------------------------------------------------------


@pytest.mark.parametrize(("workers", "waiting"), [(1, 10), (3, 1000)])
def test_healthz_makes_a_fixed_number_of_queries(
    client, django_assert_num_queries, workers, waiting
):
    for number in range(workers):
        seen(5, worker_id=f"worker-{number}")
    DBTaskResult.objects.bulk_create(
        DBTaskResult(
            task_path="workflow.tasks.send_templated_email",
            args_kwargs={"args": [], "kwargs": {}},
            backend_name="default",
            queue_name="default",
            run_after=timezone.now(),
        )
        for _ in range(waiting)
    )

    # SELECT 1, the latest heartbeat, the oldest waiting task.
    with django_assert_num_queries(3):
        response = client.get("/healthz")

    assert response.json()["database"] == "ok"


def test_an_unhealthy_answer_is_a_warning_and_mails_nobody(client, settings, caplog):
    """Issue 15, item 11: every 503 of /healthz was logged by django.request as an ERROR
    and mailed to the admins, 360 mails an hour for a monitor polling every 10 seconds."""
    settings.ADMINS = [("Ops", "ops@fund.example")]
    caplog.set_level(logging.INFO)

    for _ in range(3):
        assert client.get("/healthz").status_code == 503

    assert mail.outbox == []
    records = [(r.name, r.levelname) for r in caplog.records if r.name != "ops.requests"]
    assert records == [("ops.health", "WARNING")] * 3
    assert caplog.records[0].getMessage() == "Unhealthy: never seen"
    assert caplog.records[0].health["worker"] == "never seen"
