"""The counts of a person's inbox, made once per request: the navigation shows the total on
every page, the inbox page the count of each kind. One query, and only when a page shows
them (a redirect makes none). The same query tells whether an applicant has grants, for
the navigation's "My grants".

Building and compiling a dozen querysets costs far more than running their SQL (about 20 ms
against 4 on a staff page), so the statement's SQL and parameters are kept per person, their
roles and the day, and only run again on the next page: the counts themselves are always
the database's current ones. What else a rule reads is kept out of the SQL or out of the
reuse: settings (the kept statements are dropped when a setting changes, as in tests), and
the clock (a kind marked ``reads_clock`` is compiled on every request). With
``INBOX_COUNT_CHECK_REUSE`` (the tests) every reuse is compiled again and compared, so a rule
that starts reading something else is caught."""

from collections.abc import Callable
from functools import cached_property

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import timezone

from accounts.access import second_factor_state
from accounts.roles import Role
from grants.contracts.queries import grants_of_user
from grants.inbox.registry import count_part, count_parts, has_inbox, kinds_for, rows_of

GRANTS = "grants of the user"
# Statements kept per process; beyond this many people, the oldest is dropped.
KEPT_STATEMENTS = 2000

_statements: dict[tuple, tuple] = {}
_reuse = {"hits": 0, "misses": 0}


@receiver(setting_changed)
def _forget_statements(**kwargs):
    _statements.clear()


def reuse_info() -> dict:
    """How often a kept statement was run again (``hits``) and how often one was compiled
    (``misses``), since the process started."""
    return dict(_reuse)


def _fixed_parts(user, kinds, today, extra: dict[str, Callable]) -> tuple:
    parts = [
        count_part(kind.key, rows_of(kind, user, today)) for kind in kinds if not kind.reads_clock
    ]
    parts += [count_part(key, rows()) for key, rows in extra.items()]
    return tuple(parts)


def navigation_counts(user, kinds, today, extra: dict[str, Callable] | None = None) -> dict:
    """``registry.count`` without filters for ``kinds`` (and ``extra``: key → a function
    returning a queryset), reusing the compiled statement of the same person, roles, day and
    kinds."""
    extra = extra or {}
    key = (
        user.pk,
        user.is_active,
        tuple(sorted(user.role_names)),
        today,
        tuple((kind.key, kind.reads_clock) for kind in kinds),
        tuple(extra),
    )
    fixed = _statements.get(key)
    if fixed is None:
        _reuse["misses"] += 1
        fixed = _fixed_parts(user, kinds, today, extra)
        if len(_statements) >= KEPT_STATEMENTS:
            del _statements[next(iter(_statements))]
        _statements[key] = fixed
    else:
        _reuse["hits"] += 1
        if settings.INBOX_COUNT_CHECK_REUSE:
            _check_reuse(fixed, _fixed_parts(user, kinds, today, extra))
    clock = [count_part(kind.key, rows_of(kind, user, today)) for kind in kinds if kind.reads_clock]
    return count_parts([*fixed, *clock])


def _check_reuse(kept, fresh) -> None:
    changed = [old.key for old, new in zip(kept, fresh, strict=True) if old != new]
    if changed:
        raise ImproperlyConfigured(
            f"The inbox kinds {changed} compile differently for the same person, roles and "
            "day: mark them reads_clock, or keep what they read out of their SQL."
        )


class InboxSummary:
    def __init__(self, user):
        self.user = user
        self.today = timezone.localdate()
        self.kinds = kinds_for(user)

    @cached_property
    def _counted(self) -> dict:
        extra = {}
        if self.user.has_role(Role.APPLICANT):
            extra[GRANTS] = lambda: grants_of_user(self.user)
        return navigation_counts(self.user, self.kinds, self.today, extra)

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
