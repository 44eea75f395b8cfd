"""One shredder per kind of personal data (pretix's data shredders): each erases its kind
from the records of a scope (privacy.scope.Scope) in one transaction, is recorded in the
erasure journal (ids and kinds, never the data) and may run again on the same scope without
changing anything more."""

from django.db import transaction

from grants.signals import publication_changed
from privacy.kinds import DataKind
from privacy.models import Erasure
from privacy.services import journal
from privacy.services.shredders.bank import BankShredder
from privacy.services.shredders.contact import ContactShredder
from privacy.services.shredders.identity import IdentityShredder
from privacy.services.shredders.proposal import ProposalShredder
from privacy.services.shredders.review import ReviewShredder
from privacy.services.shredders.technical import TechnicalShredder
from privacy.states import Cause

# Identity last: until then the others still find the person's records and addresses.
SHREDDERS = {
    shredder.kind: shredder
    for shredder in (
        ProposalShredder(),
        ReviewShredder(),
        BankShredder(),
        ContactShredder(),
        TechnicalShredder(),
        IdentityShredder(),
    )
}
assert set(SHREDDERS) == set(DataKind.values)


def shred(*, scope, cause, rule="", request=None, actor=None, kinds=None) -> dict[str, int]:
    """Run the shredders (all, or ``kinds``) on ``scope``, each in its own transaction, and
    journal each run that had something to do. Returns the records changed per kind."""
    changed = {}
    for kind, shredder in SHREDDERS.items():
        if kinds is not None and kind not in kinds:
            continue
        with transaction.atomic():
            count = shredder.shred(scope, actor=actor)
            if count:
                journal.record(
                    kind=kind,
                    scope=scope,
                    count=count,
                    cause=cause,
                    rule=rule,
                    request=request,
                    actor=actor,
                )
        changed[kind] = count
    if scope.applications or scope.people:
        # Published names and texts may have gone: the public pages are made anew.
        transaction.on_commit(lambda: publication_changed.send(sender=None))
    return changed


def reapply(*, actor=None) -> int:
    """Run again every journalled erasure the database does not know (it came back with a
    restored backup), with the journal's id, so that running this twice applies nothing
    more. Returns how many were applied."""
    known = set(Erasure.objects.values_list("journal_id", flat=True))
    applied = 0
    for entry in journal.entries():
        if entry["id"] in known or entry["kind"] not in SHREDDERS:
            continue
        with transaction.atomic():
            count = SHREDDERS[entry["kind"]].shred(entry["scope"], actor=actor)
            journal.record(
                kind=entry["kind"],
                scope=entry["scope"],
                count=count,
                cause=Cause.RESTORE,
                actor=actor,
                journal_id=entry["id"],
            )
        known.add(entry["id"])
        applied += 1
    return applied
