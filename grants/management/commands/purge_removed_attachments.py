from django.conf import settings
from django.core.management.base import BaseCommand

from grants.services.attachments import purge_removed_attachments


class Command(BaseCommand):
    help = (
        "Delete the files (proposal attachments and report evidence) that were removed "
        "more than ATTACHMENT_PURGE_AFTER_DAYS days ago (run daily). The records stay."
    )

    def handle(self, *args, **options):
        purged = purge_removed_attachments()
        self.stdout.write(
            f"Purged {purged} removed attachment file(s) older than "
            f"{settings.ATTACHMENT_PURGE_AFTER_DAYS} days."
        )
