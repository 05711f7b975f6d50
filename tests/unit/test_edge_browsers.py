"""The Envoy pieces rendered for browsers: CORS policy and the HTTP-conventions route table."""

from __future__ import annotations

import re

from drop_server.edge_browsers import conventions_table, cors_policy, lua_pattern


def _as_python(pattern: str) -> re.Pattern[str]:
    # Lua's %-escapes and [^/]+ read the same as a regex once % becomes \.
    return re.compile(pattern.replace("%", "\\"))


def test_lua_patterns_match_one_segment_per_parameter() -> None:
    pattern = _as_python(lua_pattern("/api/admin/feature-flags/{name}"))
    assert pattern.match("/api/admin/feature-flags/cards")
    assert not pattern.match("/api/admin/feature-flags/cards/x")
    assert not pattern.match("/api/admin/feature-flags")


def test_route_table_lists_every_method_of_a_path() -> None:
    table = conventions_table()
    assert '{pattern = "^/api/bank%-accounts$", methods = {GET = true, POST = true}}' in table
    assert '{pattern = "^/api/openapi%.json$", methods = {GET = true}}' in table
    assert '{pattern = "^/api/rates/[^/]+$", max_age = 60}' in table


def test_no_cors_without_origins_and_exact_origins_with_credentials() -> None:
    assert cors_policy(()).strip().startswith("#")
    policy = cors_policy(("https://app.drop.no",))
    assert '"exact": "https://app.drop.no"' in policy and '"allow_credentials": true' in policy
    assert "x-request-id" in policy and "x-ratelimit-remaining" in policy
