"""Helpers for end-to-end tests: users, admins and API keys on the running system."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from tests.conftest import DropSystem, registration

MakeRest = Callable[..., httpx.Client]


def signed_in(make_rest: MakeRest, **overrides: object) -> tuple[httpx.Client, dict[str, object]]:
    """A REST client with a fresh user's session cookie, and that user's registration data."""
    client = make_rest()
    response = client.post("/api/auth/register", json=registration(**overrides))
    assert response.status_code == 201, response.text
    return client, response.json()["data"]


def admin_client(make_rest: MakeRest, drop_system: DropSystem) -> httpx.Client:
    """A user promoted with `drop admin promote`, signed in again so the cookie is fresh."""
    client, user = signed_in(make_rest)
    result = drop_system.drop("admin", "promote", str(user["email"]))
    assert result.returncode == 0, result.stderr
    return client


def api_key(drop_system: DropSystem, scope: str) -> str:
    result = drop_system.drop("admin", "create-api-key", "--scope", scope)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]
