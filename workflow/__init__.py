"""The workflow core every app shares: the one door for django-fsm transitions
(``fire_transition``), the append-only ``TransitionLog``, the names and labels of logged
actions, and e-mail notifications sent after commit."""
