"""Servicer tests with pytest-grpc: each module serves one servicer on a real gRPC server with
Drop's interceptors, over the session's embedded PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest

from drop_server.config import Settings, load_settings
from drop_server.db.engine import Database
from drop_server.providers.bankid import BankIdClient
from drop_server.server import interceptors

TEST_SECRET = "api-test-secret-" + "x" * 64


def api_settings_for(tmp: Path, database_url: str, **env: str) -> Settings:
    return load_settings(
        {
            "DROP_JWT_SECRET": TEST_SECRET,
            "DROP_DATA_DIR": str(tmp),
            "DATABASE_URL": database_url,
            **env,
        }
    )


@pytest.fixture(scope="module")
def api_settings(tmp_path_factory: pytest.TempPathFactory, postgres_url: str) -> Settings:
    return api_settings_for(tmp_path_factory.mktemp("api"), postgres_url)


@pytest.fixture(scope="module")
def api_db(postgres_url: str) -> Iterator[Database]:
    db = Database(postgres_url, pool_size=2)
    yield db
    db.dispose()


@pytest.fixture(scope="module")
def grpc_interceptors(api_settings: Settings, api_db: Database) -> list[grpc.ServerInterceptor]:
    return interceptors(api_settings, api_db)


@pytest.fixture(scope="module")
def grpc_addr() -> str:
    """pytest-grpc's own leaves its probe socket open, which warnings-as-errors refuses."""
    from tests.conftest import free_port

    return f"127.0.0.1:{free_port()}"


def unused_bankid() -> BankIdClient:
    """For servicer tests that never reach BankID (the flow is tested end to end)."""
    return BankIdClient("http://127.0.0.1:9", "drop", "unused", "http://127.0.0.1:9/callback")
