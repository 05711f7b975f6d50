"""Hostile input at the edge and in the workers: every answer is the documented envelope and
status, never a 500, a plain-text page, gRPC internals or invalid JSON. Regression tests for
what fuzzing and an attacker's probing found (issue 15)."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator

import grpc
import httpx
import pytest

from drop_server.api.routes import ROUTES
from tests.conftest import DropSystem, unique_email
from tests.e2e.helpers import MakeRest, signed_in

ENVELOPE_KEYS = {"error", "message", "details"}
RESOURCE_EXHAUSTED = grpc.StatusCode.RESOURCE_EXHAUSTED


def envelope(response: httpx.Response, status: int, error: str) -> dict[str, object]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = json.loads(response.content.decode("utf-8"))  # strict: valid UTF-8 and JSON
    assert set(body) >= ENVELOPE_KEYS and body["error"] == error, body
    for header in ("grpc-status", "grpc-message", "x-error-body", "x-http-status"):
        assert header not in response.headers
    return body


def field_named(body: dict[str, object], field: str) -> None:
    details = body["details"]
    assert isinstance(details, list)
    assert [d["field"] for d in details] == [field], body


# Rate limits are keyed on the route, not on how its path is spelled.


SPELLINGS = [
    "/api/auth/login",
    "/api/auth/login/",
    "/api/auth//login",
    "/api/auth/%6Cogin",
    "/api//auth/login",
    "/api/auth/log%69n/",
]


def test_login_limit_counts_every_spelling_of_the_path(make_rest: MakeRest) -> None:
    client = make_rest()
    # No password: a fast 400 from the server, which still spends a token of the limit.
    statuses = [
        client.post(SPELLINGS[number % len(SPELLINGS)], json={"email": "a@b.no"}).status_code
        for number in range(11)
    ]
    assert statuses == [400] * 10 + [429]
    for spelling in SPELLINGS:
        assert client.post(spelling, json={"email": "a@b.no"}).status_code == 429


def test_remittance_limit_counts_the_trailing_slash(make_rest: MakeRest) -> None:
    client, _ = signed_in(make_rest)
    limit = ROUTES["/drop.v1.TransactionService/SendRemittance"].per_ip_per_minute
    statuses = [
        client.post(
            "/api/transactions/remittance/", json={"recipientId": "rcp_none", "amount": 10}
        ).status_code
        for _ in range(limit + 1)
    ]
    assert 429 not in statuses[:limit] and statuses[limit] == 429


def test_an_escaped_slash_in_the_path_is_a_400_envelope(rest: httpx.Client) -> None:
    envelope(rest.post("/api/auth/login%2F", json={}), 400, "bad_request")


def test_a_429_says_when_to_retry(make_rest: MakeRest) -> None:
    client = make_rest()
    for _ in range(10):
        client.post("/api/auth/login", json={"email": unique_email()})
    response = client.post("/api/auth/login", json={"email": unique_email()})
    envelope(response, 429, "rate_limited")
    reset = int(response.headers["x-ratelimit-reset"])
    assert response.headers["retry-after"] == str(reset) and 1 <= reset <= 60


# Sizes: bodies and headers.


def test_a_body_over_one_mebibyte_is_413_payload_too_large(rest: httpx.Client) -> None:
    big = b'{"email": "' + b"a" * (1024 * 1024) + b'"}'
    response = rest.post(
        "/api/auth/register", content=big, headers={"content-type": "application/json"}
    )
    envelope(response, 413, "payload_too_large")


def test_a_huge_header_is_431_in_the_envelope(rest: httpx.Client) -> None:
    response = rest.get("/api/health", headers={"x-padding": "a" * 40_000})
    envelope(response, 431, "headers_too_large")


def test_too_many_headers_is_431_in_the_envelope(rest: httpx.Client) -> None:
    response = rest.get("/api/health", headers={f"x-h{n}": "1" for n in range(150)})
    envelope(response, 431, "headers_too_large")


def raw_http(drop_system: DropSystem, request: bytes) -> tuple[int, dict[str, str], bytes]:
    host, port = drop_system.envoy_target.split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(request)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
            if b"\r\n\r\n" in data:
                head, _, body = data.partition(b"\r\n\r\n")
                length = [
                    int(line.split(b":")[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length:")
                ]
                if length and len(body) >= length[0]:
                    break
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
    return int(lines[0].split()[1]), {k.lower(): v for k, v in headers.items()}, body


@pytest.mark.parametrize(
    ("request_bytes", "status", "error"),
    [
        (b"GET /api/health HTTP/1.0\r\n\r\n", 426, "upgrade_required"),
        (b"GET /api/health HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n", 400, "bad_request"),
        (b"GET /api/he\x00alth HTTP/1.1\r\nHost: x\r\n\r\n", 400, "bad_request"),
    ],
)
def test_envoys_own_protocol_errors_are_envelopes(
    drop_system: DropSystem, request_bytes: bytes, status: int, error: str
) -> None:
    code, headers, body = raw_http(drop_system, request_bytes)
    assert code == status
    assert headers["content-type"] == "application/json"
    assert json.loads(body)["error"] == error


# Content types: JSON or nothing.


@pytest.mark.parametrize(
    "headers",
    [
        {"content-type": "text/plain"},
        {"content-type": "application/x-www-form-urlencoded"},
        {},
    ],
)
def test_request_bodies_must_be_json(rest: httpx.Client, headers: dict[str, str]) -> None:
    body = json.dumps({"email": unique_email(), "password": "Wrong1234"}).encode()
    response = rest.post("/api/auth/login", content=body, headers=headers)
    envelope(response, 415, "unsupported_media_type")


def test_json_with_a_charset_and_empty_bodies_are_fine(rest: httpx.Client) -> None:
    body = json.dumps({"email": unique_email(), "password": "Wrong1234"}).encode()
    response = rest.post(
        "/api/auth/login", content=body, headers={"content-type": "application/json; charset=utf-8"}
    )
    envelope(response, 401, "unauthorized")
    envelope(rest.post("/api/auth/logout"), 401, "unauthorized")


# Text: NUL and invalid UTF-8 anywhere are a 400 naming the field.


def test_nul_in_a_body_field_before_login_is_400_naming_it(rest: httpx.Client) -> None:
    body = envelope(
        rest.post("/api/auth/login", json={"email": "\u0000", "password": "x"}), 400, "bad_request"
    )
    field_named(body, "email")


def test_nul_in_registration_names_the_field(rest: httpx.Client) -> None:
    response = rest.post(
        "/api/auth/register",
        json={
            "email": unique_email(),
            "password": "Secret123",
            "firstName": "Ana\u0000",
            "lastName": "B",
            "dateOfBirth": "1990-01-01",
        },
    )
    field_named(envelope(response, 400, "bad_request"), "firstName")


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/transactions/%FF", "id"),
        ("/api/transactions/%c0%af", "id"),
        ("/api/admin/users?search=a%00b", "search"),
        ("/api/admin/users?search=%FF%FE", "search"),
    ],
)
def test_invalid_text_in_path_or_query_is_400_naming_it(
    make_rest: MakeRest, path: str, field: str
) -> None:
    client, _ = signed_in(make_rest)
    field_named(envelope(client.get(path), 400, "bad_request"), field)


def test_nul_in_the_path_is_refused_by_envoys_path_check(rest: httpx.Client) -> None:
    # Envoy's path normalisation refuses an encoded NUL before any route: no field to name.
    envelope(rest.get("/api/transactions/%00"), 400, "bad_request")


def test_raw_invalid_utf8_in_json_gets_a_valid_json_envelope(rest: httpx.Client) -> None:
    response = rest.post(
        "/api/auth/login",
        content=b'{"email": "\xff\xfe@x.no", "password": "x"}',
        headers={"content-type": "application/json"},
    )
    envelope(response, 400, "bad_request")


# Amounts are JSON numbers, never strings.


@pytest.mark.parametrize("amount", ['"0x64"', '"100"', '"1e2"', '" 100"'])
def test_amounts_as_strings_are_refused(make_rest: MakeRest, amount: str) -> None:
    client, _ = signed_in(make_rest)
    response = client.post(
        "/api/transactions/remittance",
        content=f'{{"recipientId": "rcp_0000000000000000", "amount": {amount}}}'.encode(),
        headers={"content-type": "application/json"},
    )
    body = envelope(response, 400, "bad_request")
    field_named(body, "amount")


# Native gRPC: malformed protobuf is INVALID_ARGUMENT on every method, never INTERNAL.


@pytest.fixture(scope="module", params=["direct", "envoy"])
def raw_channel(request: pytest.FixtureRequest, drop_system: DropSystem) -> Iterator[grpc.Channel]:
    target = drop_system.grpc_target if request.param == "direct" else drop_system.envoy_target
    with grpc.insecure_channel(target) as channel:
        yield channel


def test_malformed_protobuf_is_invalid_argument_on_every_method(
    raw_channel: grpc.Channel, request: pytest.FixtureRequest
) -> None:
    codes = {}
    for method in sorted(ROUTES):
        if ROUTES[method].streaming and request.node.callspec.params["raw_channel"] != "envoy":
            continue  # served by the streams process, reached through Envoy only
        call = raw_channel.unary_unary(method)
        try:
            call(b"\xff\xff\xff\xff", timeout=10)
            codes[method] = grpc.StatusCode.OK
        except grpc.RpcError as error:
            codes[method] = error.code()
            if error.code() is grpc.StatusCode.INVALID_ARGUMENT:
                assert "deserializ" not in (error.details() or "")
            # Through Envoy all native gRPC tests share 127.0.0.1: a limited method's budget
            # may be spent by other tests, and Envoy then answers before the workers.
            elif ROUTES[method].per_ip_per_minute and error.code() is RESOURCE_EXHAUSTED:
                codes[method] = grpc.StatusCode.INVALID_ARGUMENT
    assert set(codes.values()) == {grpc.StatusCode.INVALID_ARGUMENT}, codes


def test_invalid_utf8_and_nul_over_grpc_name_the_field(raw_channel: grpc.Channel) -> None:
    # GetRate's field 1 is `currency`, a string; its budget (120/min) is not spent elsewhere.
    get_rate = raw_channel.unary_unary("/drop.v1.RateService/GetRate")
    for payload in (b"\x0a\x02\xff\xfe", b"\x0a\x03a\x00b"):
        with pytest.raises(grpc.RpcError) as caught:
            get_rate(payload, timeout=10)
        assert caught.value.code() is grpc.StatusCode.INVALID_ARGUMENT
        assert caught.value.details() == "Text must be valid UTF-8 without NUL characters"
