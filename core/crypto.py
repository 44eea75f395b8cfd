"""Secrets at rest: Fernet (cryptography) under keys from the environment. Each kind of
secret has its own key ring (a setting listing Fernet keys, newest first): the first key
encrypts, every key decrypts, so a key can be rotated by putting a new one in front."""

import functools

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# Every Fernet token starts with its version byte 0x80, "gAAAAA" in url-safe base64.
TOKEN_PREFIX = "gAAAAA"  # noqa: S105 (not a secret)


class KeyRing:
    def __init__(self, *, setting: str, variable: str, what: str):
        self.setting = setting  # e.g. "FIELD_ENCRYPTION_KEYS"
        self.variable = variable  # the environment variable that fills it
        self.what = what  # what it protects, for error messages

    def fernet(self) -> MultiFernet:
        return _fernet(tuple(getattr(settings, self.setting)), self.variable)

    def encrypt(self, text: str) -> str:
        return self.encrypt_bytes(text.encode())

    def decrypt(self, token: str) -> str:
        return self.decrypt_bytes(token).decode()

    def encrypt_bytes(self, content: bytes) -> str:
        return self.fernet().encrypt(content).decode()

    def decrypt_bytes(self, token: str) -> bytes:
        try:
            return self.fernet().decrypt(token.encode())
        except InvalidToken as error:
            raise ImproperlyConfigured(
                f"Stored {self.what} cannot be decrypted with {self.variable}: "
                "was the key changed without keeping the old one?"
            ) from error

    @staticmethod
    def is_token(value: str) -> bool:
        """Whether ``value`` looks like a Fernet token (for telling encrypted values from
        clear ones whose alphabet cannot start like one, e.g. base32 or hex)."""
        return value.startswith(TOKEN_PREFIX)

    def rotate(self, token: str) -> str:
        """The same secret encrypted under the newest key."""
        try:
            return self.fernet().rotate(token.encode()).decode()
        except InvalidToken as error:
            raise ImproperlyConfigured(
                f"Stored {self.what} cannot be decrypted with {self.variable}."
            ) from error


@functools.cache
def _fernet(keys: tuple[str, ...], variable: str) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured(f"{variable} is not set.")
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except (ValueError, TypeError) as error:
        raise ImproperlyConfigured(
            f"{variable} must hold Fernet keys (32 url-safe base64 bytes), "
            "comma-separated, the newest first."
        ) from error
