"""Authentication through Envoy: status codes, cookies, exact JSON shapes, every error."""

from __future__ import annotations

import re

import httpx
import jwt
from sqlalchemy import create_engine, text

from drop_server.db.engine import sqlalchemy_url
from tests.conftest import DropSystem, registration, unique_email
from tests.support.envelopes import envelope_of

ID = re.compile(r"^usr_[a-f0-9]{16}$")
TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")


def cookie_attributes(response: httpx.Response) -> list[str]:
    headers = response.headers.get_list("set-cookie")
    assert len(headers) == 1, headers
    return [part.strip() for part in headers[0].split(";")]


def test_register_answers_201_with_the_user_and_a_session_cookie(rest: httpx.Client) -> None:
    body = registration(email="  Mixed.Case@Example.NO ".replace("Mixed", unique_email("m")[:10]))
    response = rest.post("/api/auth/register", json=body)

    assert response.status_code == 201
    assert response.headers["content-type"] == "application/json"
    data = response.json()["data"]
    assert set(response.json()) == {"data"}
    assert set(data) == {
        "id",
        "email",
        "firstName",
        "lastName",
        "dateOfBirth",
        "kycStatus",
        "createdAt",
    }
    assert ID.match(data["id"])
    assert data["email"] == str(body["email"]).strip().lower()
    assert data["firstName"] == "Amir" and data["lastName"] == "Bašić"
    assert data["dateOfBirth"] == "1990-04-12"
    assert data["kycStatus"] == "pending"
    assert TIME.match(data["createdAt"])

    attributes = cookie_attributes(response)
    assert attributes[0].startswith("drop_token=ey")
    assert "HttpOnly" in attributes and "SameSite=Lax" in attributes and "Path=/" in attributes
    assert "Max-Age=86400" in attributes
    assert "Secure" not in attributes  # development mode: plain HTTP must keep working


def test_register_session_works_for_me(rest: httpx.Client) -> None:
    registered = rest.post("/api/auth/register", json=registration()).json()["data"]
    me = rest.get("/api/auth/me")
    assert me.status_code == 200
    data = me.json()["data"]
    assert data == {
        "id": registered["id"],
        "email": registered["email"],
        "firstName": "Amir",
        "lastName": "Bašić",
        "phone": "+4791234567",
        "role": "user",
        "totalBalance": 0,
        "bankAccounts": [],
        "kycStatus": "pending",
        "createdAt": registered["createdAt"],
    }


def test_me_omits_phone_when_none_was_given(rest: httpx.Client) -> None:
    body = registration()
    del body["phone"]
    rest.post("/api/auth/register", json=body)
    data = rest.get("/api/auth/me").json()["data"]
    assert "phone" not in data


def test_me_lists_linked_accounts_with_total_balance(
    rest: httpx.Client, drop_system: DropSystem
) -> None:
    user_id = rest.post("/api/auth/register", json=registration()).json()["data"]["id"]
    engine = create_engine(sqlalchemy_url(drop_system.database_url))
    with engine.begin() as connection:
        for suffix, bank, balance, primary in (
            ("1", "DNB", "15000.50", True),
            ("2", "Nordea", "2000.25", False),
        ):
            connection.execute(
                text(
                    "INSERT INTO bank_accounts"
                    " (id, user_id, bank_name, account_number, balance, is_primary)"
                    " VALUES (:id, :user, :bank, :number, :balance, :primary)"
                ),
                {
                    "id": f"ba_{user_id[4:-1]}{suffix}",
                    "user": user_id,
                    "bank": bank,
                    "number": "1203456789" + suffix,
                    "balance": balance,
                    "primary": primary,
                },
            )
    engine.dispose()
    data = rest.get("/api/auth/me").json()["data"]
    assert data["totalBalance"] == 17000.75
    assert data["bankAccounts"] == [
        {
            "id": f"ba_{user_id[4:-1]}1",
            "bankName": "DNB",
            "accountNumber": "1203.45.67891",
            "balance": 15000.5,
            "currency": "NOK",
            "isPrimary": True,
        },
        {
            "id": f"ba_{user_id[4:-1]}2",
            "bankName": "Nordea",
            "accountNumber": "1203.45.67892",
            "balance": 2000.25,
            "currency": "NOK",
            "isPrimary": False,
        },
    ]


def test_register_taken_email_is_409_case_insensitively(make_rest) -> None:  # type: ignore[no-untyped-def]
    email = unique_email()
    assert make_rest().post("/api/auth/register", json=registration(email=email)).status_code == 201
    again = make_rest().post("/api/auth/register", json=registration(email=email.upper()))
    assert again.status_code == 409
    assert envelope_of(again) == {
        "error": "conflict",
        "message": "An account with this email already exists",
        "details": [],
    }


