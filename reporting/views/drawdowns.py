"""The ministry's page of budget years and drawdown requests: what the fund asked for
against the payments it made. Amounts and dates only: no names, no projects."""

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from accounts.access import may, role_required
from accounts.roles import Role
from grants.contracts import budget_queries
from grants.contracts.services.drawdowns import the_fund


@role_required(Role.MINISTRY, Role.STAFF)
def drawdowns(request):
    if not may(request.user, "grants.view_drawdowns"):
        raise Http404
    fund = the_fund()
    context = {"history": budget_queries.drawdown_history(fund) if fund else []}
    if fund:
        context |= budget_queries.budget_overview(fund, timezone.localdate())
    return render(request, "reporting/drawdowns.html", context)
