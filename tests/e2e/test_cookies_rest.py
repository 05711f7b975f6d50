"""A signed-in browser stays signed in whatever other cookies the site set: the session cookie
is found among real-world cookie headers sent through Envoy, UTF-8 values included."""

from __future__ import annotations

import httpx
import pytest

from tests.e2e.helpers import MakeRest, signed_in

OTHER_COOKIES = [
    # Cookiebot, OneTrust and a home-grown banner's JSON, as browsers send them
    "CookieConsent={stamp:%27abc%27%2Cnecessary:true%2Cpreferences:false}",
    "OptanonConsent=isGDPRApplied=true&datestamp=Mon Nov 23 2026 21:04:36 GMT+0100"
    " (Central European Standard Time)&version=202409.1.0",
    'prefs={"theme": "dark", "lang": "nb"}',
    '_ga=GA1.1.123.456; a="quoted value"; flag',
]


def _session(client: httpx.Client) -> str:
    token = client.cookies.get("drop_token")
    assert token
    return token


@pytest.mark.parametrize("other", OTHER_COOKIES)
def test_other_cookies_do_not_sign_the_user_out(make_rest: MakeRest, other: str) -> None:
    client, user = signed_in(make_rest)
    token = _session(client)
    client.cookies.clear()
    for header in (f"{other}; drop_token={token}", f"drop_token={token}; {other}"):
        response = client.get("/api/auth/me", headers={"cookie": header})
        assert response.status_code == 200, (header, response.text)
        assert response.json()["data"]["id"] == user["id"]


def test_a_cookie_with_utf8_text_does_not_hide_the_session(make_rest: MakeRest) -> None:
    client, user = signed_in(make_rest)
    token = _session(client)
    client.cookies.clear()
    header = f"city=Tromsø; name=Bašić; drop_token={token}".encode()
    response = client.get("/api/auth/me", headers={"cookie": header})
    assert response.status_code == 200, response.text
    assert response.json()["data"]["id"] == user["id"]


def test_without_the_session_cookie_it_is_still_401(rest: httpx.Client) -> None:
    response = rest.get("/api/auth/me", headers={"cookie": 'prefs={"a": 1}; drop_token_old=x'})
    assert response.status_code == 401
    assert response.json()["error"] == "unauthorized"
