from django.shortcuts import render

from accounts.access import role_required
from accounts.roles import Role


@role_required(Role.JUROR)
def dashboard(request):
    return render(request, "review/dashboard.html")
