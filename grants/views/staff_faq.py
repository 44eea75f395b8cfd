"""The questions and answers on a call's public page, as staff write them. Thin: check the
role, call the service, render."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.access import role_required
from accounts.roles import Role
from core.views import run_service
from grants.forms.faq import FaqFormSet, faq_initial
from grants.models import Call
from grants.services.faq import save_faq


@role_required(Role.STAFF)
def call_faq(request, slug):
    call = get_object_or_404(Call.objects.prefetch_related("faq_entries"), slug=slug)
    initial = faq_initial(call.faq_entries.all())
    formset = FaqFormSet(request.POST or None, initial=initial, prefix="faq")
    if request.method == "POST":
        if formset.is_valid():
            done = run_service(
                request,
                save_faq,
                success=_("The questions and answers have been saved."),
                call=call,
                actor=request.user,
                entries=formset.entries(),
            )
            if done.ok:
                return redirect("staff_call_faq", slug=call.slug)
        else:
            messages.error(request, _("Nothing was saved. Please correct the marked fields."))
    return render(request, "grants/staff/call_faq.html", {"call": call, "formset": formset})
