"""The engine, and the unit of work every service runs in.

Every wait on the database is bounded, so that while PostgreSQL is down or unreachable a
request fails fast (the error interceptor answers 503 `service_unavailable`) instead of holding
a worker thread: see `WaitBounds` and the README section "Staying up".
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, sessionmaker

from drop_server.db.bounded_connection import answers_quickly, closed_by_server, connect_bounded


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
    """The connection pool. A checkout costs no round trip: a pooled connection the server
    has closed (a restart, a terminated backend) is recognised from its socket alone and
    replaced, and a disconnect seen by any statement invalidates the whole pool, so after a
    PostgreSQL restart at most the request that found out answers 503. A connection that
    silently stops answering (a partition) is bounded by keepalives and `answer_seconds`.
    `pre_ping` (a SELECT 1 per checkout) is kept for callers that want it."""

    size: int = 10
    overflow: int | None = None  # None: as many again as `size`
    pre_ping: bool = False
    ping_seconds: float = 1.0
    recycle_seconds: int = 1800


@dataclass
class _CallScope:
    """The one pooled connection a unit of work (an RPC) uses for all its transactions,
    checked out on first use and returned when the unit ends."""

    database: Database
    connection: Connection | None = None
    busy: bool = field(default=False)


_scope: contextvars.ContextVar[_CallScope | None] = contextvars.ContextVar(
    "drop_db_scope", default=None
)


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

        ping_seconds = pool.ping_seconds
        pre_ping = pool.pre_ping

        @event.listens_for(self.engine, "checkout")
        def check(dbapi_connection: Any, record: Any, proxy: Any) -> None:
            # Raising DisconnectionError makes the pool discard this connection and hand out
            # another (a fresh one when the server restarted).
            if closed_by_server(dbapi_connection):
                raise DisconnectionError("the server closed this pooled connection")
            if pre_ping and not answers_quickly(dbapi_connection, ping_seconds):
                raise DisconnectionError("pooled connection did not answer the ping")

        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def call_scope(self) -> Iterator[None]:
        """Every `transaction()` inside the block runs on one pooled connection: an RPC's
        authentication and its service share a checkout instead of taking one each."""
        if _scope.get() is not None:
            yield
            return
        scope = _CallScope(self)
        token = _scope.set(scope)
        try:
            yield
        finally:
            _scope.reset(token)
            if scope.connection is not None:
                scope.connection.close()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One database transaction: committed when the block ends, rolled back on any error,
        so a request that fails halfway leaves the database as it was."""
        scope = _scope.get()
        if scope is None or scope.database is not self or scope.busy:
            # Outside an RPC, or nested inside another transaction of it: a connection of its
            # own, so the nested one never joins the outer transaction by accident.
            with self._sessions.begin() as session:
                yield session
            return
        if scope.connection is None or scope.connection.invalidated:
            if scope.connection is not None:
                scope.connection.close()
            scope.connection = self.engine.connect()
        scope.busy = True
        try:
            # The session begins the connection's transaction and so commits or rolls it back.
            session = Session(bind=scope.connection, expire_on_commit=False)
            with session, session.begin():
                yield session
        finally:
            scope.busy = False
            if scope.connection.invalidated or scope.connection.in_transaction():
                # A broken connection (or a transaction left open by a failure) is not reused.
                scope.connection.close()
                scope.connection = None

    def dispose(self) -> None:
        self.engine.dispose()
