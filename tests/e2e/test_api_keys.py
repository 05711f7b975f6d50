"""API keys over the API (admin): created with the secret shown once, listed without it,
revoked and expired keys refused on the next call; REST through Envoy and native gRPC."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import grpc
import httpx
import pytest
from sqlalchemy import create_engine, text

from drop.v1 import admin_pb2, admin_pb2_grpc
from drop_server.db.engine import sqlalchemy_url
from tests.conftest import DropSystem, fresh_ip
from tests.e2e.helpers import api_key

TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


@pytest.fixture(scope="module")
def admin(drop_system: DropSystem) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=drop_system.http_url,
        transport=httpx.HTTPTransport(local_address=fresh_ip()),
        timeout=15.0,
        headers={"X-Api-Key": api_key(drop_system, "admin")},
    ) as client:
        yield client


def expire(drop_system: DropSystem, key_id: str) -> None:
    """Time passing: the key's expiry moved into the past, as the clock would."""
    engine = create_engine(sqlalchemy_url(drop_system.database_url))
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = :id"),
            {"id": key_id},
        )
    engine.dispose()


def test_key_lifecycle_over_rest(admin: httpx.Client, drop_system: DropSystem) -> None:
    expires = (datetime.now(UTC) + timedelta(days=30)).replace(microsecond=0)
    created = admin.post(
        "/api/admin/api-keys",
        json={
            "scopes": ["support", "rates"],
            "label": "Support desk",
            "expiresAt": expires.isoformat().replace("+00:00", "Z"),
        },
    )
    assert created.status_code == 201, created.text
    key = created.json()["data"]
    secret = key["secret"]
    assert set(key) == {"id", "prefix", "scopes", "label", "createdAt", "expiresAt", "secret"}
    assert key["id"].startswith("key_") and secret.startswith(key["prefix"])
    assert key["prefix"].startswith("drop_") and len(secret) > 40
    assert (key["scopes"], key["label"]) == (["support", "rates"], "Support desk")
    assert TIME.match(key["createdAt"]) and TIME.match(key["expiresAt"])
    assert key["expiresAt"] == expires.strftime("%Y-%m-%dT%H:%M:%S.000Z")

    as_key = {"X-Api-Key": secret}
    assert admin.get("/api/admin/users", headers=as_key).status_code == 200  # support
    assert admin.get("/api/admin/feature-flags", headers=as_key).status_code == 403

    listed = admin.get("/api/admin/api-keys", params={"limit": 100}).json()
    mine = next(k for k in listed["data"] if k["id"] == key["id"])
    assert "secret" not in mine and secret not in str(listed)
    assert mine["prefix"] == key["prefix"] and TIME.match(mine["lastUsedAt"])
    assert set(listed["pagination"]) == {
        "page",
        "limit",
        "total",
        "totalPages",
        "hasNext",
        "hasPrev",
    }

    revoked = admin.delete(f"/api/admin/api-keys/{key['id']}")
    assert revoked.status_code == 200 and TIME.match(revoked.json()["data"]["revokedAt"])
    refused = admin.get("/api/admin/users", headers=as_key)
    assert (refused.status_code, refused.json()["error"]) == (401, "unauthorized")
    again = admin.delete(f"/api/admin/api-keys/{key['id']}")
    assert (again.status_code, again.json()["error"]) == (409, "conflict")
    assert admin.delete("/api/admin/api-keys/key_0000000000000000").status_code == 404

    # Keys never reach the logs.
    assert secret not in drop_system.log_text()


def test_expired_keys_are_refused_at_once(admin: httpx.Client, drop_system: DropSystem) -> None:
    created = admin.post("/api/admin/api-keys", json={"scopes": ["finance"]}).json()["data"]
    as_key = {"X-Api-Key": created["secret"]}
    assert "expiresAt" not in created
    assert (
        admin.get("/api/admin/users/usr_0000000000000000/transactions", headers=as_key).status_code
        == 404
    )
    expire(drop_system, created["id"])
    refused = admin.get("/api/admin/users/usr_0000000000000000/transactions", headers=as_key)
    assert refused.status_code == 401
    assert refused.json()["message"] == "Invalid, expired or revoked API key"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "scopes"),
        ({"scopes": ["root"]}, "scopes"),
        ({"scopes": ["admin"], "expiresAt": "2020-01-01T00:00:00Z"}, "expiresAt"),
        ({"scopes": ["admin"], "label": "x" * 101}, "label"),
    ],
)
def test_bad_key_requests_are_400(admin: httpx.Client, body: dict[str, object], field: str) -> None:
    answer = admin.post("/api/admin/api-keys", json=body)
    assert answer.status_code == 400
    assert [d["field"] for d in answer.json()["details"]] == [field]


def test_key_lifecycle_over_grpc(drop_system: DropSystem) -> None:
    admin_key = (("x-api-key", api_key(drop_system, "admin")),)
    with grpc.insecure_channel(drop_system.grpc_target) as channel:
        stub = admin_pb2_grpc.AdminServiceStub(channel)
        created = stub.CreateApiKey(
            admin_pb2.CreateApiKeyRequest(scopes=["compliance"], label="Auditor"),
            metadata=admin_key,
        ).data
        assert created.secret.startswith(created.prefix) and list(created.scopes) == ["compliance"]
        as_key = (("x-api-key", created.secret),)
        stub.ListDataAccessRequests(admin_pb2.ListDataAccessRequestsRequest(), metadata=as_key)
        listed = stub.ListApiKeys(admin_pb2.ListApiKeysRequest(limit=100), metadata=admin_key)
        mine = next(k for k in listed.data if k.id == created.id)
        assert not mine.HasField("secret") and mine.HasField("last_used_at")
        revoked = stub.RevokeApiKey(
            admin_pb2.RevokeApiKeyRequest(id=created.id), metadata=admin_key
        )
        assert revoked.data.HasField("revoked_at")
        with pytest.raises(grpc.RpcError) as refused:
            stub.ListDataAccessRequests(admin_pb2.ListDataAccessRequestsRequest(), metadata=as_key)
        assert refused.value.code() is grpc.StatusCode.UNAUTHENTICATED
