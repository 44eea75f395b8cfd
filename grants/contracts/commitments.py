"""What the fund's money figures mean, written once for every page that shows them: the
grant pages, the grant list, finance, the budget checks of decisions, the ministry's
reports and the open data all sum these expressions, so they cannot disagree.

- **committed**: the award of a signed grant agreement. A terminated grant commits only
  what was released for it (released amounts are still paid; the rest of the award returns
  to the call). An award that is not signed yet, or was declined or withdrawn, commits
  nothing.
- **disbursed**: what the bank has transferred (the ledger's paid entries).
- **taken from a call's budget**: what is committed plus the awards approved and waiting for
  the grantee's signature, so that two decisions never promise the same money.

The texts shown beside the figures are in templates/grants/includes/money_definitions.html.
"""

from decimal import Decimal

from django.db.models import Case, DecimalField, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce

from grants.models import Application, Grant, Payment
from grants.states import ApplicationState, PaymentKind

MONEY = DecimalField(max_digits=12, decimal_places=2)
ZERO = Value(Decimal("0.00"), output_field=MONEY)


def ledger_sum(kind: str, grant_pk="pk"):
    """The sum of one kind of ledger entry of the grant ``grant_pk`` (an OuterRef path)."""
    total = (
        Payment.objects.filter(grant=OuterRef(grant_pk), kind=kind)
        .order_by()
        .values("grant")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Coalesce(Subquery(total, output_field=MONEY), ZERO)


def committed(prefix: str = ""):
    """The committed amount of each grant row; ``prefix`` is the path from the queried model
    to the grant ("" on grants, "grant__" on a model with a grant foreign key)."""
    return Case(
        When(Q(**{f"{prefix}accepted_at__isnull": True}), then=ZERO),
        When(
            Q(**{f"{prefix}application__state": ApplicationState.TERMINATED}),
            then=ledger_sum(PaymentKind.RELEASED, f"{prefix}pk"),
        ),
        default=f"{prefix}amount",
        output_field=MONEY,
    )


def disbursed(prefix: str = ""):
    """What the bank has transferred for each grant row."""
    return ledger_sum(PaymentKind.PAID, f"{prefix}pk")


def committed_total(grants) -> Decimal:
    return grants.aggregate(total=Coalesce(Sum(committed()), ZERO))["total"]


def awaiting_signature_total(call) -> Decimal:
    """Awards approved in ``call`` whose agreement the grantee has not signed yet."""
    total = Application.objects.filter(call=call, state=ApplicationState.APPROVED).aggregate(
        total=Sum("awarded_amount")
    )["total"]
    return total or Decimal("0.00")


def budget_taken(call) -> Decimal:
    """What ``call``'s budget has given away: committed, plus awards awaiting signature.
    The decision service locks the call row before reading this."""
    return committed_total(Grant.objects.filter(application__call=call)) + (
        awaiting_signature_total(call)
    )


def budget_taken_by_topic(call) -> dict:
    """Topic id → what ``call``'s budget has given away for that topic (``budget_taken``
    per topic)."""
    totals: dict = {}
    rows = (
        Grant.objects.filter(application__call=call)
        .order_by()
        .values_list("application__topic_id")
        .annotate(total=Sum(committed())),
        Application.objects.filter(call=call, state=ApplicationState.APPROVED)
        .order_by()
        .values_list("topic_id")
        .annotate(total=Sum("awarded_amount")),
    )
    for query in rows:
        for topic, total in query:
            totals[topic] = totals.get(topic, Decimal("0.00")) + (total or Decimal("0.00"))
    return totals
