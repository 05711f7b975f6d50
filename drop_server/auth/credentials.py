"""What a call presents as its credentials, read from gRPC metadata (REST headers arrive as
metadata through Envoy): an API key, a bearer token, or the session cookie, in that order."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from drop_server.auth.cookies import SESSION_COOKIE, read_cookie

Credentials = tuple[Literal["api_key", "token"], str]


def credentials_of(metadata: Mapping[str, list[str]]) -> Credentials | None:
    api_key = (metadata.get("x-api-key") or [""])[0]
    if api_key:
        return ("api_key", api_key.strip())
    authorization = (metadata.get("authorization") or [""])[0]
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return ("token", token.strip())
    cookie = read_cookie(metadata.get("cookie", []), SESSION_COOKIE)
    if cookie:
        return ("token", cookie)
    return None
