"""Which database errors mean "the database could not be reached or did not answer" (a refused
or reset connection, a lost COMMIT acknowledgement, a timeout, an exhausted pool) rather than a
bug: callers answer them with a retryable 503, never a 500."""

from __future__ import annotations

from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

DATABASE_UNAVAILABLE: tuple[type[Exception], ...] = (
    OperationalError,
    InterfaceError,
    PoolTimeoutError,
)
