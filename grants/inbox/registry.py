"""The kinds of work an inbox lists, and how they are counted and shown.

A kind is one waiting rule (a queryset from the queries the pages and reminders use, limited
to what the person sees), whose inbox it belongs to (staff, juror, applicant) and how one of
its rows reads as a line: a title, the link to where the work is done, and its age. The
grants app registers its kinds (grants/inbox/kinds.py), the review app its own
(review/inbox.py), each in its ``AppConfig.ready``.

Counting every kind of a person's inbox is one SQL statement however many kinds there are
(``count``): the navigation shows the total on every page.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet, ImproperlyConfigured
from django.db import connection
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.roles import Role
from grants.inbox.models import Claim

# Whose inbox a kind belongs to, in the order the page shows the parts.
AUDIENCES = (Role.STAFF, Role.JUROR, Role.APPLICANT)


@dataclass(frozen=True)
class Line:
    """One waiting item as the inbox shows it."""

    title: str
    url: str
    # When it started waiting (a date or a time): its age.
    since: dt.date | dt.datetime | None = None
    # When it is due, if it is: due in … days, or … days overdue.
    due_on: dt.date | None = None
    # A short remark: the call, the state, a count.
    detail: str = ""
    # A POST form on the line itself instead of (or beside) the link: (url, button label).
    action: tuple[str, str] | None = None


@dataclass(frozen=True)
class Kind:
    key: str
    audience: str  # Role.STAFF, Role.JUROR or Role.APPLICANT
    heading: object  # a lazy text: "Applications to screen"
    # The waiting rule: rows(user, today) -> the queryset of what waits for ``user``.
    rows: Callable[[object, dt.date], QuerySet]
    line: Callable[[object, dt.date], Line]
    # The lookup from a row to its call's id, for the inbox's call filter.
    call_path: str | None = None
    # Staff may take over the rows' objects ("mine"): grants.inbox.services.
    claimable: bool = False
    # The page that lists them all, when the inbox shows only the first ones.
    all_url: Callable[[], str] | None = None
    # Shown first: lower first, then in registration order.
    position: int = 100
    # The rule reads the clock (not only ``today``): the navigation's count compiles it on
    # every request instead of reusing its SQL (grants/inbox/summary.py).
    reads_clock: bool = False


_kinds: dict[str, Kind] = {}


def register(kind: Kind) -> None:
    if _kinds.get(kind.key, kind) != kind:
        raise ImproperlyConfigured(f"An inbox kind {kind.key} is registered already.")
    if kind.audience not in AUDIENCES:
        raise ImproperlyConfigured(f"The inbox kind {kind.key} has no known audience.")
    _kinds[kind.key] = kind


def kinds_for(user, *, audience: str | None = None) -> list[Kind]:
    """The kinds of the inboxes ``user`` has (by their roles), in the order shown."""
    if user is None or not user.is_authenticated:
        return []
    audiences = [role for role in AUDIENCES if user.has_role(role)]
    if audience is not None:
        audiences = [role for role in audiences if role == audience]
    kinds = [kind for kind in _kinds.values() if kind.audience in audiences]
    order = {key: index for index, key in enumerate(_kinds)}
    return sorted(
        kinds, key=lambda kind: (AUDIENCES.index(kind.audience), kind.position, order[kind.key])
    )


def has_inbox(user) -> bool:
    return any(user.has_role(role) for role in AUDIENCES)


@dataclass(frozen=True)
class Filters:
    """The staff inbox's filters: one call (its id), and "mine" (what the user took over)."""

    call_id: int | None = None
    mine: bool = False

    @property
    def active(self) -> bool:
        return self.call_id is not None or self.mine


NO_FILTERS = Filters()


def _claims_of(kind_model):
    """Active claims of rows of ``kind_model``, matched to the outer row (no content-type
    lookup: the join names the model)."""
    return Claim.objects.filter(
        content_type__app_label=kind_model._meta.app_label,
        content_type__model=kind_model._meta.model_name,
        object_id=OuterRef("pk"),
        released_at__isnull=True,
    )


