"""How long each kind of personal data is kept (settings.PRIVACY_RETENTION), written once for
the daily job (privacy.services.retention), the erasure plan, the privacy notice and the
records of processing. A period counts from the event that ends the reason to keep the data
(a call's deadline, its decision, a final report's acceptance, the last payment) and is
reached on the same day of the month that many months later (the month's last day if it
has no such day): data due on a day is erased by that day's run, never the day before."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from grants.money import add_months


class Rule(models.TextChoices):
    DRAFTS = "drafts", _("Drafts never submitted")
    UNFUNDED = "unfunded", _("Proposals not funded")
    FUNDED = "funded", _("Funded projects")
    ACCOUNTS = "accounts", _("Accounts without activity")
    BANK = "bank", _("Bank details")
    REQUEST_LOGS = "request_logs", _("Request logs")
    TASKS = "tasks", _("The e-mail queue")
    SESSIONS = "sessions", _("Sign-in sessions")
    AUDIT_LOG = "audit_log", _("The audit log")
    BACKUPS = "backups", _("Backups")


def setting(name: str) -> int:
    return int(settings.PRIVACY_RETENTION[name])


def _months(count):
    return ngettext("%(count)s month", "%(count)s months", count) % {"count": count}


def _days(count):
    return ngettext("%(count)s day", "%(count)s days", count) % {"count": count}


def _period_text(rule: str) -> str:
    """What happens after how long, in the active language (the notice, the command)."""
    texts = {
        Rule.DRAFTS: lambda: (
            _("deleted %(period)s after the call's deadline, with their attachments")
            % {"period": _months(setting("drafts_months"))}
        ),
        Rule.UNFUNDED: lambda: (
            _(
                "anonymised %(period)s after the call's decision, with their attachments, "
                "reviews and conflicts of interest; counts and sums stay for reporting"
            )
            % {"period": _months(setting("unfunded_months"))}
        ),
        Rule.FUNDED: lambda: (
            _(
                "kept %(period)s after the final report was accepted (or the grant ended), for "
                "the audit of public funding; then anonymised like the others"
            )
            % {"period": _months(setting("funded_months"))}
        ),
        Rule.ACCOUNTS: lambda: (
            _(
                "after %(period)s without signing in, and with nothing left to keep, we warn you "
                "by e-mail and anonymise the account %(days)s later"
            )
            % {
                "period": _months(setting("inactive_account_months")),
                "days": _days(setting("inactivity_warning_days")),
            }
        ),
        Rule.BANK: lambda: (
            _("deleted %(period)s after the last payment")
            % {"period": _months(setting("bank_months"))}
        ),
        Rule.REQUEST_LOGS: lambda: (
            _("deleted after %(period)s") % {"period": _days(setting("request_log_days"))}
        ),
        Rule.TASKS: lambda: (
            _("deleted %(period)s after the e-mail was sent")
            % {"period": _days(setting("task_days"))}
        ),
        Rule.SESSIONS: lambda: _("deleted when the session ends (after 12 hours at most)"),
        Rule.BACKUPS: lambda: (
            _(
                "deleted after %(period)s; what we erase is gone from every backup after that "
                "time, and a restored backup has it erased again at once"
            )
            % {"period": _days(setting("backup_days"))}
        ),
        Rule.AUDIT_LOG: lambda: _(
            "kept as long as the object it is about; personal data in it is erased with "
            "that object's data"
        ),
    }
    return texts[rule]()


period_text = lazy(_period_text, str)


@dataclass(frozen=True)
class Deadline:
    """When data kept under ``rule`` since ``since`` is due for erasure."""

    rule: str
    since: dt.date

    @property
    def due_on(self) -> dt.date:
        months = {
            Rule.DRAFTS: "drafts_months",
            Rule.UNFUNDED: "unfunded_months",
            Rule.FUNDED: "funded_months",
            Rule.BANK: "bank_months",
            Rule.ACCOUNTS: "inactive_account_months",
        }
        return add_months(self.since, setting(months[self.rule]))


def due_on(rule: str, since: dt.date) -> dt.date:
    return Deadline(rule, since).due_on


def warning_period() -> dt.timedelta:
    return dt.timedelta(days=setting("inactivity_warning_days"))
