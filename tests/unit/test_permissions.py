"""The permission table: proto enum and Python enum name the same set, and the README's table
says exactly what the code enforces."""

from __future__ import annotations

from pathlib import Path

from drop.v1 import route_pb2
from drop_server.api.routes import ROUTES
from drop_server.auth.principal import Principal
from drop_server.domain.permissions import Permission, Scope, holders
from drop_server.domain.users import Role

README = Path(__file__).resolve().parents[2] / "README.md"


def test_proto_and_python_permissions_match() -> None:
    in_proto = {
        name.removeprefix("PERMISSION_").lower()
        for name in route_pb2.Permission.DESCRIPTOR.values_by_name
        if name != "PERMISSION_UNSPECIFIED"
    }
    assert in_proto == {p.value for p in Permission}


def test_readme_table_matches_the_code() -> None:
    text = README.read_text()
    routes: dict[Permission, list[str]] = {}
    for rule in sorted(ROUTES.values(), key=lambda r: r.http_path):
        if rule.permission is not None:
            routes.setdefault(rule.permission, []).append(f"`{rule.http_method} {rule.http_path}`")
    for permission in Permission:
        roles, scopes = holders(permission)
        listed = ", ".join(
            routes.get(permission, ["(role changes inside `PATCH /api/admin/users/{id}`)"])
        )
        row = f"| `{permission}` | {listed} | {', '.join(roles)} | {', '.join(scopes)} |"
        assert row in text, row


def test_scopes_grant_through_roles_too() -> None:
    finance = Principal(user_id="usr_1", role=Role.FINANCE)
    assert finance.has_scope(Scope.SETTLEMENT) and finance.has_scope(Scope.RATES)
    assert not finance.has_scope(Scope.ADMIN) and not finance.is_admin
    support_key = Principal(api_key_id="key_1", scopes=frozenset({Scope.SUPPORT}))
    assert support_key.can(Permission.COMPLAINTS_MANAGE)
    assert not support_key.can(Permission.RATES_MANAGE)
    assert Principal(user_id="usr_2", role=Role.USER).permissions == frozenset()
