"""Two-stage calls: an invited team starts its full proposal from its concept's page."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import get_permitted_object_or_404
from core.views import run_service
from grants import queries
from grants.services.stages import start_full_proposal
from grants.states import ApplicationState


@require_POST
@login_required
def full_proposal(request, pk):
    """Start the full proposal of an invited concept, or open the one started before."""
    concept = get_permitted_object_or_404(
        request.user, "grants.start_full_proposal", queries.application_with_call(pk), pk=pk
    )
    done = run_service(
        request,
        start_full_proposal,
        success=lambda full: (
            _("Your full proposal %(reference)s: your concept's answers have been carried over.")
            % {"reference": full.reference}
        ),
        concept=concept,
        actor=request.user,
    )
    if not done.ok:
        return redirect("application_detail", pk=concept.pk)
    full = done.result
    if full.state == ApplicationState.DRAFT:
        return redirect("application_edit", pk=full.pk)
    return redirect("application_detail", pk=full.pk)
