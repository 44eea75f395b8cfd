"""Who sees which objects, written once for lists and for single objects.

A model's ``Visibility`` is a set of audiences. Every audience states its rule twice, side
by side: as a filter for lists (``rows``) and as a test of one loaded object
(``includes``). The list selector (``visible_to``) ORs the filters of the audiences a user
belongs to; the object rule (``predicate``, registered with ``rules``) asks the same
audiences about one object. A test per model checks that both agree for every role and
state (``tests/accounts/visibility.py``).

An app adds an audience to another app's model with ``register`` in its
``AppConfig.ready`` (the review app adds jurors to applications this way).

Two refinements, both stated for lists and objects alike:

- an audience registered with ``general=False`` counts only where a page asks for it by
  name (``only=``): jurors see applications on their own, blind pages, never on the shared
  ones;
- a ``Restriction`` takes objects away from named audiences (``restrict``): a declared
  conflict of interest hides an application from a juror who is also programme staff,
  without touching what they see as its applicant.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from operator import or_

import rules
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q


@dataclass(frozen=True)
class Audience:
    """One reason why a user may see an object."""

    name: str
    # Does this audience concern the user at all? A role check without further queries.
    concerns: Callable[[object], bool]
    # The objects it lets the user see, as a filter on the model.
    rows: Callable[[object], Q]
    # The same rule for one loaded object.
    includes: Callable[[object, object], bool]
    # Whether it counts for the general rule and selector (no ``only``), or only by name.
    general: bool = True


@dataclass(frozen=True)
class Restriction:
    """A reason why a user may not see an object that one of their audiences would show."""

    name: str
    concerns: Callable[[object], bool]
    # The objects it hides from the user, as a filter on the model.
    rows: Callable[[object], Q]
    # The same rule for one loaded object: True if it hides ``obj``.
    excludes: Callable[[object, object], bool]


class Visibility:
    """The audiences of one model."""

    def __init__(self, model):
        self.model = model
        self._audiences: dict[str, Audience] = {}
        self._restrictions: dict[str, list[Restriction]] = {}

    def register(self, audience: Audience) -> None:
        if self._audiences.get(audience.name, audience) is not audience:
            raise ImproperlyConfigured(
                f"An audience named {audience.name} is registered already for {self.model.__name__}."
            )
        self._audiences[audience.name] = audience

    def unregister(self, name: str) -> None:
        del self._audiences[name]

    def restrict(self, audience_names, restriction: Restriction) -> None:
        """Hide what ``restriction`` names from the audiences ``audience_names``."""
        for name in audience_names:
            listed = self._restrictions.setdefault(name, [])
            if restriction not in listed:
                listed.append(restriction)

    def _restrictions_of(self, user, audience: Audience) -> list[Restriction]:
        return [r for r in self._restrictions.get(audience.name, ()) if r.concerns(user)]

    def names(self) -> tuple[str, ...]:
        return tuple(self._audiences)

    def audiences_of(self, user, only: str | None = None) -> list[Audience]:
        """The audiences ``user`` belongs to (just the one named ``only``, if given), in the
        order they were registered: ``sees`` stops at the first yes, so cheap tests first."""
        if only is not None and only not in self._audiences:
            raise ImproperlyConfigured(f"{self.model.__name__} has no audience named {only}.")
        if user is None or not user.is_authenticated:
            return []
        return [
            audience
            for name, audience in self._audiences.items()
            if (name == only if only is not None else audience.general) and audience.concerns(user)
        ]

    def _rows(self, user, audience: Audience) -> Q:
        rows = audience.rows(user)
        for restriction in self._restrictions_of(user, audience):
            rows &= ~restriction.rows(user)
        return rows

    def _includes(self, user, obj, audience: Audience) -> bool:
        return audience.includes(user, obj) and not any(
            restriction.excludes(user, obj) for restriction in self._restrictions_of(user, audience)
        )

    def visible_to(self, user, only: str | None = None):
        """The queryset of everything ``user`` may see (in the capacity ``only``)."""
        parts = [self._rows(user, audience) for audience in self.audiences_of(user, only)]
        if not parts:
            return self.model.objects.none()
        return self.model.objects.filter(reduce(or_, parts))

    def sees(self, user, obj, only: str | None = None) -> bool:
        """Whether ``user`` may see ``obj`` (in the capacity ``only``)."""
        if obj is None:
            return False
        return any(
            self._includes(user, obj, audience) for audience in self.audiences_of(user, only)
        )

    def predicate(self, only: str | None = None) -> rules.Predicate:
        """The object rule, for ``rules.add_perm``."""
        name = f"sees_{self.model._meta.model_name}" + (f"_as_{only}" if only else "")

        def test(user, obj):
            return self.sees(user, obj, only)

        return rules.predicate(test, name=name)
