"""Creating API keys (`drop admin create-api-key`)."""

from __future__ import annotations

from dataclasses import dataclass

from drop_server.auth.api_keys import Scope, hash_api_key, new_api_key
from drop_server.db.engine import Database
from drop_server.db.models import ApiKey
from drop_server.domain import ids


@dataclass(frozen=True)
class IssuedKey:
    id: str
    scope: Scope
    key: str


def create_api_key(db: Database, scope: Scope, label: str | None = None) -> IssuedKey:
    key = new_api_key()
    with db.transaction() as session:
        row = ApiKey(
            id=ids.new_id(ids.API_KEY), scope=scope.value, key_hash=hash_api_key(key), label=label
        )
        session.add(row)
    return IssuedKey(id=row.id, scope=scope, key=key)
