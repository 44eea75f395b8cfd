"""Demo stories told through the services, at the moments they happened.

Each app's demo module schedules its events on one ``Timeline``: the same service calls a
user's click makes (start an application, submit it, screen it …), each at a moment in the
past. ``run()`` performs them in time order while the clock is set to their moment
(time-machine), so every timestamp, log entry and reference comes out as if it had happened
then, and a new transition is never written twice (once for users, once for the demo).

Travelling in time around the service calls keeps the services free of demo-only
parameters (no ``at=`` on every service), and the rows are written once, never corrected
afterwards; the audit log is append-only.
"""

import datetime as dt
from functools import partial

from django.utils import timezone


class Timeline:
    def __init__(self):
        self._events = []

    def __len__(self):
        return len(self._events)

    def at(self, moment: dt.datetime, action, /, *args, **kwargs) -> None:
        """Call ``action(*args, **kwargs)`` at ``moment``. Events at the same moment run in
        the order they were scheduled."""
        self._events.append((moment, len(self._events), partial(action, *args, **kwargs)))

    def run(self) -> None:
        # A development dependency: the demo runs only with the dev and test settings.
        import time_machine

        events = sorted(self._events, key=lambda event: event[:2])
        self._events = []
        if not events:
            return
        now = timezone.now()
        if events[-1][0] > now:
            raise ValueError(f"A demo event lies in the future: {events[-1][0].isoformat()}.")
        with time_machine.travel(events[0][0], tick=False) as traveller:
            for moment, _order, action in events:
                traveller.move_to(moment, tick=False)
                action()
