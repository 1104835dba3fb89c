"""Slack tokens encrypted at rest: Fernet, keys from MENTORBOT_SLACK_TOKEN_KEY (ADR 0006).

`TokenColumn` is the type of the install tables' token columns in the adapter's stores, so
slack_sdk's store code runs unchanged and never sees ciphertext.
"""

from __future__ import annotations

from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

ENCRYPTED = "fernet:"  # stored tokens that start with this are encrypted


class TokenKeyError(ValueError):
    """MENTORBOT_SLACK_TOKEN_KEY cannot be used, or is needed and missing (says which)."""


def token_cipher(keys: str | None) -> MultiFernet | None:
    """Fernet keys, comma-separated, newest first (older ones still decrypt: key rotation)."""
    if not keys:
        return None
    try:
        return MultiFernet([Fernet(key.strip().encode()) for key in keys.split(",")])
    except ValueError:
        raise TokenKeyError(
            "MENTORBOT_SLACK_TOKEN_KEY must be Fernet keys (32 url-safe base64 bytes each), "
            "comma-separated; make one with: "
            'python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key())"'
        ) from None


class TokenColumn(TypeDecorator[str]):
    """A token column: encrypted when a key is set, read back either way (plain text written
    before a key was set still works; an encrypted value without the key is an error)."""

    impl = Text
    cache_ok = True

    def __init__(self, cipher: MultiFernet | None) -> None:
        super().__init__()
        self.cipher = cipher

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None or self.cipher is None:
            return None if value is None else str(value)
        return ENCRYPTED + self.cipher.encrypt(str(value).encode()).decode()

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        if value is None or not str(value).startswith(ENCRYPTED):
            return None if value is None else str(value)
        if self.cipher is None:
            raise TokenKeyError("stored Slack tokens are encrypted: set MENTORBOT_SLACK_TOKEN_KEY")
        try:
            return self.cipher.decrypt(str(value)[len(ENCRYPTED) :].encode()).decode()
        except InvalidToken:
            raise TokenKeyError(
                "MENTORBOT_SLACK_TOKEN_KEY does not decrypt the stored Slack tokens"
            ) from None
