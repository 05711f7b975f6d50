"""BankID sign-in end to end over HTTP: Drop (through Envoy) and the local BankID sandbox."""

from __future__ import annotations

import time
import urllib.parse

import httpx
import pytest

from tests.conftest import DropSystem
from tests.e2e.helpers import MakeRest


def start(client: httpx.Client) -> str:
    response = client.get("/api/auth/bankid")
    assert response.status_code == 200
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("bankid_state=") and "HttpOnly" in cookie and "Max-Age=600" in cookie
    assert "Path=/api/auth/bankid" in cookie and "SameSite=Lax" in cookie
    return str(response.json()["data"]["redirectUrl"])


def sign_in_at_sandbox(redirect_url: str, person: str = "kari", fault: str | None = None) -> str:
    """What the browser does at the provider; returns the callback path with code and state."""
    extra = {"login_hint": person, **({"sandbox_fault": fault} if fault else {})}
    answer = httpx.get(redirect_url + "&" + urllib.parse.urlencode(extra), follow_redirects=False)
    assert answer.status_code == 302, answer.text
    location = urllib.parse.urlsplit(answer.headers["location"])
    return f"{location.path}?{location.query}"


def test_sign_in_with_bankid(make_rest: MakeRest, drop_system: DropSystem) -> None:
    browser = make_rest()
    redirect = start(browser)
    parsed = urllib.parse.urlsplit(redirect)
    params = dict(urllib.parse.parse_qsl(parsed.query))
    assert redirect.startswith(drop_system.bankid_issuer + "/authorize?")
    assert params["code_challenge_method"] == "S256" and params["response_type"] == "code"
    assert params["state"] and params["nonce"] and params["code_challenge"]

    page = httpx.get(redirect)
    assert page.status_code == 200 and "Kari" in page.text  # the sandbox's sign-in page

    finished = browser.get(sign_in_at_sandbox(redirect), follow_redirects=False)
    assert finished.status_code == 302
    assert finished.headers["location"] == "/app/home"
    cookies = finished.headers.get_list("set-cookie")
    assert any(c.startswith("drop_token=ey") and "HttpOnly" in c for c in cookies)
    assert any(c.startswith("bankid_state=;") and "Max-Age=0" in c for c in cookies)
    me = browser.get("/api/auth/me").json()["data"]
    assert (me["firstName"], me["lastName"], me["kycStatus"], me["email"]) == (
        "Kari",
        "Nordmann",
        "approved",
        "kari.nordmann@example.no",
    )

    # The same person again: the same user, who keeps their data.
    again = make_rest()
    again.get(sign_in_at_sandbox(start(again)), follow_redirects=False)
    assert again.get("/api/auth/me").json()["data"]["id"] == me["id"]


def test_mobile_clients_get_a_token(make_rest: MakeRest) -> None:
    phone = make_rest()
    callback = sign_in_at_sandbox(start(phone), person="ola")
    answer = phone.get(callback, headers={"X-Drop-Client": "mobile"}, follow_redirects=False)
    assert answer.status_code == 200
    data = answer.json()["data"]
    assert set(data) == {"userId", "email", "role", "token", "expiresAt"}
    assert data["email"] == ""  # this test person's identity carries no email address
    me = (
        make_rest()
        .get("/api/auth/me", headers={"Authorization": f"Bearer {data['token']}"})
        .json()["data"]
    )
    assert me["firstName"] == "Ola" and me["kycStatus"] == "approved"


def test_state_and_code_are_single_use(make_rest: MakeRest) -> None:
    browser = make_rest()
    callback = sign_in_at_sandbox(start(browser))
    assert browser.get(callback, follow_redirects=False).status_code == 302
    replay = browser.get(callback, follow_redirects=False)
    assert replay.status_code == 400
    assert replay.json()["error"] == "bad_request"


@pytest.mark.parametrize("fault", ["tampered", "wrong_nonce", "expired", "audience"])
def test_untrustworthy_id_tokens_are_refused(make_rest: MakeRest, fault: str) -> None:
    browser = make_rest()
    answer = browser.get(sign_in_at_sandbox(start(browser), fault=fault), follow_redirects=False)
    assert answer.status_code == 400
    body = answer.json()
    assert body["error"] == "bad_request" and body["message"] == "BankID sign-in failed"
    assert "drop_token" not in answer.headers.get("set-cookie", "")
    assert browser.get("/api/auth/me").status_code == 401


def test_a_callback_without_the_browsers_state_cookie_is_refused(make_rest: MakeRest) -> None:
    callback = sign_in_at_sandbox(start(make_rest()))
    stranger = make_rest()
    answer = stranger.get(callback, follow_redirects=False)
    assert answer.status_code == 400
    assert answer.json()["details"][0]["field"] == "state"


@pytest.mark.parametrize(
    "query",
    ["", "?code=abc", "?state=abc", "?error=access_denied&error_description=cancelled&state=x"],
)
def test_bad_callbacks_are_400(make_rest: MakeRest, query: str) -> None:
    browser = make_rest()
    start(browser)
    answer = browser.get("/api/auth/bankid/callback" + query, follow_redirects=False)
    assert answer.status_code == 400
    assert answer.json()["error"] == "bad_request"


def test_signing_key_rotation_is_followed(make_rest: MakeRest, drop_system: DropSystem) -> None:
    assert httpx.post(f"{drop_system.bankid_issuer}/rotate-keys").status_code == 200
    time.sleep(1.1)  # past the client's refresh cooldown, as after any real rotation
    browser = make_rest()
    assert (
        browser.get(
            sign_in_at_sandbox(start(browser), person="lejla"), follow_redirects=False
        ).status_code
        == 302
    )
    assert browser.get("/api/auth/me").json()["data"]["lastName"] == "Hodžić"


def test_start_is_limited_per_ip(make_rest: MakeRest) -> None:
    client = make_rest()
    # The bucket refills continuously (one token every three seconds here).
    statuses = [client.get("/api/auth/bankid").status_code for _ in range(24)]
    assert statuses[:20] == [200] * 20
    assert 429 in statuses[20:]
