"""``manage.py export_360giving --output grants.json``: every published grant as a
360Giving 1.4 data package, written as it is read (flat memory). The same data as
/open-data/360giving.json."""

import sys

from django.core.management.base import BaseCommand, CommandError

from reporting.opendata import stream_360giving
from reporting.queries import has_published_grants


class Command(BaseCommand):
    help = "Write the funded grants as 360Giving JSON (standard 1.4)."

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help='Where to write; "-" for stdout.')

    def handle(self, *args, output, **options):
        if not has_published_grants():
            # The standard needs at least one grant in a package.
            raise CommandError("No grant has been published yet (no signed agreement).")
        if output == "-":
            for piece in stream_360giving():
                sys.stdout.write(piece)
            return
        count = 0
        with open(output, "w", encoding="utf-8") as target:
            for piece in stream_360giving():
                target.write(piece)
                count += 1
        self.stdout.write(f"{output}: {count - 2} grants")
