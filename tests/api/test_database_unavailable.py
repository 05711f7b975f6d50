"""A database availability fault is 503 service_unavailable + Retry-After (UNAVAILABLE over
gRPC, with google.rpc.RetryInfo), never internal_error; and the waits behind it are bounded."""

from __future__ import annotations

import json
import socket
import time
import urllib.parse
from collections.abc import Iterator

import grpc
import psycopg
import pytest
from google.rpc import error_details_pb2, status_pb2
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from drop.v1 import health_pb2, health_pb2_grpc
from drop_server.db.engine import Database, PoolOptions, WaitBounds
from drop_server.db.faults import database_unavailable
from drop_server.log_format import scrubbed_traceback


class DatabaseDownHealth(health_pb2_grpc.HealthServiceServicer):
    def GetHealth(self, request, context):  # type: ignore[no-untyped-def]
        raise OperationalError("SELECT 1", {}, psycopg.OperationalError("connection refused"))


@pytest.fixture(scope="module")
def grpc_add_to_server():  # type: ignore[no-untyped-def]
    return health_pb2_grpc.add_HealthServiceServicer_to_server


@pytest.fixture(scope="module")
def grpc_servicer() -> DatabaseDownHealth:
    return DatabaseDownHealth()


@pytest.fixture(scope="module")
def grpc_stub_cls():  # type: ignore[no-untyped-def]
    return health_pb2_grpc.HealthServiceStub


def test_a_database_fault_is_unavailable_with_retry_after(
    grpc_stub: health_pb2_grpc.HealthServiceStub,
) -> None:
    with pytest.raises(grpc.RpcError) as caught:
        grpc_stub.GetHealth(health_pb2.GetHealthRequest())
    error = caught.value
    assert error.code() is grpc.StatusCode.UNAVAILABLE
    trailers = dict(error.trailing_metadata())
    assert trailers["x-http-status"] == "503" and trailers["retry-after"] == "2"
    body = json.loads(urllib.parse.unquote(trailers["x-error-body"]))
    assert body["error"] == "service_unavailable" and body["details"] == []
    status = status_pb2.Status.FromString(trailers["grpc-status-details-bin"])
    retry = error_details_pb2.RetryInfo()
    assert any(detail.Unpack(retry) for detail in status.details)
    assert retry.retry_delay.seconds == 2


@pytest.fixture
def tiny_pool(postgres_url: str) -> Iterator[Database]:
    db = Database(
        postgres_url,
        bounds=WaitBounds(pool_checkout_seconds=0.2),
        pool=PoolOptions(size=1, overflow=0),
    )
    yield db
    db.dispose()


def test_an_exhausted_pool_fails_fast_as_unavailable(tiny_pool: Database) -> None:
    with tiny_pool.engine.connect():
        started = time.monotonic()
        with pytest.raises(Exception) as caught, tiny_pool.engine.connect():
            pass
    assert time.monotonic() - started < 1.0
    assert database_unavailable(caught.value)


def test_a_server_that_never_answers_fails_within_the_connect_timeout() -> None:
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]
        db = Database(f"postgresql://drop@127.0.0.1:{port}/drop", pool_size=1)
        try:
            started = time.monotonic()
            with pytest.raises(Exception) as caught, db.engine.connect():
                pass
            assert time.monotonic() - started < 4.0
            assert database_unavailable(caught.value)
        finally:
            db.dispose()


def test_sql_parameters_never_appear_in_what_is_logged(postgres_url: str) -> None:
    """SQLAlchemy hides the parameters; PostgreSQL's own message may still quote a value
    ("invalid input syntax ... 'NO12...'"), so the log gets the scrubbed traceback only."""
    db = Database(postgres_url, pool_size=1)
    try:
        with pytest.raises(Exception) as caught, db.engine.connect() as connection:
            connection.execute(
                text("SELECT CAST(:secret AS integer)"), {"secret": "NO12 3456 7890 123"}
            )
        assert "SQL parameters hidden" in str(caught.value)
        assert "NO12 3456 7890 123" not in scrubbed_traceback(caught.value)
        assert "DataError" in scrubbed_traceback(caught.value)
        assert not database_unavailable(caught.value)
    finally:
        db.dispose()
