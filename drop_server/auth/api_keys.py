"""API keys for machines: random, shown once, stored as SHA-256."""

from __future__ import annotations

import hashlib
import secrets
from enum import StrEnum

KEY_PREFIX = "drop_"


class Scope(StrEnum):
    ADMIN = "admin"
    SETTLEMENT = "settlement"
    RATES = "rates"


def new_api_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def hash_api_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()
