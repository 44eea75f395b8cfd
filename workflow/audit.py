from django.contrib.contenttypes.models import ContentType

from workflow.models import TransitionLog


def log_event(
    *,
    subject,
    action,
    actor,
    from_state="",
    to_state="",
    note="",
    data=None,
    visible_to_applicant=False,
):
    """Append one entry to the audit trail of ``subject`` (any model instance)."""
    return TransitionLog.objects.create(
        content_type=ContentType.objects.get_for_model(type(subject)),
        object_id=subject.pk,
        action=action,
        actor=actor,
        from_state=from_state,
        to_state=to_state,
        note=note,
        data=data or {},
        visible_to_applicant=visible_to_applicant,
    )
