"""``manage.py reapply_erasures``: after restoring a backup (bin/restore runs it), erase
again what was erased after the backup was taken. The erasure journal (settings.
ERASURE_JOURNAL, ids and kinds only) lists every erasure; those the restored database does
not know are run again, with the same shredders on the same records. Running it twice does
nothing the second time. The last line is ``erasures applied again: N``."""

from django.core.management.base import BaseCommand

from privacy.services.shredders import reapply


class Command(BaseCommand):
    help = (
        "After a restore: erase again what the erasure journal records and the database does not."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"erasures applied again: {reapply()}")
