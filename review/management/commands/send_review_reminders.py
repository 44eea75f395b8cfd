"""``manage.py send_review_reminders``: remind jurors of overdue reviews (run it daily)."""

from django.core.management.base import BaseCommand

from review.services.reminders import send_review_reminders


class Command(BaseCommand):
    help = (
        "E-mail each juror whose reviews are past the jury's due date, at most once a day per "
        "call. Safe to run more than once a day."
    )

    def handle(self, *args, **options):
        sent = send_review_reminders()
        self.stdout.write(f"Review reminders sent: {sent}.")
