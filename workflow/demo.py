"""Demo stories told through the services, at the moments they happened.

Each app's demo module schedules its events on one ``Timeline``: the same service calls a
user's click makes (start an application, submit it, screen it …), each at a moment in the
past. ``run()`` performs them in time order while the clock is set to their moment
(time-machine), so every timestamp, log entry and reference comes out as if it had happened
then, and a new transition is never written twice (once for users, once for the demo).

Travelling in time around the service calls keeps the services free of demo-only
parameters (no ``at=`` on every service), and the rows are written once, never corrected
afterwards; the audit log is append-only.

An event may schedule further events while the timeline runs (not before its own moment):
the jury's reviews are planned once the assignment they depend on has been computed.
"""

import datetime as dt
import heapq
import itertools
from functools import partial

from django.utils import timezone


class Timeline:
    def __init__(self):
        self._events = []
        self._counter = itertools.count()

    def __len__(self):
        return len(self._events)

    def at(self, moment: dt.datetime, action, /, *args, **kwargs) -> None:
        """Call ``action(*args, **kwargs)`` at ``moment``. Events at the same moment run in
        the order they were scheduled."""
        heapq.heappush(
            self._events, (moment, next(self._counter), partial(action, *args, **kwargs))
        )

    def run(self) -> None:
        # A development dependency: the demo runs only with the dev and test settings.
        import time_machine

        if not self._events:
            return
        now = timezone.now()
        latest = max(event[0] for event in self._events)
        if latest > now:  # refused before anything happens
            raise ValueError(f"A demo event lies in the future: {latest.isoformat()}.")
        with time_machine.travel(self._events[0][0], tick=False) as traveller:
            current = None
            while self._events:
                moment, _order, action = heapq.heappop(self._events)
                if moment > now:
                    raise ValueError(f"A demo event lies in the future: {moment.isoformat()}.")
                if current is not None and moment < current:
                    raise ValueError(
                        f"A demo event was scheduled in the past: {moment.isoformat()}."
                    )
                current = moment
                traveller.move_to(moment, tick=False)
                action()
