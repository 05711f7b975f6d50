"""Which RPCs need which caller. Anything not listed needs a signed-in user."""

from __future__ import annotations

from enum import Enum


class Access(Enum):
    PUBLIC = "public"
    # A signed-in user; API keys are refused.
    USER = "user"
    # A signed-in user or an API key; the service checks role or scope.
    USER_OR_KEY = "user_or_key"


PUBLIC_PREFIXES = (
    "/grpc.health.v1.Health/",
    "/grpc.reflection.v1alpha.ServerReflection/",
    "/grpc.reflection.v1.ServerReflection/",
)

POLICY: dict[str, Access] = {
    "/drop.v1.AuthService/Register": Access.PUBLIC,
    "/drop.v1.AuthService/Login": Access.PUBLIC,
    "/drop.v1.HealthService/GetHealth": Access.PUBLIC,
    "/drop.v1.AdminService/ListUsers": Access.USER_OR_KEY,
    "/drop.v1.AdminService/GetUser": Access.USER_OR_KEY,
    "/drop.v1.AdminService/UpdateUser": Access.USER_OR_KEY,
}


def access_for(method: str) -> Access:
    if method.startswith(PUBLIC_PREFIXES):
        return Access.PUBLIC
    return POLICY.get(method, Access.USER)
