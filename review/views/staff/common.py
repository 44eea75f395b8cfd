"""Helpers shared by the staff jury pages."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from grants.models import Call
from review.models import Jury


def _call(slug):
    return get_object_or_404(Call.objects.select_related("fund"), slug=slug)


def _jury_or_404(slug):
    jury = Jury.objects.select_related("call__fund").filter(call__slug=slug).first()
    if jury is None:
        raise Http404
    return jury
