"""The one door for every transition of any app is ``workflow.transitions.fire_transition``;
it stays importable from here, where it started."""

from workflow.transitions import fire_transition, stale_message

__all__ = ["fire_transition", "stale_message"]
