"""Route facts read from the protos' `(drop.v1.route)` method options: who may call each RPC
and which REST status a success answers. The OpenAPI document and Envoy's rate limits read the
same options, so a route's rules are written once, in its .proto."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from types import ModuleType

from google.api import annotations_pb2, http_pb2

from drop.v1 import (
    admin_pb2,
    auth_pb2,
    bank_accounts_pb2,
    cards_pb2,
    complaints_pb2,
    events_pb2,
    health_pb2,
    merchants_pb2,
    notifications_pb2,
    privacy_pb2,
    rates_pb2,
    recipients_pb2,
    route_pb2,
    settings_pb2,
    transactions_pb2,
    webhooks_pb2,
)
from drop_server.domain.permissions import Permission

# Every drop.v1 module with a service; a new service is added here and in server.py.
SERVICE_MODULES: tuple[ModuleType, ...] = (
    auth_pb2,
    admin_pb2,
    health_pb2,
    bank_accounts_pb2,
    rates_pb2,
    recipients_pb2,
    transactions_pb2,
    merchants_pb2,
    notifications_pb2,
    settings_pb2,
    privacy_pb2,
    complaints_pb2,
    cards_pb2,
    events_pb2,
    webhooks_pb2,
)


class Access(Enum):
    PUBLIC = "public"
    # A signed-in user; API keys are refused.
    USER = "user"
    # A signed-in user or an API key; the service checks role or scope.
    USER_OR_KEY = "user_or_key"


_ACCESS = {
    route_pb2.ACCESS_UNSPECIFIED: Access.USER,
    route_pb2.ACCESS_PUBLIC: Access.PUBLIC,
    route_pb2.ACCESS_USER: Access.USER,
    route_pb2.ACCESS_USER_OR_KEY: Access.USER_OR_KEY,
}

# Standard services every worker also serves; they need no caller.
PUBLIC_PREFIXES = (
    "/grpc.health.v1.Health/",
    "/grpc.reflection.v1alpha.ServerReflection/",
    "/grpc.reflection.v1.ServerReflection/",
)


@dataclass(frozen=True)
class RouteRule:
    access: Access
    success_status: int
    # The REST binding (google.api.http): verb in upper case and path template.
    http_method: str = ""
    http_path: str = ""
    per_ip_per_minute: int = 0
    # The back-office permission a caller needs; None when access alone decides.
    permission: Permission | None = None
    # Feature flags that must all be on, else the route is answered as missing (404).
    feature_flags: tuple[str, ...] = ()
    # A server stream: served by the streams process (drop_server/streams), not the workers.
    streaming: bool = False


def service_names() -> list[str]:
    """Every Drop service, the streams process's included."""
    return [
        service.full_name
        for module in SERVICE_MODULES
        for service in module.DESCRIPTOR.services_by_name.values()
    ]


def permission_of(route: route_pb2.Route) -> Permission | None:
    """PERMISSION_USERS_READ -> Permission.USERS_READ; the two enums must name the same set."""
    if route.permission == route_pb2.PERMISSION_UNSPECIFIED:
        return None
    name = route_pb2.Permission.Name(route.permission).removeprefix("PERMISSION_")
    return Permission(name.lower())


def _http_binding(rule: http_pb2.HttpRule) -> tuple[str, str]:
    verb = rule.WhichOneof("pattern")
    if verb is None or verb == "custom":
        return "", ""
    return verb.upper(), getattr(rule, verb)


def _table() -> dict[str, RouteRule]:
    table: dict[str, RouteRule] = {}
    for module in SERVICE_MODULES:
        for service in module.DESCRIPTOR.services_by_name.values():
            for method in service.methods:
                options = method.GetOptions()
                route = options.Extensions[route_pb2.route]
                http_method, http_path = _http_binding(options.Extensions[annotations_pb2.http])
                table[f"/{service.full_name}/{method.name}"] = RouteRule(
                    access=_ACCESS[route.access],
                    success_status=route.success_status or 200,
                    http_method=http_method,
                    http_path=http_path,
                    per_ip_per_minute=route.per_ip_per_minute,
                    permission=permission_of(route),
                    feature_flags=tuple(route.feature_flags),
                    streaming=method.server_streaming,
                )
    return table


ROUTES = _table()
_USER_ONLY = RouteRule(access=Access.USER, success_status=200)
_PUBLIC = RouteRule(access=Access.PUBLIC, success_status=200)


def route_for(method: str) -> RouteRule:
    """Unknown methods need a signed-in user: a forgotten option fails closed."""
    if method.startswith(PUBLIC_PREFIXES):
        return _PUBLIC
    return ROUTES.get(method, _USER_ONLY)
