"""Shared fixtures: one embedded PostgreSQL for the whole run, and one running Drop
(`drop serve`: gRPC workers + Envoy) on free ports, exactly as `make run` starts it."""

from __future__ import annotations

import itertools
import os
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from drop_server.db import migrate
from tests.support.drop_process import BIN, START_TIMEOUT, DropSystem, free_port, start_drop

__all__ = ["BIN", "START_TIMEOUT", "DropSystem", "free_port"]

ROOT = Path(__file__).resolve().parents[1]
_ips = itertools.count(2)


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


@pytest.fixture(scope="session")
def drop_system(
    postgres_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[DropSystem]:
    # A browser origin allowed by DROP_CORS_ORIGINS; tests serve a page from it (same site as
    # the API, another port), so the SameSite=Lax session cookie goes along.
    browser_origin = f"http://127.0.0.1:{free_port()}"
    try:
        system = start_drop(
            postgres_url,
            tmp_path_factory.mktemp("drop"),
            DROP_CORS_ORIGINS=f"{browser_origin},https://app.example.test",
            # Webhook tests run their receivers on 127.0.0.1, and retry in fractions of a second.
            DROP_WEBHOOK_ALLOW_PRIVATE="1",
            DROP_WEBHOOK_RETRY_BASE_SECONDS="0.2",
        )
    except RuntimeError as error:
        pytest.fail(str(error))
    system.browser_origin = browser_origin
    yield system
    system.stop()


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
