"""``manage.py demo [--size small|realistic]``: migrate, seed the demo data, then run the
background e-mail worker and the development server on 127.0.0.1:8000 until Ctrl-C.
Refused under the production settings."""

import contextlib
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from accounts.demo import DEMO_ACCOUNTS, require_demo_credentials
from grants.demo import SIZES

ADDRESS = "127.0.0.1:8000"


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

    def handle(self, *args, size, **options):
        password, _secret = require_demo_credentials()
        call_command("migrate", interactive=False, verbosity=max(options["verbosity"] - 1, 0))
        call_command("seed_demo", size=size, stdout=self.stdout, stderr=self.stderr)
        self.print_logins(password)
        self.serve()

    def print_logins(self, password):
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
            f"Serving on http://{ADDRESS}/ — e-mails are printed below. Ctrl-C stops the demo.",
            "",
        ]
        self.stdout.write("\n".join(lines))
        self.stdout.flush()

    def serve(self):
        connections.close_all()  # the children open their own connections
        manage = str(settings.BASE_DIR / "manage.py")
        # Both children inherit DJANGO_SETTINGS_MODULE. The worker runs without autoreload,
        # and the server's autoreloader restarts only the server, so there is exactly one
        # worker however often the code changes.
        commands = [
            [sys.executable, manage, "run_worker", "--no-reload", "--interval", "1"],
            [sys.executable, manage, "runserver", ADDRESS],
        ]
        children = [subprocess.Popen(command) for command in commands]  # noqa: S603

        def stop(signum, frame):
            raise SystemExit(0)

        previous = signal.signal(signal.SIGTERM, stop)
        from_terminal = False
        ended = []
        try:
            while not ended:
                time.sleep(0.5)
                ended = [child.args[2] for child in children if child.poll() is not None]
        except KeyboardInterrupt:
            # Ctrl-C in a terminal reaches every process of the group: give the children a
            # moment to finish by themselves (the worker completes a running task).
            from_terminal = True
            self.stdout.write("\nStopping the demo …")
        finally:
            signal.signal(signal.SIGTERM, previous)
            self.stop_children(children, grace=5 if from_terminal else 0)
        if ended:
            raise CommandError(f"{' and '.join(ended)} stopped unexpectedly; the demo has stopped.")

    @staticmethod
    def stop_children(children, *, grace):
        deadline = time.monotonic() + grace
        for child in children:
            with contextlib.suppress(subprocess.TimeoutExpired):
                child.wait(timeout=max(deadline - time.monotonic(), 0))
        # SIGINT, not SIGTERM: the server's autoreloader stops its serving child only on SIGINT.
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGINT)
        deadline = time.monotonic() + 10
        for child in children:
            try:
                child.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
