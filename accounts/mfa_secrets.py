"""Authenticator secrets at rest (DESIGN.md: "authenticator secrets encrypted (Fernet, own
keys)"). allauth keeps the TOTP secret and the recovery-code seed in
``mfa.Authenticator.data`` and passes them through the MFA adapter's ``encrypt`` and
``decrypt`` hooks (accounts.adapters.MFAAdapter), which use this key ring
(``DJANGO_MFA_ENCRYPTION_KEY``, separate from the bank details' key).

``encrypt_stored_secrets`` brings every stored row under the newest key: clear values
(rows from before encryption) are encrypted, values under an older key re-encrypted. The
migration accounts.0003 runs it once; ``manage.py encrypt_mfa_secrets`` runs it after a
new key was put in front (rotation), after which the old key can be dropped."""

from core.crypto import KeyRing

MFA_KEYS = KeyRing(
    setting="MFA_ENCRYPTION_KEYS",
    variable="DJANGO_MFA_ENCRYPTION_KEY",
    what="authenticator secrets",
)

# The secrets allauth stores, per authenticator type: single values and lists of values.
# (A security key stores only its public key and needs no encryption.)
SECRET_VALUES = {"totp": ("secret",), "recovery_codes": ("seed",)}
SECRET_LISTS = {"recovery_codes": ("migrated_codes",)}


def encrypt(text: str) -> str:
    return MFA_KEYS.encrypt(text)


def decrypt(token: str) -> str:
    return MFA_KEYS.decrypt(token)


def _under_newest_key(value: str) -> str:
    return MFA_KEYS.rotate(value) if MFA_KEYS.is_token(value) else MFA_KEYS.encrypt(value)


def _in_clear(value: str) -> str:
    return MFA_KEYS.decrypt(value) if MFA_KEYS.is_token(value) else value


def _convert(data: dict, kind: str, convert) -> dict:
    data = dict(data)
    for name in SECRET_VALUES.get(kind, ()):
        if isinstance(data.get(name), str):
            data[name] = convert(data[name])
    for name in SECRET_LISTS.get(kind, ()):
        if isinstance(data.get(name), list):
            data[name] = [convert(value) for value in data[name]]
    return data


def _convert_all(authenticator_model, convert) -> int:
    changed = 0
    rows = authenticator_model.objects.filter(type__in=[*SECRET_VALUES, *SECRET_LISTS])
    for authenticator in rows.select_for_update().only("pk", "type", "data"):
        data = _convert(authenticator.data, authenticator.type, convert)
        if data != authenticator.data:
            authenticator_model.objects.filter(pk=authenticator.pk).update(data=data)
            changed += 1
    return changed


def encrypt_stored_secrets(authenticator_model) -> int:
    """Encrypt every stored secret under the newest key (clear ones and ones under older
    keys); returns how many authenticators changed. Call inside a transaction."""
    return _convert_all(authenticator_model, _under_newest_key)


def decrypt_stored_secrets(authenticator_model) -> int:
    """Undo encrypt_stored_secrets (the migration's way back): every secret in clear."""
    return _convert_all(authenticator_model, _in_clear)
