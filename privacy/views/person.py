"""A person's own data protection pages: download everything the fund holds about them, ask
for it to be erased (after seeing what would go and what must stay), withdraw the request."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.views import run_service
from privacy import queries
from privacy.plan import erasure_plan
from privacy.services.erasure import cancel_erasure_request, request_erasure
from privacy.services.export import export_personal_data


@require_POST
@login_required
def download(request):
    name, archive = export_personal_data(person=request.user, actor=request.user)
    return FileResponse(archive, as_attachment=True, filename=name, content_type="application/zip")


@login_required
def erasure(request):
    """What erasing would do now; a POST asks for it."""
    open_request = queries.open_erasure_request(request.user)
    if request.method == "POST" and open_request is None:
        outcome = run_service(
            request,
            request_erasure,
            user=request.user,
            success=_(
                "We have your request. The programme staff will erase your data and tell you "
                "by e-mail what they erased and what must stay."
            ),
        )
        if outcome.ok:
            return redirect("privacy_erasure")
    return render(
        request,
        "privacy/erasure.html",
        {"plan": erasure_plan(request.user), "open_request": open_request},
    )


@require_POST
@login_required
def cancel(request):
    open_request = queries.open_erasure_request(request.user)
    if open_request is None:
        raise Http404
    run_service(
        request,
        cancel_erasure_request,
        request=open_request,
        actor=request.user,
        success=_("You have withdrawn your request to erase your data."),
    )
    return redirect("privacy_erasure")
