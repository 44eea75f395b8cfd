"""``manage.py apply_retention``: once a day (cron or a systemd timer, see README.md).

Erases what the retention rules make due today (settings.PRIVACY_RETENTION): deletes drafts
never submitted, anonymises proposals not funded and funded projects past their period,
deletes old bank details, warns and then anonymises unused accounts, clears ended sessions
and old e-mail jobs. Running it twice on one day erases nothing the second time.
``--dry-run`` prints what it would do and changes nothing. The last line is
``retention applied: N`` (with --dry-run N is 0, followed by what is due)."""

from django.core.management.base import BaseCommand
from django.utils import translation

from privacy.kinds import DataKind
from privacy.retention import Rule, setting
from privacy.services.retention import apply_retention

ACTIONS = {
    "deleted": ("deleted", "to delete"),
    "anonymised": ("anonymised", "to anonymise"),
    "warned": ("warned", "to warn"),
}
RULE_NAMES = {"warn": "Accounts without activity (warning)"}


class Command(BaseCommand):
    help = "Daily: erase or anonymise personal data whose retention period has ended."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Print what would be done; change nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        with translation.override("en"):
            steps = apply_retention(dry_run=dry_run)
            for step in steps:
                name = RULE_NAMES.get(step.rule) or str(Rule(step.rule).label)
                kinds = ", ".join(str(DataKind(kind).label).lower() for kind in step.kinds)
                done, planned = ACTIONS[step.action]
                self.stdout.write(f"{name} ({kinds}): {step.count} {planned if dry_run else done}")
            self.stdout.write(
                f"{Rule.REQUEST_LOGS.label} (technical data): not in the database; the log "
                f"collector keeps them {setting('request_log_days')} days (README)"
            )
        total = sum(step.count for step in steps)
        if dry_run:
            self.stdout.write(f"retention applied: 0 (dry run: {total} due)")
        else:
            self.stdout.write(f"retention applied: {total}")
