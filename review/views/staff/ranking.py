"""The calibrated ranking of a call."""

from django.shortcuts import render

from accounts.access import role_required
from accounts.roles import Role
from review import queries
from review.forms.staff import (
    BasisForm,
)
from review.ranking import SORT_KEYS, build_ranking
from review.states import RankingBasis
from review.views.staff.common import _jury_or_404, decided_record

# ---------------------------------------------------------------------------------------
# Ranking


def _basis(request):
    basis = request.GET.get("basis", RankingBasis.CALIBRATED)
    return basis if basis in RankingBasis.values else RankingBasis.CALIBRATED


@role_required(Role.STAFF)
def ranking(request, slug):
    current = _jury_or_404(slug)
    record = decided_record(current.call)
    if record is not None:
        return _render_record(request, current, record)
    basis = _basis(request)
    sort = request.GET.get("sort", "rank")
    if sort.lstrip("-") not in SORT_KEYS:
        sort = "rank"
    result = build_ranking(current, request.user, basis=basis)
    return render(
        request,
        "review/staff/ranking.html",
        {
            "jury": current,
            "call": current.call,
            "ranking": result,
            "rows": result.sorted_rows(sort),
            "sort": sort,
            "basis": basis,
            "basis_label": RankingBasis(basis).label,
            "basis_form": BasisForm(initial={"basis": basis}),
            "sort_keys": SORT_KEYS,
            "conflicted": queries.open_conflicts_of(request.user, current.call),
        },
    )


def _render_record(request, current, record):
    """A decided call's ranking is the one its selection record keeps (later withdrawals
    or reopened reviews change nothing); staff with a conflict in the call do not read it."""
    return render(
        request,
        "review/staff/ranking_record.html",
        {
            "jury": current,
            "call": current.call,
            "record": record,
            "basis_label": RankingBasis(record.basis).label,
            "conflicted": queries.open_conflicts_of(request.user, current.call),
        },
    )
