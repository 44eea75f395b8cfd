class WorkflowError(Exception):
    """A refused action, with a message for the user in their language."""

    def __init__(self, message, *, field_errors=None):
        super().__init__(str(message))
        self.message = message
        self.field_errors = field_errors or {}


class StaleObjectError(WorkflowError):
    """Someone else changed the object since the user loaded it."""


class TransitionRefused(WorkflowError):
    """django-fsm refused a transition. ``reason`` is "state" (no such transition from the
    current state), "permission" (the actor may not fire it) or "conditions", with the names
    of the conditions that failed in ``failed_conditions``, so that a service can explain
    them in its own words."""

    def __init__(self, message, *, reason, failed_conditions=()):
        super().__init__(message)
        self.reason = reason
        self.failed_conditions = tuple(failed_conditions)