def rows_of(kind: Kind, user, today: dt.date, filters: Filters = NO_FILTERS) -> QuerySet | None:
    """The kind's rows for ``user`` with the filters applied; None if the filters leave no
    room for them (a kind nobody takes over, under "mine")."""
    rows = kind.rows(user, today)
    if filters.mine and not kind.claimable:
        return None
    if filters.call_id is not None:
        if kind.call_path is None:
            return None
        rows = rows.filter(**{kind.call_path: filters.call_id})
    if kind.claimable:
        claims = _claims_of(rows.model)
        if filters.mine:
            rows = rows.filter(Exists(claims.filter(claimed_by=user)))
        rows = rows.annotate(
            claimed_by_id=Subquery(claims.values("claimed_by")[:1]),
            claimed_by_name=Subquery(claims.values("claimed_by__full_name")[:1]),
            claimed_by_email=Subquery(claims.values("claimed_by__email")[:1]),
        )
    return rows


@dataclass(frozen=True)
class Part:
    """One count of the inbox's statement: the compiled SQL of a kind's rows (or of an extra
    queryset) and its parameters; no SQL when it counts 0 without asking the database."""

    key: str
    sql: str | None
    params: tuple = ()


def count_part(key: str, rows: QuerySet | None) -> Part:
    if rows is None:
        return Part(key, None)
    try:
        sql, params = rows.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # a selector that can return nothing (.none())
        return Part(key, None)
    return Part(key, sql, tuple(params))


def count_parts(parts) -> dict:
    """Runs the parts as one statement, a scalar subquery each: {key: count}."""
    counts = {part.key: 0 for part in parts if part.sql is None}
    asked = [part for part in parts if part.sql is not None]
    if asked:
        # The SQL is Django's own, compiled from the querysets; values travel as parameters.
        sql = ", ".join(
            f"(SELECT COUNT(*) FROM ({part.sql}) inbox_{index})"  # noqa: S608
            for index, part in enumerate(asked)
        )
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + sql, [value for part in asked for value in part.params])
            counts.update(zip([part.key for part in asked], cursor.fetchone(), strict=True))
    return counts


def count(
    user, kinds: list[Kind], today: dt.date, filters: Filters = NO_FILTERS, *, extra=None
) -> dict:
    """How many rows each kind has (and each queryset of ``extra``, by its key): one
    statement, a scalar subquery per kind."""
    parts = [count_part(kind.key, rows_of(kind, user, today, filters)) for kind in kinds]
    parts += [count_part(key, rows) for key, rows in (extra or {}).items()]
    return count_parts(parts)


@dataclass
class Section:
    kind: Kind
    count: int
    lines: list = field(default_factory=list)
    rows: list = field(default_factory=list)


def sections(user, kinds: list[Kind], counts: dict, today, filters=NO_FILTERS, *, limit=20):
    """The first ``limit`` rows of each kind that has any, as lines: one query per kind."""
    result = []
    for kind in kinds:
        if not counts.get(kind.key):
            continue
        rows = list(rows_of(kind, user, today, filters)[:limit])
        result.append(
            Section(
                kind=kind,
                count=counts[kind.key],
                rows=rows,
                lines=[(row, kind.line(row, today)) for row in rows],
            )
        )
    return result


def age(line: Line, today: dt.date) -> tuple[str, bool]:
    """How old a line is, in words, and whether it is late."""
    if line.due_on is not None:
        days = (line.due_on - today).days
        if days < 0:
            return (
                ngettext("%(days)s day overdue", "%(days)s days overdue", -days) % {"days": -days},
                True,
            )
        if days == 0:
            return _("due today"), False
        return ngettext("due in %(days)s day", "due in %(days)s days", days) % {"days": days}, False
    if line.since is None:
        return "", False
    since = line.since
    if isinstance(since, dt.datetime):
        since = timezone.localtime(since).date()
    days = max((today - since).days, 0)
    if days == 0:
        return _("since today"), False
    return ngettext("waiting for %(days)s day", "waiting for %(days)s days", days) % {
        "days": days
    }, False
