"""Shared fixtures: one embedded PostgreSQL for the whole run, and one running Drop
(`drop serve`: gRPC workers + Envoy) on free ports, exactly as `make run` starts it."""

from __future__ import annotations

import itertools
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from drop_server.db import migrate

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
START_TIMEOUT = 90.0
_ips = itertools.count(2)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fresh_ip() -> str:
    """A loopback address of its own: Envoy limits sign-up and sign-in per client IP, so each
    test client comes from a different one (all of 127.0.0.0/8 is local on Linux)."""
    n = next(_ips)
    return f"127.{(n // 250) % 250 + 10}.{n % 250 + 1}.{(os.getpid() % 250) + 1}"


@pytest.fixture(scope="session")
def postgres_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pgserver

        server = pgserver.get_server(tmp_path_factory.mktemp("pg"), cleanup_mode="stop")
    url = server.get_uri()
    migrate.upgrade(url)
    yield url
    server.cleanup()


@dataclass
class DropSystem:
    http_url: str
    grpc_target: str
    envoy_target: str
    database_url: str
    data_dir: Path
    log_path: Path
    bankid_issuer: str
    # A browser origin allowed by DROP_CORS_ORIGINS; tests serve a page from it (same site as
    # the API, another port), so the SameSite=Lax session cookie goes along.
    browser_origin: str = ""

    def env(self) -> dict[str, str]:
        return dict(os.environ, DATABASE_URL=self.database_url, DROP_DATA_DIR=str(self.data_dir))

    def drop(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Runs the `drop` CLI against this system's database."""
        return subprocess.run(
            [str(BIN / "drop"), *args], env=self.env(), capture_output=True, text=True, timeout=60
        )

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace")


@pytest.fixture(scope="session")
def drop_system(
    postgres_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[DropSystem]:
    data_dir = tmp_path_factory.mktemp("drop")
    http_port, grpc_port, admin_port, bankid_port = (
        free_port(),
        free_port(),
        free_port(),
        free_port(),
    )
    log_path = data_dir / "serve.log"
    browser_origin = f"http://127.0.0.1:{free_port()}"
    env = dict(
        os.environ,
        DATABASE_URL=postgres_url,
        DROP_DATA_DIR=str(data_dir),
        DROP_HTTP_PORT=str(http_port),
        DROP_GRPC_PORT=str(grpc_port),
        DROP_ENVOY_ADMIN_PORT=str(admin_port),
        DROP_BANKID_SANDBOX_PORT=str(bankid_port),
        DROP_APP_URL="/app/home",
        DROP_WORKERS="2",
        DROP_LOG_LEVEL="INFO",
        DROP_ENV="development",
        # Tests settle remittances themselves; the background clearing has its own test.
        DROP_SANDBOX_SETTLE_SECONDS="0",
        DROP_CORS_ORIGINS=f"{browser_origin},https://app.example.test",
    )
    for inherited in (
        "DROP_JWT_SECRET",
        "DROP_PASSWORD_LOGIN",
        "DROP_BANKID_ISSUER",
        "DROP_BANKID_CLIENT_SECRET",
    ):
        env.pop(inherited, None)
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [str(BIN / "drop"), "serve"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=data_dir,
        )
    system = DropSystem(
        http_url=f"http://127.0.0.1:{http_port}",
        grpc_target=f"127.0.0.1:{grpc_port}",
        envoy_target=f"127.0.0.1:{http_port}",
        database_url=postgres_url,
        data_dir=data_dir,
        log_path=log_path,
        bankid_issuer=f"http://127.0.0.1:{bankid_port}",
        browser_origin=browser_origin,
    )
    deadline = time.monotonic() + START_TIMEOUT
    while "Drop is running" not in system.log_text():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"drop serve did not start:\n{system.log_text()}")
        time.sleep(0.2)
    yield system
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture
def rest(drop_system: DropSystem) -> Iterator[httpx.Client]:
    """A REST client through Envoy from a loopback address of its own."""
    with httpx.Client(
        base_url=drop_system.http_url,
        transport=httpx.HTTPTransport(local_address=fresh_ip()),
        timeout=15.0,
    ) as client:
        yield client


@pytest.fixture
def make_rest(drop_system: DropSystem) -> Iterator[object]:
    clients: list[httpx.Client] = []

    def make(ip: str | None = None) -> httpx.Client:
        client = httpx.Client(
            base_url=drop_system.http_url,
            transport=httpx.HTTPTransport(local_address=ip or fresh_ip()),
            timeout=15.0,
        )
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


def unique_email(tag: str = "user") -> str:
    return f"{tag}.{uuid.uuid4().hex[:12]}@example.no"


def registration(**overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "email": unique_email(),
        "password": "Secret123",
        "firstName": "Amir",
        "lastName": "Bašić",
        "phone": "+4791234567",
        "dateOfBirth": "1990-04-12",
    }
    body.update(overrides)
    return body
