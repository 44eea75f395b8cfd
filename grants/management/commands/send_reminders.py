"""``manage.py send_reminders``: once a day (cron or a systemd timer, see README.md).

First moves funded grants whose funding period has ended to "final report due", then sends
the reminders that are due today and were not sent before. Running it twice on one day
sends nothing the second time. The last line is ``reminders sent: N``."""

from django.core.management.base import BaseCommand

from grants.contracts.services.closing import request_due_final_reports
from grants.services.reminders import send_reminders


class Command(BaseCommand):
    help = "Daily: request final reports of ended grants, then send due and overdue reminders."

    def handle(self, *args, **options):
        requested = request_due_final_reports()
        self.stdout.write(f"final reports requested: {requested}")
        self.stdout.write(f"reminders sent: {send_reminders()}")
