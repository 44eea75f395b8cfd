"""Setting the targets per indicator (programme staff), for the fund or one of its calls."""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.access import may
from core.errors import WorkflowError
from reporting.models import TARGET_INDICATORS, IndicatorTarget
from reporting.models.targets import TARGET_MAX
from workflow.audit import log_event

TARGETS_CHANGED = "reporting.targets_changed"
EURO_TARGETS = ("committed", "disbursed", "follow_up_funding")


def check_value(name: str, value: Decimal | None) -> None:
    if value is None:
        return
    if not 0 <= value <= TARGET_MAX:
        raise WorkflowError(_("A target lies between 0 and 1,000,000,000,000."))
    if name not in EURO_TARGETS and value != value.to_integral_value():
        raise WorkflowError(_("A target of a count is a whole number."))


def _text(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def set_targets(*, actor, fund, call=None, values: dict) -> dict[str, list]:
    """Set the targets ``values`` (indicator → Decimal, or None for no target) of ``fund``
    (``call`` None) or of one of its calls. Returns the changes (indicator → [old, new]),
    which are also written to the audit log of the call or fund."""
    if not may(actor, "reporting.set_targets"):
        raise WorkflowError(_("You may not set targets."))
    if call is not None and call.fund_id != fund.pk:
        raise WorkflowError(_("This call belongs to another fund."))
    unknown = sorted(set(values) - set(TARGET_INDICATORS))
    if unknown:
        raise WorkflowError(
            _("There is no such indicator: %(names)s.") % {"names": ", ".join(unknown)}
        )
    for name, value in values.items():
        check_value(name, value)
    changes = {}
    with transaction.atomic():
        existing = {
            target.indicator: target
            # Ordered by the key alone: the model's ordering joins the call, and PostgreSQL
            # refuses FOR UPDATE on the nullable side of that outer join.
            for target in IndicatorTarget.objects.select_for_update()
            .filter(fund=fund, call=call)
            .order_by("pk")
        }
        for name in TARGET_INDICATORS:
            if name not in values:
                continue
            value, target = values[name], existing.get(name)
            old = target.value if target is not None else None
            if old == value:
                continue
            if target is None:
                IndicatorTarget.objects.create(
                    fund=fund, call=call, indicator=name, value=value, set_by=actor
                )
            else:
                target.value, target.set_by = value, actor
                target.save(update_fields=["value", "set_by", "set_at"])
            changes[name] = [_text(old), _text(value)]
        if changes:
            log_event(
                subject=call if call is not None else fund,
                action=TARGETS_CHANGED,
                actor=actor,
                data={"changes": changes},
            )
    return changes
