"""Resource ids: `<prefix>_<16 lowercase hex>` from a CSPRNG, as the contract fixes."""

from __future__ import annotations

import re
import secrets

USER = "usr"
SESSION = "ses"
API_KEY = "key"
BANK_ACCOUNT = "ba"

ID_PATTERN = re.compile(r"^[a-z]+(?:_[a-z]+)?_[a-f0-9]{16}$")


def new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(8)}"


def looks_like_id(value: str, prefix: str) -> bool:
    return value.startswith(prefix + "_") and ID_PATTERN.match(value) is not None
