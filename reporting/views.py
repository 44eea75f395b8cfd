from django.shortcuts import render

from accounts.access import role_required
from accounts.roles import Role


@role_required(Role.MINISTRY)
def ministry_dashboard(request):
    return render(request, "reporting/dashboard.html")
