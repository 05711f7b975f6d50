"""The engine, and the unit of work every service runs in.

Every wait on the database is bounded, so that while PostgreSQL is down or unreachable a
request fails fast (the error interceptor answers 503 `service_unavailable`) instead of holding
a worker thread: see `WaitBounds` and the README section "Staying up".
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, sessionmaker

from drop_server.db.bounded_connection import answers_quickly, connect_bounded


def sqlalchemy_url(database_url: str) -> str:
    """postgresql:// and postgres:// both mean psycopg 3 here."""
    for prefix in ("postgresql+psycopg://", "postgresql://", "postgres://"):
        if database_url.startswith(prefix):
            return "postgresql+psycopg://" + database_url[len(prefix) :]
    raise ValueError("DATABASE_URL must be a postgresql:// URL")


@dataclass(frozen=True)
class WaitBounds:
    """How long one request may wait on the database, step by step. A request that hits one
    of these limits is answered 503, so the worst case of a request is roughly
    pool_checkout + connect (or statement, or tcp_user_timeout)."""

    # Waiting for a free pooled connection when every one is busy.
    pool_checkout_seconds: float = 2.0
    # libpq's connect_timeout; libpq treats anything below 2 as 2.
    connect_seconds: int = 2
    # Server side: no statement runs longer (a lock wait included).
    statement_ms: int = 5000
    # Server side: a session idle inside a transaction is ended, so its row locks are released.
    idle_in_transaction_ms: int = 15000
    # Kernel: unacknowledged data (a partition, a dead host) fails the socket after this long.
    tcp_user_timeout_ms: int = 3000
    # Kernel: idle connections are probed, so a silently dropped one is noticed.
    keepalive_idle_seconds: int = 5
    keepalive_interval_seconds: int = 1
    keepalive_count: int = 3

    @property
    def answer_seconds(self) -> float:
        """Client side: the longest wait for any answer on an open connection (see
        bounded_connection); a little over statement_timeout, so the server's own limit,
        which leaves the connection usable, normally acts first."""
        return self.statement_ms / 1000 + 1.0 if self.statement_ms else 60.0


@dataclass(frozen=True)
class PoolOptions:
    """The connection pool; kept in one place so that it is easy to change (pre-ping could
    give way to retry-on-disconnect)."""

    size: int = 10
    overflow: int | None = None  # None: as many again as `size`
    # Ping a pooled connection before handing it out, within ping_seconds.
    pre_ping: bool = True
    ping_seconds: float = 1.0
    recycle_seconds: int = 1800


def connect_args(bounds: WaitBounds) -> dict[str, object]:
    """libpq connection parameters that bound every wait on the wire and in the server."""
    return {
        "connect_timeout": bounds.connect_seconds,
        "options": (
            f"-c statement_timeout={bounds.statement_ms}"
            f" -c idle_in_transaction_session_timeout={bounds.idle_in_transaction_ms}"
        ),
        "keepalives": 1,
        "keepalives_idle": bounds.keepalive_idle_seconds,
        "keepalives_interval": bounds.keepalive_interval_seconds,
        "keepalives_count": bounds.keepalive_count,
        "tcp_user_timeout": bounds.tcp_user_timeout_ms,
    }


class Database:
    def __init__(
        self,
        database_url: str,
        *,
        pool_size: int = 10,
        bounds: WaitBounds | None = None,
        pool: PoolOptions | None = None,
    ) -> None:
        bounds = bounds or WaitBounds()
        pool = pool or PoolOptions(size=pool_size)
        self.bounds = bounds
        self.engine: Engine = create_engine(
            sqlalchemy_url(database_url),
            pool_size=pool.size,
            max_overflow=pool.size if pool.overflow is None else pool.overflow,
            # Our own bounded ping below replaces SQLAlchemy's, which could wait for ever.
            pool_pre_ping=False,
            pool_recycle=pool.recycle_seconds,
            pool_timeout=bounds.pool_checkout_seconds,
            connect_args=connect_args(bounds),
            # SQL parameters are personal data (emails, names, account numbers, password
            # hashes): never in an exception message, so never in a log.
            hide_parameters=True,
        )
        answer_seconds = bounds.answer_seconds

        @event.listens_for(self.engine, "do_connect")
        def connect(dialect: Any, record: Any, cargs: Any, cparams: Any) -> Any:
            return connect_bounded(answer_seconds, *cargs, **cparams)

        if pool.pre_ping:
            ping_seconds = pool.ping_seconds

            @event.listens_for(self.engine, "checkout")
            def ping(dbapi_connection: Any, record: Any, proxy: Any) -> None:
                # The pool invalidates this connection and checks out another (a fresh one).
                if not answers_quickly(dbapi_connection, ping_seconds):
                    raise DisconnectionError("pooled connection did not answer the ping")

        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One database transaction: committed when the block ends, rolled back on any error,
        so a request that fails halfway leaves the database as it was."""
        with self._sessions.begin() as session:
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
