"""Per-topic minimum shares of a call's budget (optional), which the funding line respects:
it funds a topic's best applications first until their awards reach the topic's share
(review.maths.funding_line). A line keeps the minimums it was drawn with."""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.access import may
from core.errors import WorkflowError
from review import events
from review.models import Jury, TopicMinimum
from workflow.audit import log_event


def save_topic_minimums(*, jury: Jury, actor, shares: dict) -> list[TopicMinimum]:
    """Replace the minimums: ``shares`` maps topics of the call's fund to whole percentages
    (1–100, together at most 100); a topic left out has none."""
    if not may(actor, "review.manage_jury"):
        raise WorkflowError(_("You may not do this now."))
    if any(topic.fund_id != jury.call.fund_id for topic in shares):
        raise WorkflowError(_("Unknown topic."))
    if any(not 1 <= share <= 100 for share in shares.values()):
        raise WorkflowError(_("A minimum share lies between 1 and 100 %."))
    if sum(shares.values()) > 100:
        raise WorkflowError(_("The minimum shares add up to more than 100 %."))
    with transaction.atomic():
        current = Jury.objects.select_for_update().get(pk=jury.pk)
        before = dict(TopicMinimum.objects.filter(jury=current).values_list("topic__slug", "share"))
        after = {topic.slug: share for topic, share in shares.items()}
        if before == after:
            return list(TopicMinimum.objects.filter(jury=current).select_related("topic"))
        TopicMinimum.objects.filter(jury=current).delete()
        created = TopicMinimum.objects.bulk_create(
            TopicMinimum(jury=current, topic=topic, share=share) for topic, share in shares.items()
        )
        log_event(
            subject=current,
            action=events.TOPIC_MINIMUMS_CHANGED,
            actor=actor,
            from_state=current.phase,
            to_state=current.phase,
            data={"from": before, "to": after},
        )
    return created
