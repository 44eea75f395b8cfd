"""Helpers shared by the staff jury pages."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from grants.models import Call
from grants.states import CallState
from review.models import Jury, SelectionRecord


def _call(slug):
    return get_object_or_404(Call.objects.select_related("fund"), slug=slug)


def _jury_or_404(slug):
    jury = Jury.objects.select_related("call__fund").filter(call__slug=slug).first()
    if jury is None:
        raise Http404
    return jury


def decided_record(call):
    """The selection record of a decided (or archived) call, or None."""
    if call.state not in (CallState.DECIDED, CallState.ARCHIVED):
        return None
    return SelectionRecord.objects.filter(call=call).first()
