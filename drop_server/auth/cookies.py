"""The `drop_token` session cookie."""

from __future__ import annotations

from http.cookies import CookieError, SimpleCookie

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
