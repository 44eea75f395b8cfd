"""The grantee's consent to the publication of their name: given with the agreement (stored
with its wording, accounts.services.record_consent) and withdrawn here at any time. The
public pages, the open data and the next report read ``Grant.publication_consent``; the
public pages' cached copies are dropped at once (grants.signals.publication_changed)."""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.access import may
from accounts.services import withdraw_consent
from core.errors import WorkflowError
from grants import events
from grants.consents import PUBLICATION
from grants.models import Grant
from grants.signals import publication_changed
from workflow.audit import log_event


def withdraw_publication_consent(*, grant: Grant, actor) -> Grant:
    with transaction.atomic():
        current = Grant.objects.select_for_update().select_related("application").get(pk=grant.pk)
        if not may(actor, "grants.withdraw_publication_consent", current):
            raise WorkflowError(_("There is no consent to publication to withdraw."))
        current.publication_consent = False
        current.save(update_fields=["publication_consent"])
        withdraw_consent(user=actor, purpose=PUBLICATION.purpose, subject=current)
        log_event(
            subject=current.application,
            action=events.PUBLICATION_WITHDRAWN,
            actor=actor,
            visible_to_applicant=True,
        )
        transaction.on_commit(lambda: publication_changed.send(sender=Grant, grant=current))
    return current
