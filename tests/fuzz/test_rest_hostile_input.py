"""Hostile REST input on every route: NUL in every string field, bytes that are not UTF-8,
a body over the limit, a path parameter that decodes to invalid UTF-8, and an oversized
header. Every answer is a 4xx envelope that is valid UTF-8 JSON: never a 500, never a text
page. (Schemathesis generates valid UTF-8 JSON only, so these cases are written out.)"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import httpx
import pytest
from google.protobuf import descriptor
from google.protobuf.descriptor import FieldDescriptor

from drop_server.api.routes import ROUTES, SERVICE_MODULES
from tests.conftest import DropSystem, fresh_ip, registration

# Logout and refresh would revoke the shared session; they are called without it.
SESSION_ENDING = {"drop.v1.AuthService.Logout", "drop.v1.AuthService.Refresh"}


@pytest.fixture(scope="module")
def admin_bearer(drop_system: DropSystem) -> str:
    """One signed-in admin for the whole module: the logic behind admin routes runs too."""
    body = registration()
    with httpx.Client(
        base_url=drop_system.http_url, transport=httpx.HTTPTransport(local_address=fresh_ip())
    ) as client:
        response = client.post("/api/auth/register", json=body, headers={"X-Drop-Client": "mobile"})
    assert response.status_code == 201, response.text
    promoted = drop_system.drop("admin", "promote", str(body["email"]))
    assert promoted.returncode == 0, promoted.stderr
    return str(response.json()["data"]["token"])


def rest_routes() -> Iterator[tuple[str, str, str, descriptor.Descriptor]]:
    for module in SERVICE_MODULES:
        for service in module.DESCRIPTOR.services_by_name.values():
            for method in service.methods:
                rule = ROUTES[f"/{service.full_name}/{method.name}"]
                if rule.http_method:
                    yield method.full_name, rule.http_method, rule.http_path, method.input_type


def hostile_requests(
    verb: str, template: str, message: descriptor.Descriptor
) -> Iterator[tuple[str, dict[str, object]]]:
    path = re.sub(r"\{[^}]+\}", "x", template)
    json_headers = {"content-type": "application/json"}
    if "{" in template:
        yield "invalid UTF-8 in the path", {"url": re.sub(r"\{[^}]+\}", "%FF", template)}
    yield "oversized header", {"url": path, "headers": {"x-padding": "a" * 40_000}}
    if verb in ("POST", "PUT", "PATCH"):
        strings = [f.json_name for f in message.fields if f.type == FieldDescriptor.TYPE_STRING]
        if strings:
            body = json.dumps({name: "a\u0000b" for name in strings}).encode()
            yield "NUL in every string", {"url": path, "content": body, "headers": json_headers}
        yield (
            "invalid UTF-8 body",
            {"url": path, "content": b'{"x": "\xff\xfe"}', "headers": json_headers},
        )
        yield (
            "oversized body",
            {
                "url": path,
                "content": b'{"x": "' + b"a" * 1_100_000 + b'"}',
                "headers": json_headers,
            },
        )


@pytest.mark.parametrize(
    ("name", "verb", "template", "message"),
    list(rest_routes()),
    ids=lambda v: v if isinstance(v, str) and v.startswith("drop.") else "",
)
def test_hostile_input_gets_a_4xx_envelope(
    name: str,
    verb: str,
    template: str,
    message: descriptor.Descriptor,
    drop_system: DropSystem,
    admin_bearer: str,
) -> None:
    headers = {} if name in SESSION_ENDING else {"Authorization": f"Bearer {admin_bearer}"}
    with httpx.Client(
        base_url=drop_system.http_url,
        transport=httpx.HTTPTransport(local_address=fresh_ip()),
        headers=headers,
        timeout=15,
    ) as client:
        for case, request in hostile_requests(verb, template, message):
            response = client.request(verb, **request)  # type: ignore[arg-type]
            assert 400 <= response.status_code < 500, (case, response.status_code, response.text)
            assert response.headers["content-type"] == "application/json", case
            body = json.loads(response.content.decode("utf-8"))
            assert {"error", "message", "details"} <= set(body), (case, body)
