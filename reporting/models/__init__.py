from reporting.models.archive import (
    ArchivedReport,
    QuarterlyDelivery,
    ReportOrigin,
    ReportStatus,
    ReportSubscription,
)

__all__ = [
    "ArchivedReport",
    "QuarterlyDelivery",
    "ReportOrigin",
    "ReportStatus",
    "ReportSubscription",
]
