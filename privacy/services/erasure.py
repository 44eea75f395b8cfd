"""Erasure on request (GDPR Art. 17): a person asks; staff carry it out. What the plan
(privacy.plan) allows goes through the shredders, in one transaction with the request's
step, so that two staff cannot carry it out twice; what must stay is recorded on the request
(item keys, counts, dates) and the person is told, by e-mail, what remains and until when."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.errors import WorkflowError
from privacy.events import ERASURE_REQUESTED
from privacy.models import ErasureRequest
from privacy.plan import erasure_plan
from privacy.services.shredders import shred
from privacy.states import Cause, RequestState
from workflow.audit import log_event
from workflow.tasks import send_templated_email
from workflow.transitions import fire_transition, transition_refusal


def request_erasure(*, user) -> ErasureRequest:
    """Record that ``user`` asks for their data to be erased; one open request at a time."""
    refused = WorkflowError(_("You have already asked us to erase your data."))
    if ErasureRequest.objects.filter(user=user, state=RequestState.OPEN).exists():
        raise refused
    try:
        with transaction.atomic():
            request = ErasureRequest.objects.create(user=user)
            log_event(subject=request, action=ERASURE_REQUESTED, actor=user)
    except IntegrityError:  # the same request sent twice at once
        raise refused from None
    return request


def cancel_erasure_request(*, request: ErasureRequest, actor) -> ErasureRequest:
    with transaction.atomic():
        current = ErasureRequest.objects.select_for_update().get(pk=request.pk)
        fire_transition(
            subject=current,
            transition_name="cancel",
            actor=actor,
            expected_state=RequestState.OPEN,
        )
    return current


def carry_out_erasure(*, request: ErasureRequest, actor) -> ErasureRequest:
    """Erase what can be erased now, record what stays, and tell the person."""
    with transaction.atomic():
        current = (
            ErasureRequest.objects.select_for_update().select_related("user").get(pk=request.pk)
        )
        # Checked before anything is erased (files leave the storage at once).
        refusal = transition_refusal(subject=current, transition_name="carry_out", actor=actor)
        if refusal is not None:
            raise refusal
        person = current.user
        address, language = person.email, person.language
        plan = erasure_plan(person)
        shred(scope=plan.scope, cause=Cause.REQUEST, request=current, actor=actor)
        current.erased = [item.to_json() for item in plan.erase]
        current.kept = [item.to_json() for item in plan.keep]
        current.handled_by = actor
        fire_transition(
            subject=current,
            transition_name="carry_out",
            actor=actor,
            expected_state=RequestState.OPEN,
            data={"erased": len(plan.erase), "kept": len(plan.keep)},
        )
        transaction.on_commit(lambda: tell_person(address, language, plan))
    return current


def tell_person(address: str, language: str, plan) -> None:
    """Sent at once rather than queued: the queue would keep the address the erasure has
    just removed."""
    send_templated_email.call(
        template="erasure_done",
        recipient={"email": address, "language": language},
        context={
            "erased": plan.erase,
            "kept": plan.keep,
            "for_account": True,
            "privacy_contact": settings.PRIVACY_CONTACT_EMAIL,
        },
    )
