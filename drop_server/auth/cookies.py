"""The `drop_token` session cookie."""

from __future__ import annotations

from collections.abc import Iterator

SESSION_COOKIE = "drop_token"
BANKID_STATE_COOKIE = "bankid_state"
BANKID_STATE_SECONDS = 600
# Sent only to the BankID routes: nothing else needs it.
BANKID_COOKIE_PATH = "/api/auth/bankid"


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


def bankid_state_cookie(state: str, *, secure: bool) -> str:
    attributes = [
        f"{BANKID_STATE_COOKIE}={state}",
        f"Path={BANKID_COOKIE_PATH}",
        f"Max-Age={BANKID_STATE_SECONDS}",
        "HttpOnly",
        "SameSite=Lax",
    ]
    if secure:
        attributes.append("Secure")
    return "; ".join(attributes)


def cleared_bankid_state_cookie(*, secure: bool) -> str:
    cookie = f"{BANKID_STATE_COOKIE}=; Path={BANKID_COOKIE_PATH}; Max-Age=0; HttpOnly; SameSite=Lax"
    return cookie + ("; Secure" if secure else "")


def cookie_pairs(header: str) -> Iterator[tuple[str, str]]:
    """The `name=value` pairs of one Cookie header, read the way browsers write it (RFC 6265
    section 5.4 and what browsers really send): pairs are separated by `;`, a value runs to the
    next `;` and may hold anything else (JSON, spaces, commas, quotes from consent managers and
    analytics). http.cookies.SimpleCookie stops at the first value it cannot read, which signed
    a user out whenever an unrelated cookie came before theirs; this never looks at other
    cookies' values."""
    for piece in header.split(";"):
        name, equals, value = piece.partition("=")
        if not equals:
            continue  # a bare token (`secure`, a stray flag) is no pair
        name, value = name.strip(), value.strip()
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = value[1:-1]  # RFC 6265 allows a DQUOTE-wrapped cookie-value
        if name:
            yield name, value


def read_cookie(header_values: list[str], name: str) -> str | None:
    """The first non-empty value of cookie `name` in any Cookie header (HTTP/2 may split the
    header into several)."""
    for header in header_values:
        for found, value in cookie_pairs(header):
            if found == name and value:
                return value
    return None
