"""Programme staff set the targets per indicator, for the fund or one call; the reports show
them against what was achieved."""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from accounts.access import role_required
from accounts.roles import Role
from core.views import run_service
from grants.models import Call
from reporting import queries
from reporting.forms import TargetScopeForm, TargetsForm
from reporting.models import TARGET_INDICATORS
from reporting.report.labels import label
from reporting.services.targets import EURO_TARGETS, set_targets


def _targets_form(data=None, *, initial):
    return TargetsForm(
        data,
        initial=initial,
        indicators=TARGET_INDICATORS,
        labels={name: label(name) for name in TARGET_INDICATORS},
        euro_indicators=EURO_TARGETS,
    )


@role_required(Role.STAFF)
def targets(request):
    fund = queries.the_fund()
    calls = list(Call.objects.filter(fund=fund).order_by("-year", "-round_number"))
    scope = TargetScopeForm(request.GET or None, calls=calls)
    slug = scope.chosen_slug()
    call = scope.calls.get(slug)
    initial = {
        name: value if name in EURO_TARGETS else int(value)
        for name, value in queries.targets_of(fund, call).items()
    }
    form = _targets_form(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        outcome = run_service(
            request, set_targets, form=form, success=_("The targets have been saved."),
            actor=request.user, fund=fund, call=call, values=form.values(),
        )  # fmt: skip
        if outcome.ok:
            query = f"?{urlencode({'call': slug})}" if slug else ""
            return redirect(reverse("ministry_targets") + query)
    return render(
        request,
        "reporting/targets.html",
        {"scope": scope, "form": form, "call": call, "fund": fund},
    )
