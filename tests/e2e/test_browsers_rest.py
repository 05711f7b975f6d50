"""What browsers need from Envoy: CORS for the configured origins (credentials included) and
gRPC-Web, both through the real Envoy of `drop serve` (the tests' DROP_CORS_ORIGINS lists
DropSystem.browser_origin and https://app.example.test)."""

from __future__ import annotations

import base64
import struct

import httpx
import pytest
from google.rpc import error_details_pb2, status_pb2

from drop.v1 import auth_pb2, rates_pb2
from tests.conftest import DropSystem, registration

LISTED = "https://app.example.test"


def test_preflight_from_a_listed_origin_is_answered(rest: httpx.Client) -> None:
    response = rest.options(
        "/api/transactions/remittance",
        headers={
            "Origin": LISTED,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type, idempotency-key",
        },
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == LISTED
    assert response.headers["access-control-allow-credentials"] == "true"
    assert "POST" in response.headers["access-control-allow-methods"]
    allowed_headers = response.headers["access-control-allow-headers"].lower()
    assert "idempotency-key" in allowed_headers and "content-type" in allowed_headers
    assert int(response.headers["access-control-max-age"]) > 0


def test_a_listed_origin_reads_answers_and_exposed_headers(rest: httpx.Client) -> None:
    response = rest.get("/api/rates", headers={"Origin": LISTED})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == LISTED
    assert response.headers["access-control-allow-credentials"] == "true"
    exposed = response.headers["access-control-expose-headers"].lower()
    for header in ("x-request-id", "x-ratelimit-limit", "x-ratelimit-remaining", "retry-after"):
        assert header in exposed
    # Errors, Envoy's own included, carry the headers too, so a page can read them.
    missing = rest.get("/api/nope", headers={"Origin": LISTED})
    assert missing.status_code == 404
    assert missing.headers["access-control-allow-origin"] == LISTED


def test_other_origins_get_no_cors_headers(rest: httpx.Client) -> None:
    evil = "https://evil.example"
    preflight = rest.options(
        "/api/auth/me",
        headers={"Origin": evil, "Access-Control-Request-Method": "GET"},
    )
    assert "access-control-allow-origin" not in preflight.headers
    assert preflight.status_code == 405  # no CORS for it: a plain OPTIONS on a known path
    response = rest.get("/api/rates", headers={"Origin": evil})
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers


def _grpc_web_frame(message: bytes) -> bytes:
    return b"\x00" + struct.pack(">I", len(message)) + message


def _grpc_web_call(
    client: httpx.Client, method: str, message: bytes, **headers: str
) -> tuple[list[bytes], dict[str, str], httpx.Response]:
    """One unary gRPC-Web call (binary framing): the data frames and the trailers."""
    response = client.post(
        f"/{method}",
        content=_grpc_web_frame(message),
        headers={"content-type": "application/grpc-web+proto", "x-grpc-web": "1", **headers},
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/grpc-web")
    frames, trailers, body = [], dict(response.headers), response.content
    while body:
        flag, length = body[0], struct.unpack(">I", body[1:5])[0]
        payload, body = body[5 : 5 + length], body[5 + length :]
        if flag & 0x80:
            for line in payload.decode().split("\r\n"):
                if line:
                    key, _, value = line.partition(":")
                    trailers[key.strip().lower()] = value.strip()
        else:
            frames.append(payload)
    return frames, trailers, response


def test_grpc_web_reads_rates_from_a_browser_origin(rest: httpx.Client) -> None:
    frames, trailers, response = _grpc_web_call(
        rest, "drop.v1.RateService/ListRates", b"", Origin=LISTED
    )
    assert trailers["grpc-status"] == "0"
    assert response.headers["access-control-allow-origin"] == LISTED
    rates = rates_pb2.ListRatesResponse.FromString(frames[0])
    assert rates.data.base_currency == "NOK" and "RSD" in rates.data.rates


def test_grpc_web_sign_in_sets_the_session_cookie_and_errors_carry_details(
    rest: httpx.Client,
) -> None:
    body = registration()
    request = auth_pb2.RegisterRequest(
        email=str(body["email"]),
        password=str(body["password"]),
        first_name=str(body["firstName"]),
        last_name=str(body["lastName"]),
        date_of_birth=str(body["dateOfBirth"]),
    )
    frames, trailers, response = _grpc_web_call(
        rest, "drop.v1.AuthService/Register", request.SerializeToString()
    )
    assert trailers["grpc-status"] == "0"
    assert "drop_token=" in response.headers["set-cookie"]
    frames, trailers, _ = _grpc_web_call(rest, "drop.v1.AuthService/GetMe", b"")
    assert auth_pb2.GetMeResponse.FromString(frames[0]).data.email == body["email"]

    rest.cookies.clear()
    _, trailers, _ = _grpc_web_call(rest, "drop.v1.AuthService/GetMe", b"")
    assert trailers["grpc-status"] == "16"
    status = status_pb2.Status.FromString(
        base64.b64decode(trailers["grpc-status-details-bin"] + "==")
    )
    info = error_details_pb2.ErrorInfo()
    assert status.details[0].Unpack(info) and info.reason == "UNAUTHORIZED"


@pytest.mark.parametrize("origin", ["", "https://evil.example"])
def test_grpc_web_from_unlisted_origins_gets_no_cors_headers(
    drop_system: DropSystem, origin: str
) -> None:
    with httpx.Client(base_url=drop_system.http_url) as client:
        headers = {"Origin": origin} if origin else {}
        _, trailers, response = _grpc_web_call(
            client, "drop.v1.RateService/ListRates", b"", **headers
        )
    assert trailers["grpc-status"] == "0"
    assert "access-control-allow-origin" not in response.headers
