"""The `drop_token` session cookie."""

from __future__ import annotations

from http.cookies import CookieError, SimpleCookie

SESSION_COOKIE = "drop_token"


def session_cookie(token: str, max_age_seconds: int, *, secure: bool) -> str:
    # Secure only in production: curl and Python cookie jars do not send a Secure cookie
    # over plain HTTP to 127.0.0.1, which development uses.
    attributes = [
        f"{SESSION_COOKIE}={token}",
        "Path=/",
        f"Max-Age={max_age_seconds}",
        "HttpOnly",
        "SameSite=Lax",
    ]
    if secure:
        attributes.append("Secure")
    return "; ".join(attributes)


def cleared_session_cookie(*, secure: bool) -> str:
    return session_cookie("", 0, secure=secure)


def read_cookie(header_values: list[str], name: str) -> str | None:
    for header in header_values:
        jar: SimpleCookie = SimpleCookie()
        try:
            jar.load(header)
        except CookieError:
            continue
        if name in jar and jar[name].value:
            return jar[name].value
    return None
