from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt
import pytest

from drop_server.auth.cookies import cleared_session_cookie, read_cookie, session_cookie
from drop_server.auth.passwords import hash_password, verify_password
from drop_server.auth.tokens import InvalidToken, issue_token, read_token

SECRET = "s" * 64
NOW = datetime.now(UTC)


def token(**claims: object) -> str:
    base = {
        "sub": "usr_1",
        "sid": "ses_1",
        "role": "user",
        "iat": int(NOW.timestamp()),
        "exp": int((NOW + timedelta(hours=1)).timestamp()),
    }
    base.update(claims)
    return jwt.encode({k: v for k, v in base.items() if v is not None}, SECRET, algorithm="HS256")


def test_round_trip() -> None:
    issued = issue_token(
        SECRET,
        user_id="usr_1",
        session_id="ses_1",
        role="admin",
        issued_at=NOW,
        expires_at=NOW + timedelta(hours=1),
    )
    claims = read_token(SECRET, issued)
    assert (claims.user_id, claims.session_id, claims.role) == ("usr_1", "ses_1", "admin")


@pytest.mark.parametrize("missing", ["sub", "sid", "role", "iat", "exp"])
def test_every_claim_is_required(missing: str) -> None:
    with pytest.raises(InvalidToken):
        read_token(SECRET, token(**{missing: None}))


def test_none_algorithm_is_refused() -> None:
    unsigned = jwt.encode(
        {"sub": "usr_1", "sid": "ses_1", "role": "user", "iat": 1, "exp": 4102444800},
        None,
        algorithm="none",
    )
    with pytest.raises(InvalidToken):
        read_token(SECRET, unsigned)


def test_expired_is_refused() -> None:
    with pytest.raises(InvalidToken):
        read_token(SECRET, token(exp=int((NOW - timedelta(seconds=1)).timestamp())))


def test_cookie_attributes() -> None:
    assert (
        session_cookie("abc", 60, secure=False)
        == "drop_token=abc; Path=/; Max-Age=60; HttpOnly; SameSite=Lax"
    )
    assert session_cookie("abc", 60, secure=True).endswith("; Secure")
    assert cleared_session_cookie(secure=False).startswith("drop_token=; Path=/; Max-Age=0")


def test_read_cookie() -> None:
    assert read_cookie(["theme=dark; drop_token=tok; other=1"], "drop_token") == "tok"
    assert read_cookie(["theme=dark"], "drop_token") is None
    assert read_cookie(['bad"cookie', "drop_token=x"], "drop_token") == "x"


# Cookie headers as browsers send them on real sites: consent managers store JSON, spaces and
# commas; analytics cookies hold dots and pipes. None of them may hide the session.
REAL_WORLD_HEADERS = [
    # Cookiebot (JSON-ish with single quotes, commas and braces)
    "CookieConsent={stamp:%27abc%27%2Cnecessary:true}; CookieConsentBulkTicket=x; drop_token=tok",
    # OneTrust (spaces, colons, ampersands in the value; a GMT date)
    "OptanonConsent=isGDPRApplied=true&datestamp=Mon Nov 23 2026 21:04:36 GMT+0100"
    " (Central European Standard Time)&version=202409.1.0; drop_token=tok; _ga=GA1.1.1.2",
    # raw JSON, as many home-grown banners write it, before and after the session
    '{"consent":"yes"}=1; prefs={"theme": "dark", "lang": "nb"}; drop_token=tok',
    'drop_token=tok; prefs={"theme": "dark", "lang": "nb"}',
    # a quoted value, an empty pair, a bare flag and stray separators
    'a="quoted value"; ; flag; drop_token="tok";',
    # a cookie named like ours but longer, and one with an empty value first
    "drop_token_old=nope; drop_token=; drop_token=tok",
]


@pytest.mark.parametrize("header", REAL_WORLD_HEADERS)
def test_read_cookie_ignores_every_other_cookie(header: str) -> None:
    assert read_cookie([header], "drop_token") == "tok"


def test_cookie_headers_split_over_several_fields() -> None:
    # HTTP/2 clients may send each cookie in its own header field.
    assert read_cookie(['prefs={"a": 1}', "drop_token=tok"], "drop_token") == "tok"
    assert read_cookie(['prefs={"a": 1}'], "drop_token") is None


def test_password_hashing_is_argon2id() -> None:
    hashed = hash_password("Secret123")
    assert hashed.startswith("$argon2id$")
    assert verify_password(hashed, "Secret123")
    assert not verify_password(hashed, "Secret124")
    assert not verify_password(None, "Secret123")
    assert not verify_password("not-a-hash", "Secret123")
