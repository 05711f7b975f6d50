"""The rendered Envoy configuration: limits keyed on gRPC methods, and rest.lua's list of
amount fields kept equal to the protos' double fields."""

from __future__ import annotations

import re

from drop_server.api.routes import ROUTES, SERVICE_MODULES
from drop_server.edge import DEFAULT_PER_IP_PER_MINUTE, LUA, rate_limited_routes


def request_number_fields() -> set[str]:
    names: set[str] = set()

    def walk(message: object, seen: set[str]) -> None:
        if message.full_name in seen:  # type: ignore[attr-defined]
            return
        seen.add(message.full_name)  # type: ignore[attr-defined]
        for field in message.fields:  # type: ignore[attr-defined]
            if field.type in (field.TYPE_DOUBLE, field.TYPE_FLOAT):
                names.add(field.json_name)
            if field.message_type is not None:
                walk(field.message_type, seen)

    for module in SERVICE_MODULES:
        for service in module.DESCRIPTOR.services_by_name.values():
            for method in service.methods:
                walk(method.input_type, set())
    return names


def test_rest_lua_refuses_strings_for_every_amount_field() -> None:
    listed = re.search(r"local NUMBER_FIELDS = \{([^}]*)\}", LUA.read_text())
    assert listed is not None
    assert set(re.findall(r'"(\w+)"', listed.group(1))) == request_number_fields()


def test_limits_are_keyed_on_grpc_methods_with_a_default_for_the_rest() -> None:
    routes = rate_limited_routes()
    limited = {method for method, rule in ROUTES.items() if rule.per_ip_per_minute}
    paths = [route["match"].get("path") for route in routes]  # type: ignore[attr-defined]
    assert set(paths[:-1]) == limited
    assert routes[-1]["match"] == {"prefix": "/drop.v1."}
    default = routes[-1]["typed_per_filter_config"]["envoy.filters.http.local_ratelimit"]  # type: ignore[index]
    assert default["descriptors"][0]["token_bucket"]["max_tokens"] == DEFAULT_PER_IP_PER_MINUTE
