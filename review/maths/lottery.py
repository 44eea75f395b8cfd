"""The lottery among the grey zone: reproducible by anyone from the published list and seed.

Every application's ticket is the SHA-256 hash (hexadecimal) of the seed followed directly
by its reference, both as UTF-8 text. The lowest ticket comes first.

The seed comes from a public source named before the list is frozen (a lottery draw, a
round of a randomness beacon) and published after that moment, so nobody can choose it.
``recompute_command`` gives a shell command that recomputes every ticket: seed and
references are passed to Python as arguments, each quoted for the shell as a whole
(``shlex.quote``), never pasted into the program's text, so any seed (with quotes,
backticks, ``$``, backslashes) gives the right tickets and runs nothing.
"""

import hashlib
import re
import shlex
from collections.abc import Iterable

# Stored with every draw. Change it whenever the rule above changes.
CODE_VERSION = "ctf-lottery-1: tickets sha256(utf8(seed + reference)), lowest first"

# What each kind of source publishes (review.states.SeedSource): a drand round's
# randomness is 32 bytes in hexadecimal, a NIST beacon pulse's output value 64 bytes; a
# lottery draw has numbers. Beacon values are compared in lower case.
SEED_FORMATS = {
    "lottery_draw": re.compile(r".*\d.*"),
    "drand": re.compile(r"[0-9a-f]{64}"),
    "nist_beacon": re.compile(r"[0-9a-f]{128}"),
    "other": re.compile(r".+"),
}
HEXADECIMAL = ("drand", "nist_beacon")

# Prints "ticket reference" per reference, lowest ticket first. The arguments are read as
# the bytes the shell passed (os.fsencode), so the locale cannot change a ticket.
PROGRAM = (
    "import hashlib, os, sys; s = os.fsencode(sys.argv[1]); "
    'print("\\n".join(sorted(hashlib.sha256(s + os.fsencode(r)).hexdigest() + " " + r '
    "for r in sys.argv[2:])))"
)


def ticket(seed: str, reference: str) -> str:
    return hashlib.sha256((seed + reference).encode("utf-8")).hexdigest()


def lottery_order(seed: str, references: Iterable[str]) -> list[tuple[str, str]]:
    """(reference, ticket) pairs, lowest ticket first. Distinct references have distinct
    tickets (a tie would be a SHA-256 collision), so no second key is needed."""
    return sorted(((reference, ticket(seed, reference)) for reference in references),
                  key=lambda pair: pair[1])  # fmt: skip


def normalise_seed(seed: str, kind: str = "other") -> str:
    """The seed as stored and hashed: surrounding white space removed, inner runs of white
    space made single spaces, so a copied draw gives the same tickets; a beacon's value in
    lower case."""
    seed = " ".join(seed.split())
    return seed.lower() if kind in HEXADECIMAL else seed


def seed_fits_source(seed: str, kind: str) -> bool:
    """Whether the (normalised) seed looks like what a source of this kind publishes."""
    pattern = SEED_FORMATS.get(kind)
    return pattern is not None and pattern.fullmatch(seed) is not None


def recompute_command(seed: str, references: Iterable[str]) -> str:
    """A POSIX shell command that prints every ticket, lowest first."""
    arguments = " ".join(shlex.quote(value) for value in (seed, *references))
    return f"python3 -c {shlex.quote(PROGRAM)} {arguments}"
