"""A warm interpreter for one worker folder of ``bin/mutate``.

It imports pytest, Django and the other libraries once; for each mutant it forks a child
that runs pytest, which imports the project (with the mutant on disk) afresh. This saves
most of the start-up time of a test run. Only libraries that import no project code and
read no settings are preloaded, so that every child configures Django itself.

Protocol, one JSON object per line: the runner writes {"args", "env", "timeout", "output"};
the server answers {"code", "timed_out"} when the child has finished or was killed.
"""

import importlib
import json
import os
import signal
import sys
import time

PRELOAD = (
    "pytest",
    "_pytest.python",
    "_pytest.fixtures",
    "pytest_django.plugin",
    "django.test",
    "django.db.models",
    "django.forms",
    "django.template.defaulttags",
    "factory",
    "faker",
    "time_machine",
    "rules",
    "django_fsm",
    "filetype",
)


def run_child(request):
    os.setsid()  # its own process group, so that a timeout kills everything it started
    output = os.open(request["output"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(output, 1)
    os.dup2(output, 2)
    os.environ.update(request["env"])
    code = 3
    try:
        import pytest

        code = int(pytest.main(request["args"]))
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def wait_for(pid, timeout):
    deadline = time.monotonic() + timeout
    while True:
        finished, status = os.waitpid(pid, os.WNOHANG)
        if finished:
            return os.waitstatus_to_exitcode(status), False
        if time.monotonic() > deadline:
            os.killpg(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return None, True
        time.sleep(0.02)


def main():
    sys.dont_write_bytecode = True  # a mutant must never be served from a stale .pyc
    for name in PRELOAD:
        importlib.import_module(name)
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            run_child(request)
        code, timed_out = wait_for(pid, request["timeout"])
        print(json.dumps({"code": code, "timed_out": timed_out}), flush=True)


if __name__ == "__main__":
    main()
