"""BankID for existing password users (linking, no linking on an e-mail claim, the operator's
recovery path) and for mobile apps without cookies (a one-time flow handle), against the local
BankID sandbox: REST through Envoy and native gRPC.

Each test signs in as a sandbox person of its own (`login_hint=generated:<tag>`, e-mail
`<tag>@example.no`, born 1990-04-12), so no other test's sign-ins interfere."""

from __future__ import annotations

import urllib.parse
import uuid

import grpc
import httpx

from drop.v1 import auth_pb2, auth_pb2_grpc
from drop_server.services.bankid import SIGN_IN_AND_LINK
from tests.conftest import DropSystem, fresh_ip, registration
from tests.e2e.helpers import MakeRest, admin_client, signed_in
from tests.support.envelopes import envelope_of


def new_tag() -> str:
    return f"bid-{uuid.uuid4().hex[:10]}"


def at_sandbox(redirect_url: str, tag: str) -> str:
    """The system browser at the provider: returns the callback path with code and state."""
    hint = urllib.parse.urlencode({"login_hint": f"generated:{tag}"})
    answer = httpx.get(f"{redirect_url}&{hint}", follow_redirects=False)
    assert answer.status_code == 302, answer.text
    location = urllib.parse.urlsplit(answer.headers["location"])
    return f"{location.path}?{location.query}"


def bankid_browser_sign_in(make_rest: MakeRest, tag: str) -> httpx.Response:
    browser = make_rest()
    redirect = browser.get("/api/auth/bankid").json()["data"]["redirectUrl"]
    return browser.get(at_sandbox(redirect, tag), follow_redirects=False)


def test_a_password_user_links_bankid_and_bankid_then_finds_the_account(
    make_rest: MakeRest,
) -> None:
    tag = new_tag()
    browser, user = signed_in(make_rest)
    started = browser.post("/api/auth/bankid/link", json={})
    assert started.status_code == 200
    assert set(started.json()["data"]) == {"redirectUrl"}
    assert started.headers["set-cookie"].startswith("bankid_state=")
    finished = browser.get(
        at_sandbox(started.json()["data"]["redirectUrl"], tag), follow_redirects=False
    )
    assert finished.status_code == 302 and finished.headers["location"] == "/app/home"
    me = browser.get("/api/auth/me").json()["data"]
    assert (me["id"], me["email"], me["kycStatus"]) == (user["id"], user["email"], "approved")
    # KYC approved: the name is the one BankID vouches for, not the self-declared one.
    assert (me["firstName"], me["lastName"]) == ("Test", "Person")

    # Later, in another browser: BankID sign-in finds the linked account.
    again = bankid_browser_sign_in(make_rest, tag)
    assert again.status_code == 302
    token = next(c for c in again.headers.get_list("set-cookie") if c.startswith("drop_token="))
    other = make_rest()
    other.cookies.set("drop_token", token.split(";")[0].split("=", 1)[1])
    assert other.get("/api/auth/me").json()["data"]["id"] == user["id"]


def test_linking_needs_a_signed_in_user(make_rest: MakeRest) -> None:
    answer = make_rest().post("/api/auth/bankid/link", json={})
    assert (answer.status_code, answer.json()["error"]) == (401, "unauthorized")


def test_a_bankid_linked_to_another_account_is_409(make_rest: MakeRest) -> None:
    tag = new_tag()
    assert bankid_browser_sign_in(make_rest, tag).status_code == 302  # a BankID-only account
    browser, _ = signed_in(make_rest)
    redirect = browser.post("/api/auth/bankid/link", json={}).json()["data"]["redirectUrl"]
    answer = browser.get(at_sandbox(redirect, tag), follow_redirects=False)
    assert (answer.status_code, answer.json()["error"]) == (409, "conflict")
    assert answer.json()["message"] == "This BankID is already linked to another Drop account"


def test_an_email_claim_never_links_and_never_splits_an_account(
    make_rest: MakeRest, drop_system: DropSystem
) -> None:
    tag = new_tag()
    password_user, user = signed_in(make_rest, email=f"{tag}@example.no")
    answer = bankid_browser_sign_in(make_rest, tag)
    assert answer.status_code == 409
    assert envelope_of(answer) == {"error": "conflict", "message": SIGN_IN_AND_LINK, "details": []}
    assert "drop_token" not in answer.headers.get("set-cookie", "")

    admin = admin_client(make_rest, drop_system)
    found = admin.get("/api/admin/users", params={"search": tag}).json()
    assert [u["id"] for u in found["data"]] == [user["id"]]  # no second account

    # The operator's recovery path: identity checked outside Drop, a 24-hour link window.
    approved = admin.post(f"/api/admin/users/{user['id']}/bankid-link-approval", json={})
    assert approved.status_code == 200
    assert approved.json()["data"]["bankidLinked"] is False
    assert approved.json()["data"]["bankidLinkApprovedUntil"].endswith("Z")
    linked = bankid_browser_sign_in(make_rest, tag)
    assert linked.status_code == 302
    after = admin.get(f"/api/admin/users/{user['id']}").json()["data"]
    assert after["bankidLinked"] is True and "bankidLinkApprovedUntil" not in after
    assert after["kycStatus"] == "approved"
    assert admin.get("/api/admin/users", params={"search": tag}).json()["pagination"]["total"] == 1
    # Once linked there is nothing left to approve.
    again = admin.post(f"/api/admin/users/{user['id']}/bankid-link-approval", json={})
    assert (again.status_code, again.json()["error"]) == (409, "conflict")
    assert (
        admin.post(
            "/api/admin/users/usr_0000000000000000/bankid-link-approval", json={}
        ).status_code
        == 404
    )
    assert password_user.get("/api/auth/me").status_code == 200


