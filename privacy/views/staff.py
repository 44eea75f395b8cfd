"""The staff's data protection pages: requests to erase data (what can go now and what must
stay), carrying them out, and a person's data as a download on their request (logged)."""

from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.models import User
from accounts.roles import Role
from core.views import run_service
from privacy import queries
from privacy.forms import FindPersonForm
from privacy.models import ErasureRequest
from privacy.plan import erasure_plan
from privacy.services.erasure import carry_out_erasure
from privacy.services.export import export_personal_data
from privacy.states import RequestState


@role_required(Role.STAFF)
def requests(request):
    form = FindPersonForm(request.GET or None)
    if form.is_valid():
        person = queries.person_by_address(form.cleaned_data["email"])
        if person is not None:
            return redirect("staff_privacy_person", pk=person.pk)
        form.add_error("email", _("No account has this address."))
    return render(
        request,
        "privacy/staff/requests.html",
        {
            "form": form,
            "open_requests": list(queries.open_requests()),
            "handled": list(queries.handled_requests()),
        },
    )


@role_required(Role.STAFF)
def person(request, pk):
    person = get_object_or_404(User, pk=pk)
    return render(
        request,
        "privacy/staff/person.html",
        {
            "person": person,
            "plan": erasure_plan(person),
            "open_request": queries.open_erasure_request(person),
        },
    )


@role_required(Role.STAFF)
@require_POST
def download(request, pk):
    person = get_object_or_404(User, pk=pk)
    name, archive = export_personal_data(person=person, actor=request.user)
    return FileResponse(archive, as_attachment=True, filename=name, content_type="application/zip")


@role_required(Role.STAFF)
@require_POST
def carry_out(request, pk):
    erasure_request = get_object_or_404(
        ErasureRequest.objects.select_related("user"), pk=pk, state=RequestState.OPEN
    )
    outcome = run_service(
        request,
        carry_out_erasure,
        request=erasure_request,
        actor=request.user,
        success=_("The data has been erased and the person has been told what remains."),
    )
    if outcome.ok:
        return redirect("staff_privacy")
    return redirect("staff_privacy_person", pk=erasure_request.user_id)
