"""GetHealth answers `down` with REST status 503 when the database is unreachable."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from drop.v1 import health_pb2, health_pb2_grpc
from drop_server.api.health import HealthServicer
from drop_server.config import Settings
from drop_server.db.engine import Database


@pytest.fixture(scope="module")
def unreachable_db() -> Iterator[Database]:
    db = Database("postgresql://nobody@127.0.0.1:1/nothing", pool_size=1)
    yield db
    db.dispose()


@pytest.fixture(scope="module")
def grpc_add_to_server():  # type: ignore[no-untyped-def]
    return health_pb2_grpc.add_HealthServiceServicer_to_server


@pytest.fixture(scope="module")
def grpc_servicer(api_settings: Settings, unreachable_db: Database) -> HealthServicer:
    return HealthServicer(api_settings, unreachable_db)


@pytest.fixture(scope="module")
def grpc_stub_cls():  # type: ignore[no-untyped-def]
    return health_pb2_grpc.HealthServiceStub


def test_database_down_is_reported_with_503(grpc_stub: health_pb2_grpc.HealthServiceStub) -> None:
    response, call = grpc_stub.GetHealth.with_call(health_pb2.GetHealthRequest())
    assert response.data.status == "down"
    assert response.data.checks.db.status == "fail"
    assert not response.data.checks.db.HasField("latency_ms")
    assert ("x-http-code", "503") in call.initial_metadata()