def test_mobile_sign_in_without_cookies(make_rest: MakeRest, drop_system: DropSystem) -> None:
    """As an app runs it: no cookie jar (a fresh client for every request), the authorize URL
    opened in the system browser, the callback completed by the app with its flow handle."""
    tag = new_tag()
    ip = fresh_ip()  # one address for every request: the app on one phone

    def app(method: str, path: str, **kwargs: object) -> httpx.Response:
        with httpx.Client(
            base_url=drop_system.http_url,
            transport=httpx.HTTPTransport(local_address=ip),
            headers={"X-Drop-Client": "mobile"},
        ) as fresh:
            return fresh.request(method, path, follow_redirects=False, **kwargs)  # type: ignore[arg-type]

    started = app("GET", "/api/auth/bankid")
    assert started.status_code == 200 and "set-cookie" not in started.headers
    data = started.json()["data"]
    assert set(data) == {"redirectUrl", "flowHandle"} and len(data["flowHandle"]) >= 40
    callback = at_sandbox(data["redirectUrl"], tag)
    assert "flowHandle" not in callback  # the handle never travels through the browser

    without = app("GET", callback)
    assert without.status_code == 400
    assert without.json()["details"][0]["field"] == "flowHandle"
    wrong = app("GET", callback + "&flowHandle=" + "x" * 43)
    assert wrong.status_code == 400
    done = app("GET", callback + "&flowHandle=" + data["flowHandle"])
    assert done.status_code == 200, done.text
    session = done.json()["data"]
    assert set(session) == {"userId", "email", "role", "token", "expiresAt"}
    assert session["email"] == f"{tag}@example.no" and session["expiresAt"].endswith(".000Z")
    assert "set-cookie" not in done.headers or "drop_token" not in done.headers["set-cookie"]
    replay = app("GET", callback + "&flowHandle=" + data["flowHandle"])
    assert replay.status_code == 400
    me = app("GET", "/api/auth/me", headers={"Authorization": f"Bearer {session['token']}"})
    assert me.json()["data"]["kycStatus"] == "approved"


def test_mobile_linking_and_sign_in_over_grpc(drop_system: DropSystem) -> None:
    tag = new_tag()
    mobile = (("x-drop-client", "mobile"),)
    with grpc.insecure_channel(drop_system.envoy_target) as channel:
        stub = auth_pb2_grpc.AuthServiceStub(channel)
        registered = stub.Register(
            auth_pb2.RegisterRequest(**{k: v for k, v in _grpc_registration().items()}),
            metadata=mobile,
        ).data
        bearer = (("authorization", f"Bearer {registered.token}"), *mobile)
        started = stub.LinkBankId(auth_pb2.LinkBankIdRequest(), metadata=bearer).data
        assert started.flow_handle
        query = dict(
            urllib.parse.parse_qsl(
                urllib.parse.urlsplit(at_sandbox(started.redirect_url, tag)).query
            )
        )
        linked = stub.CompleteBankId(
            auth_pb2.CompleteBankIdRequest(
                code=query["code"], state=query["state"], flow_handle=started.flow_handle
            )
        ).data
        assert linked.user_id == registered.id and linked.token

        # A fresh app sign-in with BankID finds the linked account.
        again = stub.StartBankId(auth_pb2.StartBankIdRequest(), metadata=mobile).data
        query = dict(
            urllib.parse.parse_qsl(urllib.parse.urlsplit(at_sandbox(again.redirect_url, tag)).query)
        )
        signed = stub.CompleteBankId(
            auth_pb2.CompleteBankIdRequest(
                code=query["code"], state=query["state"], flow_handle=again.flow_handle
            )
        ).data
        assert signed.user_id == registered.id


def _grpc_registration() -> dict[str, str]:
    body = registration()
    return {
        "email": str(body["email"]),
        "password": str(body["password"]),
        "first_name": str(body["firstName"]),
        "last_name": str(body["lastName"]),
        "date_of_birth": str(body["dateOfBirth"]),
    }
