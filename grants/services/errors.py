"""The workflow errors, under the name the grants code has always imported them by."""

from core.errors import StaleObjectError, TransitionRefused, WorkflowError

__all__ = ["StaleObjectError", "TransitionRefused", "WorkflowError"]
