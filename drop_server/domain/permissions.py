"""Back-office permissions: which role and which API-key scope may do what.

Routes name the permission they need in their `(drop.v1.route)` option; this table says who
holds it. A payments company needs support staff who can read a customer's account and handle
complaints without being able to change rates, flags or roles, and auditors who see the privacy
records but move no money.
"""

from __future__ import annotations

from enum import StrEnum

from drop_server.domain.users import Role


class Permission(StrEnum):
    # Values match the proto enum names without the `PERMISSION_` prefix, in lower case.
    USERS_READ = "users_read"
    TRANSACTIONS_READ = "transactions_read"
    USERS_VERIFY = "users_verify"
    ROLES_MANAGE = "roles_manage"
    COMPLAINTS_MANAGE = "complaints_manage"
    PRIVACY_AUDIT = "privacy_audit"
    RATES_MANAGE = "rates_manage"
    SETTLEMENT_MANAGE = "settlement_manage"
    FEATURE_FLAGS_MANAGE = "feature_flags_manage"
    API_KEYS_MANAGE = "api_keys_manage"


class Scope(StrEnum):
    """What an API key may do: a back-office role's permissions, or one narrow job."""

    ADMIN = "admin"
    SUPPORT = "support"
    COMPLIANCE = "compliance"
    FINANCE = "finance"
    RATES = "rates"
    SETTLEMENT = "settlement"


ALL_PERMISSIONS = frozenset(Permission)

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.USER: frozenset(),
    Role.MERCHANT: frozenset(),
    Role.ADMIN: ALL_PERMISSIONS,
    Role.SUPPORT: frozenset(
        {Permission.USERS_READ, Permission.TRANSACTIONS_READ, Permission.COMPLAINTS_MANAGE}
    ),
    Role.COMPLIANCE: frozenset(
        {Permission.USERS_READ, Permission.USERS_VERIFY, Permission.PRIVACY_AUDIT}
    ),
    Role.FINANCE: frozenset(
        {Permission.TRANSACTIONS_READ, Permission.RATES_MANAGE, Permission.SETTLEMENT_MANAGE}
    ),
}

SCOPE_PERMISSIONS: dict[Scope, frozenset[Permission]] = {
    Scope.ADMIN: ALL_PERMISSIONS,
    Scope.SUPPORT: ROLE_PERMISSIONS[Role.SUPPORT],
    Scope.COMPLIANCE: ROLE_PERMISSIONS[Role.COMPLIANCE],
    Scope.FINANCE: ROLE_PERMISSIONS[Role.FINANCE],
    Scope.RATES: frozenset({Permission.RATES_MANAGE}),
    Scope.SETTLEMENT: frozenset({Permission.SETTLEMENT_MANAGE}),
}


def permissions_of(role: Role | None, scopes: frozenset[Scope]) -> frozenset[Permission]:
    granted = set(ROLE_PERMISSIONS[role]) if role is not None else set()
    for scope in scopes:
        granted |= SCOPE_PERMISSIONS[scope]
    return frozenset(granted)


def holders(permission: Permission) -> tuple[list[Role], list[Scope]]:
    """Who holds a permission: for the OpenAPI document and the README table."""
    roles = [role for role, granted in ROLE_PERMISSIONS.items() if permission in granted]
    scopes = [scope for scope, granted in SCOPE_PERMISSIONS.items() if permission in granted]
    return roles, scopes
