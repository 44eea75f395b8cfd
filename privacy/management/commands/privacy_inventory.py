"""``manage.py privacy_inventory [--lang de|en]``: the records of processing (GDPR Art. 30)
as Markdown, generated from the inventory in code and the retention settings."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from privacy.inventory.records import markdown


class Command(BaseCommand):
    help = "Print the records of processing (Art. 30 GDPR) as Markdown."

    def add_arguments(self, parser):
        parser.add_argument(
            "--lang", choices=[code for code, _name in settings.LANGUAGES], default="en"
        )

    def handle(self, *args, lang="en", **options):
        with translation.override(lang):
            self.stdout.write(markdown(), ending="")
