"""A psycopg connection that never waits for the database longer than `answer_seconds`.

statement_timeout bounds a query the server is running, and TCP keepalives/tcp_user_timeout
notice a dead peer, but neither helps when the TCP connection looks healthy and no answer
comes (a hung server, a proxy or NAT that swallows bytes). Then psycopg would wait for ever,
holding a worker thread. Here the wait is bounded: the connection is closed (its state is
unknown) and the call fails with OperationalError, which the error interceptor answers 503.
"""

from __future__ import annotations

import select
from typing import Any

import psycopg
from psycopg import errors
from psycopg.connection import _WAIT_INTERVAL


class BoundedConnection(psycopg.Connection[Any]):
    answer_seconds: float | None = None

    def wait(self, gen: Any, interval: float = _WAIT_INTERVAL, timeout: float | None = None) -> Any:
        if timeout is None:
            timeout = self.answer_seconds
        try:
            return super().wait(gen, interval=interval, timeout=timeout)
        except errors._WaitTimeout:
            self.pgconn.finish()
            raise psycopg.OperationalError(
                f"no answer from the database within {timeout} s; connection closed"
            ) from None


def connect_bounded(answer_seconds: float, *args: Any, **kwargs: Any) -> BoundedConnection:
    connection = BoundedConnection.connect(*args, **kwargs)
    connection.answer_seconds = answer_seconds
    return connection


def answers_quickly(connection: Any, seconds: float) -> bool:
    """The pool's pre-ping, bounded: a pooled connection cut off by a partition would
    otherwise hold the checkout for the whole answer_seconds before the reconnect."""
    if not isinstance(connection, BoundedConnection):
        return True
    saved_bound, saved_autocommit = connection.answer_seconds, connection.autocommit
    try:
        connection.answer_seconds = seconds
        # Autocommit: the ping must not leave a transaction open (as SQLAlchemy's own ping).
        connection.autocommit = True
        connection.execute("SELECT 1")
        connection.autocommit = saved_autocommit
        return True
    except psycopg.Error:
        return False
    finally:
        connection.answer_seconds = saved_bound


def closed_by_server(connection: Any) -> bool:
    """Without a round trip: an idle connection has nothing to read unless the server closed
    it or sent a FATAL message (a restart, pg_terminate_backend, idle timeout). A partition
    shows nothing here; keepalives and `answer_seconds` bound that case instead."""
    try:
        if connection.closed or connection.pgconn.status != psycopg.pq.ConnStatus.OK:
            return True
        readable, _, _ = select.select([connection.fileno()], [], [], 0)
        return bool(readable)
    except (psycopg.Error, OSError, ValueError):
        return True
