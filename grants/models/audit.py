"""The audit log lives in the workflow app, which every app shares; these names are kept
so that imports from grants go on working."""

from workflow.models import AppendOnlyError, TransitionLog

__all__ = ["AppendOnlyError", "TransitionLog"]
