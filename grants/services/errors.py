class WorkflowError(Exception):
    """A refused action, with a message for the user in their language."""

    def __init__(self, message, *, field_errors=None):
        super().__init__(str(message))
        self.message = message
        self.field_errors = field_errors or {}


class StaleObjectError(WorkflowError):
    """Someone else changed the object since the user loaded it."""
