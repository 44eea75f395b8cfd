"""``manage.py send_quarterly_reports``: run once a day. When a quarter has ended, makes its
report (once per language) and e-mails each subscriber a link to it, once; on every other
day it sends nothing. The last line is ``quarterly reports sent: N``."""

from django.core.management.base import BaseCommand

from reporting.services.subscriptions import send_quarterly_reports


class Command(BaseCommand):
    help = "Send the report of the quarter that has ended to its subscribers (daily job)."

    def handle(self, *args, **options):
        sent = send_quarterly_reports()
        self.stdout.write(f"quarterly reports sent: {sent}")
