"""What one erasure covers: record ids by part, never their content. The same scope is
stored in the erasure journal, so that a shredder can be run again on it after a restore."""

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class Scope:
    # Drafts never submitted: deleted.
    drafts: frozenset[int] = frozenset()
    # Submitted applications (and their grants): their content, files, names and reviews
    # anonymised; counts and sums stay.
    applications: frozenset[int] = frozenset()
    # Accounts: anonymised (accounts.services.anonymise_user) with what belongs to them.
    people: frozenset[int] = frozenset()
    # Grants whose bank details are deleted.
    bank: frozenset[int] = frozenset()
    # A person's entries on other people's applications (grants.TeamMember).
    team: frozenset[int] = frozenset()
    # A juror's own reviews and conflicts of interest whose texts go.
    reviews: frozenset[int] = frozenset()
    conflicts: frozenset[int] = frozenset()

    def __post_init__(self):
        for part in fields(self):
            object.__setattr__(self, part.name, frozenset(getattr(self, part.name)))

    def __bool__(self):
        return any(getattr(self, part.name) for part in fields(self))

    def __or__(self, other: "Scope") -> "Scope":
        return Scope(
            **{
                part.name: getattr(self, part.name) | getattr(other, part.name)
                for part in fields(self)
            }
        )

    def to_json(self) -> dict:
        return {
            part.name: sorted(getattr(self, part.name))
            for part in fields(self)
            if getattr(self, part.name)
        }

    @classmethod
    def from_json(cls, data: dict) -> "Scope":
        known = {part.name for part in fields(cls)}
        return cls(**{name: frozenset(ids) for name, ids in data.items() if name in known})
