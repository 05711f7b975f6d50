"""Feature flags in the database, read through a short per-process cache (flags are read on
hot paths; a change reaches every worker within CACHE_SECONDS)."""

from __future__ import annotations

import threading
import time

from sqlalchemy import select

from drop_server.db.engine import Database
from drop_server.db.models import FeatureFlag
from drop_server.errors import ApiError

CACHE_SECONDS = 1.0
_lock = threading.Lock()
_cache: dict[str, tuple[float, dict[str, bool]]] = {}


def all_flags(db: Database) -> dict[str, bool]:
    key = str(db.engine.url)
    now = time.monotonic()
    with _lock:
        cached = _cache.get(key)
        if cached is not None and now - cached[0] < CACHE_SECONDS:
            return dict(cached[1])
    with db.transaction() as session:
        flags = {row.name: row.enabled for row in session.scalars(select(FeatureFlag))}
    with _lock:
        _cache[key] = (now, flags)
    return dict(flags)


def is_enabled(db: Database, name: str) -> bool:
    return all_flags(db).get(name, False)


def require_flag(db: Database, name: str) -> None:
    """A disabled feature answers exactly like a route that does not exist."""
    if not is_enabled(db, name):
        raise ApiError.not_found()


def forget_cached_flags() -> None:
    with _lock:
        _cache.clear()
