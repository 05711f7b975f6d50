"""What Envoy itself answers: health, unknown routes, bad input, retired routes."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.support.envelopes import envelope_of


def test_health_reports_ok_with_database_check(rest: httpx.Client) -> None:
    response = rest.get("/api/health")
    assert response.status_code == 200
    data = response.json()["data"]
    assert set(data) == {"status", "version", "uptime", "checks", "timestamp"}
    assert data["status"] == "ok" and data["version"] == "0.1.0"
    assert isinstance(data["uptime"], int | float) and data["uptime"] >= 0
    assert data["checks"]["services"] == {"mode": "development"}
    db = data["checks"]["db"]
    assert db["status"] == "pass" and db["driver"] == "pg" and isinstance(db["latencyMs"], int)
    assert re.match(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$", data["timestamp"])


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/nope"),
        ("GET", "/nothing"),
        ("DELETE", "/api/nope/1"),
        ("POST", "/api"),
    ],
)
def test_unknown_routes_are_404_envelopes(rest: httpx.Client, method: str, path: str) -> None:
    response = rest.request(method, path)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    assert envelope_of(response) == {
        "error": "not_found",
        "message": "Resource not found",
        "details": [],
    }


def test_bad_query_type_is_400_envelope(rest: httpx.Client) -> None:
    response = rest.get("/api/admin/users?limit=abc")
    assert response.status_code == 400
    assert envelope_of(response) == {
        "error": "bad_request",
        "message": "Malformed request",
        "details": [
            {"field": "limit", "message": 'limit: invalid value "abc" for type TYPE_INT32'}
        ],
    }


def test_unknown_query_parameter_is_400(rest: httpx.Client) -> None:
    response = rest.get("/api/health?bogus=1")
    assert response.status_code == 400
    assert response.json()["details"][0]["field"] == "bogus"


def test_json_that_is_not_an_object_is_400(rest: httpx.Client) -> None:
    response = rest.post(
        "/api/auth/login", content=b"[1,2]", headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["error"] == "bad_request"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/wallet"),
        ("POST", "/api/wallet/topup"),
        ("GET", "/api/wallet/balance"),
        ("DELETE", "/api/wallet/x/y"),
    ],
)
def test_wallet_routes_are_gone(rest: httpx.Client, method: str, path: str) -> None:
    response = rest.request(method, path)
    assert response.status_code == 410
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["error"] == "gone" and body["details"] == []


def test_errors_carry_no_grpc_internals(rest: httpx.Client) -> None:
    response = rest.get("/api/auth/me")
    assert response.status_code == 401
    for header in (
        "grpc-status",
        "grpc-message",
        "grpc-status-details-bin",
        "x-error-body",
        "x-http-status",
    ):
        assert header not in response.headers


def test_openapi_document_is_served(rest: httpx.Client) -> None:
    response = rest.get("/api/openapi.json")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert "/api/auth/register" in document["paths"]


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/api/docs", "text/html; charset=utf-8"),
        ("/api/docs/swagger-ui-bundle.js", "application/javascript"),
        ("/api/docs/swagger-ui.css", "text/css"),
    ],
)
def test_docs_page_and_assets_are_served_locally(
    rest: httpx.Client, path: str, content_type: str
) -> None:
    response = rest.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"] == content_type
    if path == "/api/docs":
        assert "/api/openapi.json" in response.text and "https://" not in response.text
