"""``log_event`` lives in the workflow core; kept importable from here."""

from workflow.audit import log_event

__all__ = ["log_event"]
