"""Back-office roles and API-key scopes against every route that names a permission, over REST
(through Envoy) and native gRPC: table-driven from the protos' `(drop.v1.route)` options and
domain/permissions.py, one user per role and one key per scope.

Each call is made so that an allowed caller cannot change anything (unknown ids, missing
fields): allowed means "not 401/403", denied means exactly 403 `forbidden`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import grpc
import httpx
import pytest

from drop.v1 import admin_pb2
from drop_server.api.routes import ROUTES, RouteRule
from drop_server.domain.permissions import ROLE_PERMISSIONS, SCOPE_PERMISSIONS, Scope
from drop_server.domain.users import Role
from tests.conftest import DropSystem, fresh_ip, registration
from tests.support.envelopes import envelope_of

PLACEHOLDERS = {"id": "usr_0000000000000000", "currency": "ZZZ", "name": "noSuchFlag"}
FORBIDDEN = {"error": "forbidden", "message": "Your role or key does not allow this", "details": []}
GUARDED = sorted((method, rule) for method, rule in ROUTES.items() if rule.permission is not None)


@dataclass(frozen=True)
class Caller:
    name: str
    permissions: frozenset[object]
    # (header, value) for REST and gRPC alike.
    credential: tuple[str, str]


def _client(drop_system: DropSystem) -> httpx.Client:
    return httpx.Client(
        base_url=drop_system.http_url,
        transport=httpx.HTTPTransport(local_address=fresh_ip()),
        timeout=15.0,
    )


@pytest.fixture(scope="module")
def callers(drop_system: DropSystem) -> Iterator[list[Caller]]:
    with _client(drop_system) as client:
        tokens: dict[Role, tuple[str, str]] = {}
        for role in Role:
            with _client(drop_system) as fresh:  # sign-up is limited per IP
                answer = fresh.post(
                    "/api/auth/register",
                    json=registration(),
                    headers={"X-Drop-Client": "mobile"},
                )
            assert answer.status_code == 201, answer.text
            data = answer.json()["data"]
            tokens[role] = (data["id"], data["token"])
        admin_token = tokens[Role.ADMIN][1]
        promoted = drop_system.drop(
            "admin", "promote", str(registration_email(client, admin_token))
        )
        assert promoted.returncode == 0, promoted.stderr
        admin = {"Authorization": f"Bearer {admin_token}"}
        for role, (user_id, _) in tokens.items():
            if role not in (Role.USER, Role.ADMIN):
                changed = client.patch(
                    f"/api/admin/users/{user_id}", json={"role": role.value}, headers=admin
                )
                assert changed.status_code == 200, changed.text
        found: list[Caller] = [
            Caller(f"role {role}", ROLE_PERMISSIONS[role], ("authorization", f"Bearer {token}"))
            for role, (_, token) in tokens.items()
        ]
        for scope in Scope:
            created = client.post(
                "/api/admin/api-keys", json={"scopes": [scope.value]}, headers=admin
            )
            assert created.status_code == 201, created.text
            found.append(
                Caller(
                    f"key {scope}",
                    SCOPE_PERMISSIONS[scope],
                    ("x-api-key", created.json()["data"]["secret"]),
                )
            )
        yield found


def registration_email(client: httpx.Client, token: str) -> str:
    me = client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
    return str(me.json()["data"]["email"])


def _rest_call(client: httpx.Client, rule: RouteRule, caller: Caller) -> httpx.Response:
    path = re.sub(r"\{(\w+)\}", lambda m: PLACEHOLDERS[m.group(1)], rule.http_path)
    body = {} if rule.http_method in ("POST", "PUT", "PATCH") else None
    header, value = caller.credential
    return client.request(rule.http_method, path, json=body, headers={header: value})


def _grpc_call(channel: grpc.Channel, method: str, caller: Caller) -> grpc.StatusCode:
    name = method.rsplit("/", 1)[1]
    request_type = getattr(admin_pb2, f"{name}Request")
    request = request_type()
    for field, value in (("id", PLACEHOLDERS["id"]), ("currency", "ZZZ"), ("name", "noSuch")):
        if field in request_type.DESCRIPTOR.fields_by_name:
            setattr(request, field, value)
    call = channel.unary_unary(
        method,
        request_serializer=request_type.SerializeToString,
        response_deserializer=lambda raw: raw,
    )
    try:
        call(request, metadata=(caller.credential,), timeout=10)
    except grpc.RpcError as error:
        return error.code()  # type: ignore[no-any-return]
    return grpc.StatusCode.OK


def test_every_guarded_route_is_a_back_office_route() -> None:
    assert len(GUARDED) >= 16
    for method, rule in GUARDED:
        assert method.startswith("/drop.v1.AdminService/"), method
        assert rule.http_path.startswith("/api/admin/"), method
    unguarded_admin = [
        m for m, r in ROUTES.items() if r.http_path.startswith("/api/admin/") and not r.permission
    ]
    assert unguarded_admin == []


def test_role_and_scope_matrix_over_rest_and_grpc(
    callers: list[Caller], drop_system: DropSystem
) -> None:
    mismatches: list[str] = []
    with _client(drop_system) as client, grpc.insecure_channel(drop_system.grpc_target) as channel:
        for caller in callers:
            for method, rule in GUARDED:
                allowed = rule.permission in caller.permissions
                response = _rest_call(client, rule, caller)
                rest_ok = (
                    response.status_code not in (401, 403)
                    if allowed
                    else (response.status_code, envelope_of(response)) == (403, FORBIDDEN)
                )
                code = _grpc_call(channel, method, caller)
                grpc_ok = (
                    code not in (grpc.StatusCode.UNAUTHENTICATED, grpc.StatusCode.PERMISSION_DENIED)
                    if allowed
                    else code is grpc.StatusCode.PERMISSION_DENIED
                )
                if not (rest_ok and grpc_ok):
                    mismatches.append(
                        f"{caller.name} {method}: allowed={allowed} "
                        f"REST {response.status_code} gRPC {code.name}"
                    )
    assert mismatches == []


def test_only_admins_change_roles(callers: list[Caller], drop_system: DropSystem) -> None:
    by_name = {c.name: c for c in callers}
    with _client(drop_system) as client:
        target = client.post("/api/auth/register", json=registration()).json()["data"]["id"]
        for name in ("role support", "role compliance", "role finance", "key compliance"):
            header, value = by_name[name].credential
            answer = client.patch(
                f"/api/admin/users/{target}", json={"role": "admin"}, headers={header: value}
            )
            assert (answer.status_code, envelope_of(answer)) == (403, FORBIDDEN), name
        # Compliance verifies identities (KYC) but hands out no roles.
        header, value = by_name["role compliance"].credential
        kyc = client.patch(
            f"/api/admin/users/{target}", json={"kycStatus": "approved"}, headers={header: value}
        )
        assert kyc.status_code == 200 and kyc.json()["data"]["role"] == "user"
        header, value = by_name["role admin"].credential
        promoted = client.patch(
            f"/api/admin/users/{target}", json={"role": "support"}, headers={header: value}
        )
        assert promoted.status_code == 200 and promoted.json()["data"]["role"] == "support"