def test_register_field_rules_answer_422_with_one_detail_per_field(rest: httpx.Client) -> None:
    response = rest.post(
        "/api/auth/register",
        json={
            "email": "not-an-email",
            "password": "lettersonly",
            "firstName": "<script>alert(1)</script>",
            "lastName": "12345",
            "phone": "12345",
            "dateOfBirth": "2015-01-01",
        },
    )
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "validation_error"
    assert body["message"] == "Validation failed"
    assert [d["field"] for d in body["details"]] == [
        "email",
        "password",
        "firstName",
        "lastName",
        "phone",
        "dateOfBirth",
    ]
    assert all(isinstance(d["message"], str) and d["message"] for d in body["details"])


def test_register_missing_fields_answer_400_with_details(rest: httpx.Client) -> None:
    response = rest.post("/api/auth/register", json={"email": unique_email()})
    assert response.status_code == 400
    assert envelope_of(response) == {
        "error": "bad_request",
        "message": "Missing required fields",
        "details": [
            {"field": "password", "message": "Is required"},
            {"field": "firstName", "message": "Is required"},
            {"field": "lastName", "message": "Is required"},
            {"field": "dateOfBirth", "message": "Is required"},
        ],
    }


def test_register_malformed_json_is_400_envelope(rest: httpx.Client) -> None:
    response = rest.post(
        "/api/auth/register", content=b"{bad", headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["error"] == "bad_request"
    assert body["details"][0]["field"] == "body"


def test_register_wrong_json_type_is_400_naming_the_field(rest: httpx.Client) -> None:
    response = rest.post("/api/auth/register", json=registration(password=12345678))
    assert response.status_code == 400
    assert response.json()["details"][0]["field"] == "password"


def test_login_answers_200_with_cookie(make_rest) -> None:  # type: ignore[no-untyped-def]
    body = registration()
    make_rest().post("/api/auth/register", json=body)
    client = make_rest()
    response = client.post(
        "/api/auth/login", json={"email": str(body["email"]).upper(), "password": body["password"]}
    )
    assert response.status_code == 200
    data = response.json()["data"]
    assert set(data) == {"id", "email", "firstName", "lastName", "kycStatus"}
    assert data["email"] == body["email"]
    assert cookie_attributes(response)[0].startswith("drop_token=")
    assert client.get("/api/auth/me").status_code == 200


def test_login_unknown_email_and_wrong_password_get_the_same_401(make_rest) -> None:  # type: ignore[no-untyped-def]
    body = registration()
    make_rest().post("/api/auth/register", json=body)
    wrong_password = make_rest().post(
        "/api/auth/login", json={"email": body["email"], "password": "Wrong1234"}
    )
    unknown = make_rest().post(
        "/api/auth/login", json={"email": unique_email(), "password": "Wrong1234"}
    )
    expected = {"error": "unauthorized", "message": "Invalid credentials", "details": []}
    assert (wrong_password.status_code, envelope_of(wrong_password)) == (401, expected)
    assert (unknown.status_code, envelope_of(unknown)) == (401, expected)
    assert "set-cookie" not in wrong_password.headers


def test_login_missing_fields_is_400(rest: httpx.Client) -> None:
    response = rest.post("/api/auth/login", json={"email": unique_email()})
    assert response.status_code == 400
    assert envelope_of(response) == {
        "error": "bad_request",
        "message": "Missing required fields",
        "details": [{"field": "password", "message": "Is required"}],
    }


def test_deleted_user_cannot_log_in(make_rest, drop_system: DropSystem) -> None:  # type: ignore[no-untyped-def]
    body = registration()
    client = make_rest()
    client.post("/api/auth/register", json=body)
    engine = create_engine(sqlalchemy_url(drop_system.database_url))
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE users SET deleted_at = now() WHERE email = :e"), {"e": body["email"]}
        )
    engine.dispose()
    assert client.get("/api/auth/me").status_code == 401
    login = make_rest().post(
        "/api/auth/login", json={"email": body["email"], "password": body["password"]}
    )
    assert login.status_code == 401


def test_mobile_clients_get_a_bearer_token_and_no_cookie(make_rest) -> None:  # type: ignore[no-untyped-def]
    mobile = {"X-Drop-Client": "mobile"}
    body = registration()
    registered = make_rest().post("/api/auth/register", json=body, headers=mobile)
    assert registered.status_code == 201
    assert "set-cookie" not in registered.headers
    data = registered.json()["data"]
    assert data["token"].startswith("ey") and TIME.match(data["expiresAt"])

    login = make_rest().post(
        "/api/auth/login",
        json={"email": body["email"], "password": body["password"]},
        headers=mobile,
    )
    token = login.json()["data"]["token"]
    claims = jwt.decode(token, options={"verify_signature": False})
    assert set(claims) == {"sub", "sid", "role", "iat", "exp"}
    assert claims["exp"] - claims["iat"] == 7 * 24 * 3600
    assert jwt.get_unverified_header(token)["alg"] == "HS256"

    me = make_rest().get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200 and me.json()["data"]["email"] == body["email"]


def test_me_without_credentials_is_401(rest: httpx.Client) -> None:
    response = rest.get("/api/auth/me")
    assert response.status_code == 401
    assert envelope_of(response) == {
        "error": "unauthorized",
        "message": "Authentication required",
        "details": [],
    }


