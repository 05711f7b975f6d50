"""API keys for machines: random, shown once, stored as SHA-256."""

from __future__ import annotations

import hashlib
import secrets

# Scopes are defined with the permissions they grant; re-exported for the callers that name one.
from drop_server.domain.permissions import Scope

__all__ = ["KEY_PREFIX", "PREFIX_LENGTH", "Scope", "hash_api_key", "key_prefix", "new_api_key"]

KEY_PREFIX = "drop_"
# Enough of the key to tell keys apart in a list; far too little to guess the rest (256 bits).
PREFIX_LENGTH = len(KEY_PREFIX) + 6


def new_api_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def hash_api_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def key_prefix(key: str) -> str:
    return key[:PREFIX_LENGTH]
