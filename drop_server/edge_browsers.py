"""The parts of Envoy's configuration that browsers and HTTP clients need, rendered from the
settings and the protos: the CORS policy (DROP_CORS_ORIGINS) and the route table that
envoy/http_conventions.lua reads for HEAD, 405 + Allow and caching."""

from __future__ import annotations

import json
import re
from pathlib import Path

from drop_server.api.routes import ROUTES

ROOT = Path(__file__).resolve().parents[1]
CONVENTIONS_LUA = ROOT / "envoy" / "http_conventions.lua"
VHOST_INDENT = " " * 14

# Routes Envoy answers itself (the served contract and docs page), besides the protos' routes.
STATIC_GETS = (
    "/api/openapi.json",
    "/api/docs",
    "/api/docs/swagger-ui-bundle.js",
    "/api/docs/swagger-ui.css",
)
# Public answers that a browser or a CDN may keep: path template -> max-age in seconds. Rates
# change when an operator updates them; a minute of staleness is what the rate limit allows.
PUBLIC_CACHE_SECONDS = {"/api/rates": 60, "/api/rates/{currency}": 60}

# Request headers a browser client may send: JSON and Connect/gRPC-Web framing, the
# credentials and the idempotency key.
CORS_ALLOW_HEADERS = (
    "authorization, content-type, idempotency-key, if-none-match, x-api-key, x-drop-client, "
    "x-grpc-web, x-user-agent, grpc-timeout, connect-protocol-version, connect-timeout-ms"
)
# Response headers a browser script may read: the request id, rate limits, caching, redirects
# and gRPC-Web's status headers (for errors without a body).
CORS_EXPOSE_HEADERS = (
    "x-request-id, x-ratelimit-limit, x-ratelimit-remaining, x-ratelimit-reset, retry-after, "
    "etag, location, grpc-status, grpc-message, grpc-status-details-bin"
)
CORS_TYPE = "type.googleapis.com/envoy.extensions.filters.http.cors.v3.CorsPolicy"


def cors_policy(origins: tuple[str, ...]) -> str:
    """The virtual host's CORS policy as one YAML line; a comment when no origin is allowed
    (then browsers keep their same-origin rule: no Access-Control-* header is ever sent)."""
    if not origins:
        return f"{VHOST_INDENT}# (no DROP_CORS_ORIGINS: cross-origin browser calls are refused)"
    policy = {
        "envoy.filters.http.cors": {
            "@type": CORS_TYPE,
            "allow_origin_string_match": [{"exact": origin} for origin in origins],
            "allow_methods": "GET, HEAD, POST, PUT, PATCH, DELETE",
            "allow_headers": CORS_ALLOW_HEADERS,
            "expose_headers": CORS_EXPOSE_HEADERS,
            # The web session is an httpOnly cookie: listed origins may send it.
            "allow_credentials": True,
            "max_age": "600",
        }
    }
    return f"{VHOST_INDENT}typed_per_filter_config: {json.dumps(policy)}"


def lua_pattern(template: str) -> str:
    """A google.api.http path template as an anchored Lua pattern ({id} is one segment)."""
    escaped = re.sub(r"([%.\-+*?\[\]^$()])", r"%\1", template)
    return "^" + re.sub(r"\{[^}]+\}", "[^/]+", escaped) + "$"


def _lua_string(text: str) -> str:
    return json.dumps(text)  # a JSON string is a valid Lua string for these characters


def conventions_table() -> str:
    """ROUTES and PUBLIC_CACHE for http_conventions.lua, from the protos' http rules."""
    methods: dict[str, set[str]] = {path: {"GET"} for path in STATIC_GETS}
    for rule in ROUTES.values():
        if rule.http_path:
            methods.setdefault(rule.http_path, set()).add(rule.http_method)
    routes = ",\n".join(
        f"  {{pattern = {_lua_string(lua_pattern(path))}, methods = {{"
        + ", ".join(f"{method} = true" for method in sorted(verbs))
        + "}}"
        for path, verbs in sorted(methods.items())
    )
    cache = ",\n".join(
        f"  {{pattern = {_lua_string(lua_pattern(path))}, max_age = {seconds}}}"
        for path, seconds in sorted(PUBLIC_CACHE_SECONDS.items())
    )
    return f"ROUTES = {{\n{routes}\n}}\nPUBLIC_CACHE = {{\n{cache}\n}}\n"


def conventions_source() -> str:
    """The Lua filter's source as a YAML (JSON) string: the table, then the script."""
    return json.dumps(conventions_table() + CONVENTIONS_LUA.read_text())
