"""The inventory of personal data, in code (GDPR Art. 30): every model field that holds
personal data, with its kind, legal basis, purpose and retention rule; every other field
that could hold some (text, an address, a file, a link to a person) declared not personal,
with the reason. ``unregistered()`` lists what nobody has declared yet: the test that
calls it fails when a model or field is added without a registration.

Records that live outside the database (request logs, backups) are registered by name."""

from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django_fsm import FSMFieldMixin

from privacy.kinds import DataKind, LegalBasis


@dataclass(frozen=True)
class Entry:
    """One registered field (or outside record, ``model`` None)."""

    model: type[models.Model] | None
    name: str
    kind: str | None  # a DataKind, or None: not personal
    basis: str | None = None
    purpose: object = ""
    retention: tuple[str, ...] = ()
    reason: object = ""  # why a field is not personal
    label: object = ""  # outside records: what they are

    @property
    def personal(self) -> bool:
        return self.kind is not None

    @property
    def model_label(self) -> str:
        return self.model._meta.label if self.model is not None else ""

    @property
    def verbose_name(self):
        if self.model is None:
            return self.label
        try:
            return self.model._meta.get_field(self.name).verbose_name
        except Exception:  # noqa: BLE001 (a reverse relation or a pseudo field)
            return self.name

    @property
    def model_name(self):
        return self.model._meta.verbose_name if self.model is not None else self.label


@dataclass
class Registry:
    entries: dict[tuple[str, str], Entry] = field(default_factory=dict)

    def add(self, entry: Entry) -> None:
        key = (entry.model_label or "outside", entry.name)
        if key in self.entries and self.entries[key] != entry:
            raise ImproperlyConfigured(f"{key} is registered twice in the privacy inventory.")
        if entry.model is not None:
            entry.model._meta.get_field(entry.name)  # a typo fails at start-up
        if entry.personal and (entry.kind not in DataKind.values or not entry.basis):
            raise ImproperlyConfigured(f"{key}: a personal field needs a kind and a basis.")
        if entry.basis and entry.basis not in LegalBasis.values:
            raise ImproperlyConfigured(f"{key}: unknown legal basis {entry.basis!r}.")
        self.entries[key] = entry


REGISTRY = Registry()


def personal(model, *names, kind, basis, purpose, retention=()):
    """Declare fields of ``model`` that hold personal data."""
    for name in names:
        REGISTRY.add(Entry(model, name, kind, basis, purpose=purpose, retention=tuple(retention)))


def not_personal(model, *names, reason):
    """Declare fields that look as if they could hold personal data but do not."""
    for name in names:
        REGISTRY.add(Entry(model, name, None, reason=reason))


def outside(name, *, label, kind, basis, purpose, retention=()):
    """Personal data kept outside the database (request logs, backups)."""
    REGISTRY.add(
        Entry(None, name, kind, basis, purpose=purpose, retention=tuple(retention), label=label)
    )


def is_candidate(model_field) -> bool:
    """Could this field hold personal data? A link to a person, an e-mail address, a file,
    free text (any text or JSON field, a character field without fixed choices) or an
    address on the network. State fields and choices cannot."""
    if model_field.is_relation:
        related = model_field.related_model  # a label while the model is not loaded yet
        label = getattr(getattr(related, "_meta", None), "label", related)
        return label == settings.AUTH_USER_MODEL
    if isinstance(model_field, FSMFieldMixin) or model_field.choices:
        return False
    return isinstance(
        model_field,
        models.CharField
        | models.TextField
        | models.JSONField
        | models.FileField
        | models.GenericIPAddressField
        | models.BinaryField,
    )


def candidates(model) -> list[str]:
    fields = [*model._meta.concrete_fields, *model._meta.many_to_many]
    return [f.name for f in fields if not f.auto_created and is_candidate(f)]


def unregistered(models_to_check=None) -> list[str]:
    """``app.Model.field`` of every candidate field that has no registration."""
    missing = []
    for model in models_to_check or apps.get_models():
        for name in candidates(model):
            if (model._meta.label, name) not in REGISTRY.entries:
                missing.append(f"{model._meta.label}.{name}")
    return missing


def stale() -> list[str]:
    """Registrations of models that are no longer installed."""
    installed = {model._meta.label for model in apps.get_models()}
    return sorted(
        f"{label}.{name}"
        for label, name in REGISTRY.entries
        if label != "outside" and label not in installed
    )


def personal_entries() -> list[Entry]:
    """Every personal field, by kind, then model, then field."""
    order = {kind: index for index, kind in enumerate(DataKind.values)}
    return sorted(
        (entry for entry in REGISTRY.entries.values() if entry.personal),
        key=lambda entry: (order[entry.kind], entry.model_label or "~", entry.name),
    )


def entries_of(kind: str) -> list[Entry]:
    return [entry for entry in personal_entries() if entry.kind == kind]
