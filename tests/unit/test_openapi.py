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
    assert set(register["responses"]) == {
        *("201", "400", "409", "410", "413", "415", "422", "429", "500", "503")
    }
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
        {
            "name": "id",
            "in": "path",
            "required": True,
            "schema": {"type": "string"},
            "example": "usr_a1b2c3d4e5f60718",
        }
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


def test_the_document_is_valid_openapi_3_1(document: dict) -> None:  # type: ignore[type-arg]
    from openapi_spec_validator import validate

    validate(document)


def test_server_is_the_one_that_serves_the_document(document: dict) -> None:  # type: ignore[type-arg]
    assert [server["url"] for server in document["servers"]] == ["/"]


def test_every_tag_used_is_declared_with_a_description(document: dict) -> None:  # type: ignore[type-arg]
    declared = {tag["name"]: tag for tag in document["tags"]}
    used = {t for ops in document["paths"].values() for op in ops.values() for t in op["tags"]}
    assert used <= set(declared)
    assert all(tag.get("description") for tag in declared.values())


def test_request_bodies_with_required_fields_are_required(document: dict) -> None:  # type: ignore[type-arg]
    register = document["paths"]["/api/auth/register"]["post"]["requestBody"]
    assert register["required"] is True
    # Every field optional (any subset of the settings): an empty body is a valid request.
    assert document["paths"]["/api/settings"]["patch"]["requestBody"]["required"] is False
    for path, operations in document["paths"].items():
        for operation in operations.values():
            body = operation.get("requestBody")
            if body is None:
                continue
            ref = body["content"]["application/json"]["schema"]["$ref"]
            schema = document["components"]["schemas"][ref.rsplit("/", 1)[-1]]
            assert body["required"] is bool(schema.get("required")), path


def _validator(document: dict, schema: dict):  # type: ignore[no-untyped-def,type-arg]
    from jsonschema import Draft202012Validator

    return Draft202012Validator({**schema, "components": document["components"]})


def test_every_operation_has_examples_that_fit_its_schemas(document: dict) -> None:  # type: ignore[type-arg]
    for path, operations in document["paths"].items():
        for verb, operation in operations.items():
            where = f"{verb.upper()} {path}"
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if body is not None:
                assert "example" in body, where
                _validator(document, body["schema"]).validate(body["example"])
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path":
                    assert parameter["example"], where
            examples = 0
            for status, response in operation["responses"].items():
                content = response.get("content", {}).get("application/json")
                if content is None or "example" not in content:
                    continue
                examples += status.startswith("2")
                _validator(document, content["schema"]).validate(content["example"])
            stream = operation["responses"].get("200", {}).get("content", {})
            if "text/event-stream" in stream:
                # Server-Sent Events: every `data:` line of the example is one event message.
                events = stream["text/event-stream"]
                lines = [x for x in events["example"].split("\n") if x.startswith("data: ")]
                assert lines, where
                for line in lines:
                    _validator(document, events["x-drop-event-schema"]).validate(
                        json.loads(line.removeprefix("data: "))
                    )
                examples += 1
            static = operation["operationId"] in ("GetOpenApi", "GetApiDocs", "Wallet")
            assert examples >= 1 or static or "204" in operation["responses"], where


def test_examples_read_like_the_source_documents(document: dict) -> None:  # type: ignore[type-arg]
    remittance = document["paths"]["/api/transactions/remittance"]["post"]
    sent = remittance["responses"]["201"]["content"]["application/json"]["example"]["data"]
    assert (sent["sendAmount"], sent["exchangeRate"], sent["fee"], sent["total"]) == (
        2000,
        11.7,
        10,
        2010,
    )
    assert sent["recipientName"] == "Mama Jasmina" and sent["recipientCountry"] == "Serbia"
    me = document["paths"]["/api/auth/me"]["get"]["responses"]["200"]["content"]
    assert me["application/json"]["example"]["data"]["lastName"] == "Bašić"
    missing = document["paths"]["/api/auth/me"]["get"]["responses"]["401"]["content"]
    assert missing["application/json"]["example"]["error"] == "unauthorized"
