from reporting.models.archive import (
    ArchivedReport,
    QuarterlyDelivery,
    ReportOrigin,
    ReportStatus,
    ReportSubscription,
)
from reporting.models.targets import TARGET_INDICATORS, IndicatorTarget

__all__ = [
    "TARGET_INDICATORS",
    "IndicatorTarget",
    "ArchivedReport",
    "QuarterlyDelivery",
    "ReportOrigin",
    "ReportStatus",
    "ReportSubscription",
]
