"""The generated OpenAPI document says what Envoy serves."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from google.protobuf import descriptor_pb2

from drop_server.api.routes import ROUTES
from drop_server.openapi import build_openapi

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def document() -> dict:  # type: ignore[type-arg]
    files = descriptor_pb2.FileDescriptorSet.FromString((ROOT / "gen" / "drop.binpb").read_bytes())
    return build_openapi(files)


def test_committed_document_is_what_the_generator_writes(document: dict) -> None:  # type: ignore[type-arg]
    assert json.loads((ROOT / "gen" / "openapi.json").read_text()) == document


def test_every_rest_binding_is_documented(document: dict) -> None:  # type: ignore[type-arg]
    for method, rule in ROUTES.items():
        if rule.http_path:
            operation = document["paths"][rule.http_path][rule.http_method.lower()]
            service, name = method.strip("/").split("/")
            assert operation["operationId"] == f"{service.split('.')[-1]}_{name}"


def test_success_statuses_and_errors(document: dict) -> None:  # type: ignore[type-arg]
    register = document["paths"]["/api/auth/register"]["post"]
    assert set(register["responses"]) == {"201", "400", "409", "410", "422", "429", "500", "503"}
    assert register["security"] == []
    me = document["paths"]["/api/auth/me"]["get"]
    assert "401" in me["responses"] and {"cookieAuth": []} in me["security"]
    admin = document["paths"]["/api/admin/users"]["get"]
    assert {"apiKeyAuth": []} in admin["security"]
    health = document["paths"]["/api/health"]["get"]["responses"]["503"]["content"][
        "application/json"
    ]["schema"]
    assert {"$ref": "#/components/schemas/GetHealthResponse"} in health["anyOf"]


def test_json_names_and_required_fields(document: dict) -> None:  # type: ignore[type-arg]
    schemas = document["components"]["schemas"]
    register = schemas["RegisterRequest"]
    assert set(register["properties"]) == {
        "email",
        "password",
        "firstName",
        "lastName",
        "phone",
        "dateOfBirth",
    }
    assert register["required"] == ["email", "password", "firstName", "lastName", "dateOfBirth"]
    me = schemas["Me"]
    assert "phone" not in me["required"] and "bankAccounts" in me["required"]
    assert me["properties"]["createdAt"] == {"type": "string", "format": "date-time"}
    assert me["properties"]["totalBalance"]["type"] == "number"
    assert schemas["Pagination"]["required"] == [
        "page",
        "limit",
        "total",
        "totalPages",
        "hasNext",
        "hasPrev",
    ]
    assert schemas["ErrorResponse"]["required"] == ["error", "message", "details"]


def test_query_and_path_parameters(document: dict) -> None:  # type: ignore[type-arg]
    listing = document["paths"]["/api/admin/users"]["get"]["parameters"]
    assert [p["name"] for p in listing] == [
        "page",
        "limit",
        "search",
        "role",
        "kycStatus",
        "sortBy",
        "order",
    ]
    assert all(p["in"] == "query" and not p["required"] for p in listing)
    update = document["paths"]["/api/admin/users/{id}"]["patch"]
    assert update["parameters"] == [
        {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
    ]
    body = document["components"]["schemas"]["UpdateUserRequest"]
    assert set(body["properties"]) == {"kycStatus", "role"}


def test_each_back_office_route_shows_its_permission(document: dict) -> None:  # type: ignore[type-arg]
    for rule in ROUTES.values():
        if rule.http_path.startswith("/api/admin/"):
            operation = document["paths"][rule.http_path][rule.http_method.lower()]
            assert rule.permission is not None
            assert operation["x-drop-permission"] == rule.permission.value
            assert f"Permission `{rule.permission.value}`" in operation["description"]
    settle = document["paths"]["/api/admin/transactions/{id}/settle"]["post"]
    assert (
        "roles `admin`, `finance`; API-key scopes `admin`, `finance`, `settlement`."
        in (settle["description"])
    )
    cards = document["paths"]["/api/cards/{id}/pin"]["post"]
    assert "Feature flags `cards`, `cardPin`" in cards["description"]
