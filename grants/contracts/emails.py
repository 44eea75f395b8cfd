"""The e-mails of the contract wing: the account payments go to, and the reminders of what
grantees owe (workflow.emails; the shipped texts follow grants/emails.py's style)."""

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from grants.emails import DUE_DATE, GRANT_REFERENCE, sample_day
from grants.states import BankCheckReason
from workflow.emails import (
    Audience,
    EmailKind,
    Placeholder,
    bullet_list,
    date_text,
    link_placeholder,
    register,
)
from workflow.emails import absolute_url as site


def _reminder_values(context) -> dict[str, str]:
    title = context.get("title") or ""
    item = {
        "milestone": _("milestone report %(title)s"),
        "final_report": _("final report %(title)s"),
        "question": _("your answer about %(title)s"),
    }.get(context.get("what"), "%(title)s") % {"title": title}
    return {
        "item": item,
        "due_date": date_text(context.get("due_on")),
        "link": site(context.get("path") or ""),
    }


def overdue_row(row) -> str:
    what = {
        "milestone": _("Milestone report"),
        "final_report": _("Final report"),
        "question": _("Answer to a question"),
    }.get(row["what"], row["what"])
    late = ngettext("%(count)s day late", "%(count)s days late", row["days_late"]) % {
        "count": row["days_late"]
    }
    return f"{formats.date_format(row['due_on'], 'SHORT_DATE_FORMAT')} ({late}): {what} – {row['title']}"


def _overdue_values(context) -> dict[str, str]:
    rows = context.get("rows") or []
    return {
        "count": str(len(rows)),
        "date": date_text(context.get("today")),
        "items": bullet_list(overdue_row(row) for row in rows),
        "link": site(reverse("staff_overdue")),
    }


# ---------------------------------------------------------------------------------------
# The account payments go to (grants/contracts/services/bank_details.py)


def _bank_values(link_name=None):
    def values(context) -> dict[str, str]:
        grant, check = context["grant"], context["check"]
        return {
            "reference": grant.funding_reference,
            "holder": check.account_holder,
            "iban": check.iban_masked,
            "reason": str(check.get_reason_display()),
            "why_this_address": _(
                "You receive this message at this address because it belonged to the "
                "account until recently."
            )
            if context.get("previous_address")
            else "",
            "link": site(reverse(link_name, args=[grant.pk])) if link_name else "",
        }

    return values


HOLDER = Placeholder("holder", gettext_lazy("the account holder"), "Lena Schmidt")
MASKED_IBAN = Placeholder(
    "iban", gettext_lazy("the account, masked"), "DE89 •••• •••• •••• ••30 00"
)

register(
    EmailKind(
        key="bank_account.changed",
        label=gettext_lazy("Bank details changed"),
        audience=Audience.APPLICANT,
        subject=gettext_lazy("Bank details changed for $reference"),
        body=gettext_lazy(
            "The account for the payments of $reference was changed to $holder, $iban. "
            "Payments to the new account wait until our finance team has called you back on "
            "a telephone number we already have and confirmed it with you.\n\n"
            "If you did not make this change, contact us at once: someone else may have "
            "signed in to your account.\n\n$why_this_address"
        ),
        placeholders=(
            GRANT_REFERENCE,
            HOLDER,
            MASKED_IBAN,
            Placeholder(
                "why_this_address",
                gettext_lazy(
                    "a sentence for the account's previous e-mail address saying why it gets "
                    "the message (empty for the current one)"
                ),
                gettext_lazy(
                    "You receive this message at this address because it belonged to the "
                    "account until recently."
                ),
            ),
        ),
        values=_bank_values(),
    ),
    EmailKind(
        key="bank_account.to_confirm",
        label=gettext_lazy("Account to confirm (to the programme staff)"),
        audience=Audience.STAFF,
        subject=gettext_lazy("Confirm the account of $reference before paying"),
        body=gettext_lazy(
            "The grantee of $reference named the account $holder, $iban ($reason). Its "
            "payments are on hold until a member of staff has called the grantee back on a "
            "telephone number already on file (not one given with the change) and confirmed "
            "the account. With four eyes on payments, whoever confirms it does not export its "
            "payments.\n$link"
        ),
        placeholders=(
            GRANT_REFERENCE,
            HOLDER,
            MASKED_IBAN,
            Placeholder(
                "reason",
                gettext_lazy("why the account is to be confirmed"),
                lambda: str(BankCheckReason.CHANGE.label),
            ),
            link_placeholder(
                gettext_lazy("the address of the page where staff confirm the account"),
                "/staff/finance/grants/42/bank-details/",
            ),
        ),
        values=_bank_values("staff_bank_details"),
    ),
    EmailKind(
        key="bank_account.confirmed",
        label=gettext_lazy("Account confirmed"),
        audience=Audience.APPLICANT,
        subject=gettext_lazy("Your account for $reference is confirmed"),
        body=gettext_lazy(
            "We have confirmed your account $iban for the payments of $reference. Released "
            "payments will be transferred to it with the next transfer."
        ),
        placeholders=(GRANT_REFERENCE, MASKED_IBAN),
        values=_bank_values(),
    ),
)

_ITEM = Placeholder(
    "item",
    gettext_lazy("what is due, e.g. the milestone report and its project"),
    lambda: _("milestone report %(title)s") % {"title": "01CTF26042 – 2: Pilot"},
)
_REMINDER_LINK = link_placeholder(
    gettext_lazy("the address of the page where it is done"), "/grantee/milestones/42/report/"
)

register(
    EmailKind(
        key="reminder.due_soon",
        label=gettext_lazy("Reminder: due in 7 days"),
        audience=Audience.APPLICANT,
        subject=gettext_lazy("Due in 7 days: $item"),
        body=gettext_lazy("A friendly reminder: this is due on $due_date: $item.\n$link"),
        placeholders=(_ITEM, DUE_DATE, _REMINDER_LINK),
        values=_reminder_values,
    ),
    EmailKind(
        key="reminder.overdue",
        label=gettext_lazy("Reminder: overdue"),
        audience=Audience.APPLICANT,
        subject=gettext_lazy("Overdue: $item"),
        body=gettext_lazy(
            "This was due on $due_date and has not reached us yet: $item. Please see to it "
            "soon, or tell the programme staff what is holding it up.\n$link"
        ),
        placeholders=(_ITEM, DUE_DATE, _REMINDER_LINK),
        values=_reminder_values,
    ),
    EmailKind(
        key="staff_overdue_list",
        label=gettext_lazy("Overdue list (to the programme staff)"),
        audience=Audience.STAFF,
        subject=gettext_lazy("Overdue items: $count"),
        body=gettext_lazy("Overdue on $date, most overdue first:\n\n$items\n\n$link"),
        placeholders=(
            Placeholder("count", gettext_lazy("how many items are overdue"), "2"),
            Placeholder("date", gettext_lazy("today's date"), lambda: date_text(sample_day())),
            Placeholder(
                "items",
                gettext_lazy("the overdue items, one a line"),
                lambda: bullet_list(
                    [
                        _("Final report")
                        + " – 01CTF26042 – "
                        + str(gettext_lazy("Open council minutes"))
                    ]
                ),
            ),
            link_placeholder(
                gettext_lazy("the address of the overdue list"), "/staff/grants/overdue/"
            ),
        ),
        values=_overdue_values,
    ),
)
