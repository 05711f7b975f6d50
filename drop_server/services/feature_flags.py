"""Feature flags in the database, read through a short per-process cache (flags are read on
hot paths; a change reaches every worker within CACHE_SECONDS)."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

from sqlalchemy import select

from drop_server.db.engine import Database
from drop_server.db.models import FeatureFlag
from drop_server.errors import ApiError, FieldError, Messages

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


def list_flags(db: Database) -> list[FeatureFlag]:
    with db.transaction() as session:
        return list(session.scalars(select(FeatureFlag).order_by(FeatureFlag.name)))


def set_flag(db: Database, name: str, enabled: bool | None) -> FeatureFlag:
    if enabled is None:
        raise ApiError.bad_request(Messages.MISSING_FIELDS, [FieldError("enabled", "Is required")])
    with db.transaction() as session:
        flag = session.get(FeatureFlag, name, with_for_update=True)
        if flag is None:
            raise ApiError.not_found("No such feature flag")
        flag.enabled = enabled
        flag.updated_at = datetime.now(UTC)
    forget_cached_flags()
    return flag
