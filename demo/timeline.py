"""Demo stories told through the services, at the moments they happened.

Each app's demo module schedules its events on one ``Timeline``: the same service calls a
user's click makes (start an application, submit it, screen it …), each at a moment in the
past. ``run()`` performs them in time order while the clock is set to their moment
(time-machine), so every timestamp, log entry and reference comes out as if it had happened
then, and a new transition is never written twice (once for users, once for the demo).

An event may schedule further events while the timeline runs (the jury's reviews once the
assignment is computed, a grant's reports once its agreement has fixed the due dates), at
its own moment or later, never earlier.

Travelling in time around the service calls keeps the services free of demo-only
parameters (no ``at=`` on every service), and the rows are written once, never corrected
afterwards; the audit log is append-only.
"""

import datetime as dt
import heapq
from functools import partial

from django.db import connection
from django.utils import timezone

# On PostgreSQL the statistics are refreshed after every so many events. The story is written
# in one transaction, which autovacuum cannot see: a planner that believes the tables empty
# (reltuples 0, as a test database's often are) joins them by nested loops over sequential
# scans, and one review save took minutes once the jury's tables held thousands of rows.
# ANALYZE inside the transaction counts its own new rows.
ANALYZE_EVERY = 500


class Timeline:
    def __init__(self):
        self._events = []
        self._count = 0
        self._current = None  # the moment of the running event
        self._now = None  # the real time when the run started

    def __len__(self):
        return len(self._events)

    def at(self, moment: dt.datetime, action, /, *args, **kwargs) -> None:
        """Call ``action(*args, **kwargs)`` at ``moment``. Events at the same moment run in
        the order they were scheduled."""
        if self._current is not None:
            if moment < self._current:
                raise ValueError(f"A demo event cannot go back to {moment.isoformat()}.")
            if moment > self._now:
                raise ValueError(f"A demo event lies in the future: {moment.isoformat()}.")
        self._count += 1
        heapq.heappush(self._events, (moment, self._count, partial(action, *args, **kwargs)))

    def run(self, progress=None) -> None:
        """Perform the events in time order. ``progress(moment, done)`` is told when the
        story enters a new quarter, so that a long seed shows how far it has come."""
        # A development dependency: the demo runs only with the dev and test settings.
        import time_machine

        if not self._events:
            return
        self._now = timezone.now()
        if max(event[0] for event in self._events) > self._now:
            latest = max(event[0] for event in self._events)
            raise ValueError(f"A demo event lies in the future: {latest.isoformat()}.")
        done = 0
        quarter = None
        with time_machine.travel(self._events[0][0], tick=False) as traveller:
            while self._events:
                moment, _order, action = heapq.heappop(self._events)
                self._current = moment
                if progress is not None and (moment.year, (moment.month - 1) // 3) != quarter:
                    quarter = (moment.year, (moment.month - 1) // 3)
                    progress(moment, done)
                traveller.move_to(moment, tick=False)
                action()
                done += 1
                if done % ANALYZE_EVERY == 0:
                    refresh_statistics()
        self._current = None


def refresh_statistics() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
