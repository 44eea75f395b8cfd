"""The e-mails of the privacy app, their shipped words and placeholders (workflow.emails):
the warning before an unused account is anonymised, and the confirmation of an erasure."""

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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

SIGN_IN_LINK = link_placeholder(gettext_lazy("the address of the sign-in page"), "/accounts/login/")
ACCOUNT_LINK = link_placeholder(
    gettext_lazy("the address of the person's account page"), "/account/", name="account_link"
)
CONTACT = Placeholder(
    "contact",
    gettext_lazy("the fund's data-protection address"),
    lambda: settings.PRIVACY_CONTACT_EMAIL,
)


def _inactivity_values(context) -> dict[str, str]:
    return {
        "date": date_text(context.get("anonymise_on")),
        "link": site(reverse("account_login")),
        "account_link": site(reverse("account")),
    }


def _kept_line(item) -> str:
    until = (
        _("until %(date)s") % {"date": date_text(item.until)}
        if item.until
        else _("as long as the reason lasts")
    )
    return f"{item.label}: {until}. {item.reason_text}"


def _erasure_values(context) -> dict[str, str]:
    erased = [f"{item.label} ({item.count})" for item in context.get("erased") or []]
    kept = [_kept_line(item) for item in context.get("kept") or []]
    return {
        "erased": bullet_list(erased or [_("nothing (there was nothing we may erase yet)")]),
        "kept": (
            _("This is what we must keep, until when and why:") + "\n" + bullet_list(kept)
            if kept
            else _("We keep nothing else about you.")
        ),
        "contact": context.get("privacy_contact") or settings.PRIVACY_CONTACT_EMAIL,
    }


register(
    EmailKind(
        key="inactivity_warning",
        label=gettext_lazy("Unused account to be anonymised"),
        audience=Audience.ACCOUNT,
        subject=gettext_lazy("Your unused account will be anonymised"),
        body=gettext_lazy(
            "You have not signed in for a long time, and nothing we must keep depends on "
            "your account any more. To protect your data we will anonymise it on $date: "
            "your name, e-mail address and password will be erased, and you will no longer "
            "be able to sign in.\n\nIf you want to keep your account, simply sign in before "
            "that day:\n$link\n\nBefore that you can also download everything we hold about "
            "you from your account page:\n$account_link"
        ),
        placeholders=(
            Placeholder(
                "date",
                gettext_lazy("the day the account will be anonymised"),
                lambda: date_text(dt.date(2027, 1, 15)),
            ),
            SIGN_IN_LINK,
            ACCOUNT_LINK,
        ),
        values=_inactivity_values,
    ),
    EmailKind(
        key="erasure_done",
        label=gettext_lazy("Data erased on request"),
        audience=Audience.ACCOUNT,
        subject=gettext_lazy("Your data has been erased"),
        body=gettext_lazy(
            "As you asked, we have erased your data. This is what we erased:\n$erased\n\n"
            "$kept\n\nQuestions? Write to $contact."
        ),
        placeholders=(
            Placeholder(
                "erased",
                gettext_lazy("the list of what was erased"),
                gettext_lazy("– Applications (2)\n– Messages (5)"),
            ),
            Placeholder(
                "kept",
                gettext_lazy("what must be kept, until when and why (or that nothing is)"),
                gettext_lazy("We keep nothing else about you."),
            ),
            CONTACT,
        ),
        values=_erasure_values,
    ),
)
