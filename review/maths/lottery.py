"""The lottery among the grey zone: reproducible by anyone from the published list and seed.

Every application's ticket is the SHA-256 hash (hexadecimal) of the seed followed directly
by its reference, both as UTF-8 text. The lowest ticket comes first. To recompute one
ticket: ``python3 -c "import hashlib; print(hashlib.sha256(('SEED' + 'CTF-2026-1-0042').encode()).hexdigest())"``.
"""

import hashlib
from collections.abc import Iterable

# Stored with every draw. Change it whenever the rule above changes.
CODE_VERSION = "ctf-lottery-1: tickets sha256(utf8(seed + reference)), lowest first"


def ticket(seed: str, reference: str) -> str:
    return hashlib.sha256((seed + reference).encode("utf-8")).hexdigest()


def lottery_order(seed: str, references: Iterable[str]) -> list[tuple[str, str]]:
    """(reference, ticket) pairs, lowest ticket first."""
    return sorted(((reference, ticket(seed, reference)) for reference in references),
                  key=lambda pair: (pair[1], pair[0]))  # fmt: skip


def normalise_seed(seed: str) -> str:
    """The seed as stored and hashed: surrounding white space removed, inner runs of white
    space made single spaces, so a copied draw gives the same tickets."""
    return " ".join(seed.split())
