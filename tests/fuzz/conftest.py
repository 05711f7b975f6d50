"""A signed-in admin for the fuzzers: they should reach the logic behind every route, admin
routes included, not stop at 401/403."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from tests.conftest import DropSystem, registration


@pytest.fixture
def admin_token(
    make_rest: Callable[..., httpx.Client], drop_system: DropSystem
) -> Callable[[], str]:
    def issue() -> str:
        body = registration()
        response = make_rest().post(
            "/api/auth/register", json=body, headers={"X-Drop-Client": "mobile"}
        )
        assert response.status_code == 201, response.text
        promoted = drop_system.drop("admin", "promote", str(body["email"]))
        assert promoted.returncode == 0, promoted.stderr
        return str(response.json()["data"]["token"])

    return issue
