"""The e-mails of the review app, their shipped words and placeholders (workflow.emails)."""

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext_lazy

from workflow.emails import (
    SIGN_UP_LINK,
    Audience,
    EmailKind,
    Placeholder,
    date_text,
    link_placeholder,
    register,
)
from workflow.emails import absolute_url as site

CALL = Placeholder("call", gettext_lazy("the title of the call"), gettext_lazy("Round 2026/1"))
COUNT = Placeholder("count", gettext_lazy("how many applications"), "12")
DUE_DATE = Placeholder(
    "due_date", gettext_lazy("the jury's due date"), lambda: date_text(dt.date(2026, 12, 24))
)
QUEUE_LINK = link_placeholder(
    gettext_lazy("the address of the juror's list of applications"), "/jury/calls/2026-1/"
)


def _jury_values(link_name):
    def values(context) -> dict[str, str]:
        call = context["call"]
        return {
            "call": call.title,
            "count": str(context.get("count", "")),
            "due_date": date_text(context.get("due_on")),
            "email": context.get("email", ""),
            "link": site(reverse(link_name, args=[call.slug]) if link_name else ""),
        }

    return values


def _invitation_values(context) -> dict[str, str]:
    return {**_jury_values(None)(context), "link": site(reverse("account_signup"))}


register(
    EmailKind(
        key="jury_added",
        label=gettext_lazy("Added to a jury"),
        audience=Audience.JUROR,
        subject=gettext_lazy("You are a juror of $call"),
        body=gettext_lazy(
            "The programme staff have added you to the jury of $call. Please sign in and "
            "declare any conflicts of interest with the applications of this call; you will "
            "be told when applications are assigned to you.\n\n$link"
        ),
        placeholders=(
            CALL,
            link_placeholder(
                gettext_lazy("the address of the juror's conflicts of interest"),
                "/jury/calls/2026-1/conflicts/",
            ),
        ),
        values=_jury_values("jury_conflicts"),
    ),
    EmailKind(
        key="jury_invitation",
        label=gettext_lazy("Invited to a jury (no account yet)"),
        audience=Audience.JUROR,
        subject=gettext_lazy("Invitation to the jury of $call"),
        body=gettext_lazy(
            "The $fund invites you to the jury of $call. To accept, register with this "
            "e-mail address ($email) and confirm it; you then join the jury and are asked to "
            "set up two-factor authentication.\n\n$link"
        ),
        placeholders=(
            CALL,
            Placeholder(
                "email", gettext_lazy("the invited e-mail address"), "miriam.albrecht@example.org"
            ),
            SIGN_UP_LINK,
        ),
        values=_invitation_values,
    ),
    EmailKind(
        key="jury_assignment",
        label=gettext_lazy("Applications assigned to a juror"),
        audience=Audience.JUROR,
        subject=gettext_lazy("Applications to review in $call"),
        body=gettext_lazy(
            "Applications of $call assigned to you: $count. Please submit your reviews by "
            "$due_date.\n\n$link"
        ),
        placeholders=(CALL, COUNT, DUE_DATE, QUEUE_LINK),
        values=_jury_values("jury_queue"),
    ),
    EmailKind(
        key="jury_reminder",
        label=gettext_lazy("Reminder of overdue reviews"),
        audience=Audience.JUROR,
        subject=gettext_lazy("Reminder: reviews overdue in $call"),
        body=gettext_lazy(
            "Your reviews in $call still open: $count. They were due on $due_date. Please "
            "submit them as soon as you can, or tell the programme staff if you cannot.\n\n"
            "$link"
        ),
        placeholders=(
            CALL,
            Placeholder("count", gettext_lazy("how many reviews are still open"), "3"),
            DUE_DATE,
            QUEUE_LINK,
        ),
        values=_jury_values("jury_queue"),
    ),
)
