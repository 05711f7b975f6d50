"""Which database errors mean "the database is unavailable right now" (answered 503 with
Retry-After, gRPC UNAVAILABLE) rather than a bug (500): a refused or reset connection, a full
pool, a timeout, a server restarting or failing over."""

from __future__ import annotations

import psycopg
from sqlalchemy import exc as sa_exc

_UNAVAILABLE: tuple[type[BaseException], ...] = (
    # Connection refused/reset/closed, statement_timeout, serialization and lock timeouts.
    sa_exc.OperationalError,
    sa_exc.InterfaceError,
    # The pool's checkout timeout (not the builtin TimeoutError).
    sa_exc.TimeoutError,
    sa_exc.DisconnectionError,
    psycopg.OperationalError,
    psycopg.InterfaceError,
)


def database_unavailable(error: BaseException) -> bool:
    """True when `error`, or an error it was raised from, is a database availability fault."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, _UNAVAILABLE):
            return True
        if isinstance(current, sa_exc.DBAPIError) and current.connection_invalidated:
            return True
        current = current.__cause__ or current.__context__
    return False
