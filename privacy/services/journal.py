"""The erasure journal: every shredder run, as a row (privacy.Erasure) and as a line in a
file outside the database (settings.ERASURE_JOURNAL). Both hold ids and kinds only. A
backup restored later brings back data erased since it was taken, and the rows that record
those erasures are missing from it; ``privacy.services.shredders.reapply`` finds them in the
file and runs the same shredders on the same records again (bin/restore does this)."""

import json
import logging
import os
import uuid

from django.conf import settings
from django.db import transaction

from privacy.events import DATA_ERASED
from privacy.models import Erasure
from privacy.scope import Scope
from workflow.audit import log_event

logger = logging.getLogger(__name__)


def record(*, kind, scope, count, cause, rule="", request=None, actor=None, journal_id=None):
    """One shredder run, inside its transaction; the file gets its line after the commit."""
    erasure = Erasure.objects.create(
        journal_id=journal_id or uuid.uuid4(),
        kind=kind,
        cause=cause,
        rule=rule,
        scope=scope.to_json(),
        count=count,
        request=request,
    )
    log_event(
        subject=erasure,
        action=DATA_ERASED,
        actor=actor,
        data={"kind": kind, "count": count, "cause": cause, "rule": rule},
    )
    if journal_id is None:
        line = json.dumps(
            {
                "id": str(erasure.journal_id),
                "at": erasure.created_at.isoformat(),
                "kind": kind,
                "scope": scope.to_json(),
            },
            sort_keys=True,
        )
        transaction.on_commit(lambda: append(line))
    return erasure


def append(line: str) -> None:
    path = settings.ERASURE_JOURNAL
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as journal_file:
        journal_file.write(line + "\n")
        journal_file.flush()
        os.fsync(journal_file.fileno())


def entries() -> list[dict]:
    """The journal file's entries, oldest first (a damaged line is skipped and logged)."""
    path = settings.ERASURE_JOURNAL
    if not path.exists():
        return []
    found = []
    with open(path, encoding="utf-8") as journal_file:
        for number, line in enumerate(journal_file, start=1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
                found.append(
                    {
                        "id": uuid.UUID(entry["id"]),
                        "kind": entry["kind"],
                        "scope": Scope.from_json(entry["scope"]),
                    }
                )
            except (ValueError, KeyError, TypeError):
                logger.error("Erasure journal line %s is damaged and was skipped.", number)
    return found
