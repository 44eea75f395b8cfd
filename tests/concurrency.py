"""Running service calls at the same moment, for the PostgreSQL concurrency tests."""

import threading

from django.db import connection

from core.errors import WorkflowError


def run_at_once(calls) -> tuple[list[str], list[Exception]]:
    """Start every call in its own thread (and database connection) behind a barrier, so
    that they hit the database together; return the messages of the WorkflowErrors they
    raised (refusals) and any other exceptions (which a test expects to be none)."""
    barrier = threading.Barrier(len(calls))
    refused, errors = [], []

    def run(call):
        try:
            barrier.wait()
            call()
        except WorkflowError as error:
            refused.append(str(error.message))
        except Exception as error:  # noqa: BLE001 - collected for the test to assert
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return refused, errors