def test_garbage_and_forged_tokens_are_401(rest: httpx.Client) -> None:
    forged = jwt.encode(
        {
            "sub": "usr_0000000000000000",
            "sid": "ses_0000000000000000",
            "role": "admin",
            "iat": 1,
            "exp": 4102444800,
        },
        "x" * 40,
    )
    for token in ("garbage", forged):
        response = rest.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401
        assert response.json()["error"] == "unauthorized"


def test_logout_revokes_every_session_and_clears_the_cookie(make_rest) -> None:  # type: ignore[no-untyped-def]
    body = registration()
    web = make_rest()
    web.post("/api/auth/register", json=body)
    mobile_token = (
        make_rest()
        .post(
            "/api/auth/login",
            json={"email": body["email"], "password": body["password"]},
            headers={"X-Drop-Client": "mobile"},
        )
        .json()["data"]["token"]
    )
    old_cookie = web.cookies["drop_token"]

    response = web.post("/api/auth/logout")
    assert response.status_code == 200
    assert envelope_of(response) == {"message": "Logged out"}
    attributes = cookie_attributes(response)
    assert attributes[0] == "drop_token=" and "Max-Age=0" in attributes

    replay = make_rest()
    assert (
        replay.get("/api/auth/me", headers={"Cookie": f"drop_token={old_cookie}"}).status_code
        == 401
    )
    assert (
        replay.get("/api/auth/me", headers={"Authorization": f"Bearer {mobile_token}"}).status_code
        == 401
    )


def test_refresh_rotates_the_session(make_rest) -> None:  # type: ignore[no-untyped-def]
    web = make_rest()
    registered = web.post("/api/auth/register", json=registration()).json()["data"]
    old_cookie = web.cookies["drop_token"]

    response = web.post("/api/auth/refresh")
    assert response.status_code == 200
    assert envelope_of(response) == {
        "data": {"userId": registered["id"], "email": registered["email"], "role": "user"}
    }
    new_cookie = web.cookies["drop_token"]
    assert new_cookie != old_cookie
    assert web.get("/api/auth/me").status_code == 200
    stale = make_rest().get("/api/auth/me", headers={"Cookie": f"drop_token={old_cookie}"})
    assert stale.status_code == 401
    # A spent session cannot be refreshed again.
    again = make_rest().post("/api/auth/refresh", headers={"Cookie": f"drop_token={old_cookie}"})
    assert again.status_code == 401


def test_mobile_refresh_returns_a_new_token(make_rest) -> None:  # type: ignore[no-untyped-def]
    mobile = {"X-Drop-Client": "mobile"}
    token = (
        make_rest()
        .post("/api/auth/register", json=registration(), headers=mobile)
        .json()["data"]["token"]
    )
    response = make_rest().post(
        "/api/auth/refresh", headers={**mobile, "Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200
    data = response.json()["data"]
    assert set(data) == {"userId", "email", "role", "token", "expiresAt"}
    assert data["token"] != token
    assert (
        make_rest().get("/api/auth/me", headers={"Authorization": f"Bearer {token}"}).status_code
        == 401
    )
    assert (
        make_rest()
        .get("/api/auth/me", headers={"Authorization": f"Bearer {data['token']}"})
        .status_code
        == 200
    )


def test_the_eleventh_login_in_a_minute_from_one_ip_is_429(make_rest) -> None:  # type: ignore[no-untyped-def]
    client = make_rest()
    statuses = []
    for _ in range(11):
        response = client.post(
            "/api/auth/login", json={"email": unique_email(), "password": "Wrong1234"}
        )
        statuses.append(response.status_code)
    assert statuses == [401] * 10 + [429]
    assert envelope_of(response) == {
        "error": "rate_limited",
        "message": "Too many requests, try again later",
        "details": [],
    }
    assert response.headers["x-ratelimit-limit"] == "10"
    assert response.headers["x-ratelimit-remaining"] == "0"
    # Retry-After is the time until a request would pass: the bucket's reset, not a constant.
    reset = int(response.headers["x-ratelimit-reset"])
    assert 1 <= reset <= 60
    assert response.headers["retry-after"] == str(reset)
    # Another address has its own budget.
    other = make_rest().post(
        "/api/auth/login", json={"email": unique_email(), "password": "Wrong1234"}
    )
    assert other.status_code == 401


def test_passwords_and_tokens_never_reach_the_log(make_rest, drop_system: DropSystem) -> None:  # type: ignore[no-untyped-def]
    password = "Unmistakable9Password"
    body = registration(password=password)
    token = (
        make_rest()
        .post("/api/auth/register", json=body, headers={"X-Drop-Client": "mobile"})
        .json()["data"]["token"]
    )
    make_rest().get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
    log = drop_system.log_text()
    assert "/drop.v1.AuthService/GetMe" in log  # the calls were logged...
    assert password not in log and token not in log  # ...without their secrets
