"""The privacy notice, generated from the inventory of personal data and the retention
settings (privacy.inventory.records), in the visitor's language."""

from django.conf import settings
from django.shortcuts import render

from privacy.inventory.records import retention_rules, sections


def notice(request):
    return render(
        request,
        "privacy/notice.html",
        {
            "controller": settings.PRIVACY_CONTROLLER,
            "contact": settings.PRIVACY_CONTACT_EMAIL,
            "sections": sections(),
            "retention": retention_rules(),
        },
    )
