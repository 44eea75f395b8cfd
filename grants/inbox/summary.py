"""The counts of a person's inbox, made once per request: the navigation shows the total on
every page, the inbox page the count of each kind. One query, and only when a page shows
them (a redirect makes none)."""

from functools import cached_property

from django.utils import timezone

from accounts.access import second_factor_state
from grants.inbox.registry import count, has_inbox, kinds_for


class InboxSummary:
    def __init__(self, user):
        self.user = user
        self.today = timezone.localdate()
        self.kinds = kinds_for(user)

    @cached_property
    def counts(self) -> dict:
        return count(self.user, self.kinds, self.today)

    @cached_property
    def total(self) -> int:
        return sum(self.counts.values())


def inbox_summary(request) -> InboxSummary | None:
    """The request's inbox summary, or None for someone without an inbox (anonymous, the
    ministry) or whose session has not used the second factor their role needs."""
    if hasattr(request, "_inbox_summary"):
        return request._inbox_summary
    user = getattr(request, "user", None)
    summary = None
    if (
        user is not None
        and user.is_authenticated
        and has_inbox(user)
        and (not user.needs_mfa or second_factor_state(request).session_confirmed)
    ):
        summary = InboxSummary(user)
    request._inbox_summary = summary
    return summary


def inbox(request) -> dict:
    """Context processor: ``inbox`` (its ``total`` is counted when a template asks)."""
    return {"inbox": inbox_summary(request)}
