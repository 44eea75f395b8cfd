"""``manage.py demo [--size small|realistic]``: migrate, seed the demo data, then run the
background e-mail worker and the development server on 127.0.0.1:8000 until Ctrl-C or
SIGTERM, which stop everything it started. Refused under the production settings."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from demo.accounts import DEMO_ACCOUNTS, require_demo_credentials
from demo.grants import SIZES

ADDRESS = "127.0.0.1:8000"
STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)


class Command(BaseCommand):
    help = (
        "Set up and run the demo: migrate, seed_demo, the e-mail worker (run_worker) and "
        f"runserver on {ADDRESS}. Ctrl-C stops everything."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--size",
            choices=sorted(SIZES),
            default="realistic",
            help="Passed to seed_demo (default: realistic).",
        )
        parser.add_argument(
            "--address",
            default=ADDRESS,
            help=f"Where the server listens (default: {ADDRESS}).",
        )

    def handle(self, *args, size, address, **options):
        password, _secret = require_demo_credentials()
        call_command("migrate", interactive=False, verbosity=max(options["verbosity"] - 1, 0))
        call_command("seed_demo", size=size, stdout=self.stdout, stderr=self.stderr)
        self.print_logins(password, address)
        self.serve(address)

    def print_logins(self, password, address):
        width = max(len(account.email) for account in DEMO_ACCOUNTS)
        lines = [
            "",
            f"Demo logins (password for all: {password})",
            "",
            f"  {'e-mail'.ljust(width)}  role",
        ]
        for account in DEMO_ACCOUNTS:
            mfa = "  + TOTP" if account.needs_mfa else ""
            lines.append(f"  {account.email.ljust(width)}  {account.role_label}{mfa}")
        lines += [
            "  applicant001@demo.example …  generated applicants (same password)",
            "",
            "Accounts marked + TOTP sign in with a second factor: add the demo secret from",
            "README.md ('Demo logins') to an authenticator app, or print the current code with",
            f"  {sys.executable} manage.py demo_totp staff@demo.example",
            "",
            "Signing up: the verification link is in the e-mail printed below; open it to",
            "confirm the address. The worker (run_worker) sends the e-mails about applications.",
            "",
            f"Starting the server on {served_url(address)} …",
        ]
        self.stdout.write("\n".join(lines))
        self.stdout.flush()

    def serve(self, address):
        connections.close_all()  # the children open their own connections
        manage = str(settings.BASE_DIR / "manage.py")
        # Both children inherit DJANGO_SETTINGS_MODULE. The worker runs without autoreload,
        # and the server's autoreloader restarts only the server, so there is exactly one
        # worker however often the code changes.
        commands = [
            [sys.executable, manage, "run_worker", "--no-reload", "--interval", "1"],
            [sys.executable, manage, "runserver", address],
        ]
        # Each child leads a process group of its own, which holds everything it starts: the
        # server's autoreloader and the server it runs. Stopping a group stops them all, so
        # no server is left holding the port after the demo has ended.
        # Links in the worker's e-mails point at the address served (unless the site's
        # address is set explicitly).
        environment = {**os.environ}
        environment.setdefault("DJANGO_SITE_URL", served_url(address).rstrip("/"))
        children = [
            subprocess.Popen(command, process_group=0, env=environment)  # noqa: S603
            for command in commands
        ]

        def stop(signum, frame):
            raise SystemExit(0)

        previous = {number: signal.signal(number, stop) for number in STOP_SIGNALS}
        ended = []
        serving = False
        try:
            while not ended:
                time.sleep(0.5)
                ended = [child.args[2] for child in children if child.poll() is not None]
                if not serving and not ended and answers(address):
                    serving = True
                    self.stdout.write(
                        f"\nServing on {served_url(address)} — e-mails are printed below. "
                        "Ctrl-C stops the demo.\n"
                    )
                    self.stdout.flush()
        except KeyboardInterrupt:
            self.stdout.write("\nStopping the demo …")
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)
            stop_process_groups(children)
        if ended:
            raise CommandError(f"{' and '.join(ended)} stopped unexpectedly; the demo has stopped.")


def host_and_port(address: str) -> tuple[str, int]:
    """Where to reach what runserver serves at ``address`` ("8100", "127.0.0.1:8100",
    "0.0.0.0:8000", "[::1]:8000"): an address for all interfaces is reached locally."""
    host, _colon, port = address.rpartition(":")
    host = host.strip("[]") or "127.0.0.1"
    if host in ("0.0.0.0", "::"):  # noqa: S104 (not listening: naming the local address)
        host = "127.0.0.1"
    return host, int(port)


def served_url(address: str) -> str:
    host, port = host_and_port(address)
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def answers(address: str) -> bool:
    """True once something accepts connections at the address served."""
    host, port = host_and_port(address)
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def signal_group(pgid: int, number) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, number)


def stop_process_groups(children, *, grace=10.0) -> None:
    """Stop each child's whole process group: SIGINT first (what Ctrl-C sends, so that the
    worker finishes a running task and the server's autoreloader stops its server), then,
    after ``grace`` seconds, SIGKILL for whatever is left."""
    for child in children:
        signal_group(child.pid, signal.SIGINT)
    deadline = time.monotonic() + grace
    for child in children:
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(timeout=max(deadline - time.monotonic(), 0.1))
    # The group may outlive its leader (a server whose reloader has ended).
    while time.monotonic() < deadline and any(group_alive(c.pid) for c in children):
        time.sleep(0.1)
    for child in children:
        if group_alive(child.pid):
            signal_group(child.pid, signal.SIGKILL)
        if child.poll() is None:
            child.wait()
