"""The counts of a person's inbox, made once per request: the navigation shows the total on
every page, the inbox page the count of each kind. One query, and only when a page shows
them (a redirect makes none). The same query tells whether an applicant has grants, for
the navigation's "My grants"."""

from functools import cached_property

from django.utils import timezone

from accounts.access import second_factor_state
from accounts.roles import Role
from grants.contracts.queries import grants_of_user
from grants.inbox.registry import count, has_inbox, kinds_for

GRANTS = "grants of the user"


class InboxSummary:
    def __init__(self, user):
        self.user = user
        self.today = timezone.localdate()
        self.kinds = kinds_for(user)

    @cached_property
    def _counted(self) -> dict:
        extra = {}
        if self.user.has_role(Role.APPLICANT):
            extra[GRANTS] = grants_of_user(self.user)
        return count(self.user, self.kinds, self.today, extra=extra)

    @cached_property
    def counts(self) -> dict:
        return {key: value for key, value in self._counted.items() if key != GRANTS}

    @cached_property
    def has_grants(self) -> bool:
        return bool(self._counted.get(GRANTS))

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
