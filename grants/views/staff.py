"""Pages of programme staff."""

from django.shortcuts import render

from accounts.access import role_required
from accounts.roles import Role
from grants import queries


@role_required(Role.STAFF)
def dashboard(request):
    return render(request, "grants/staff/dashboard.html", {"calls": queries.calls_for_staff()})


call_create = call_edit = call_transition = application_list = application_export = dashboard
bulk_transition = application_detail = screen = request_information = comment = dashboard
