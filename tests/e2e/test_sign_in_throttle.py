"""The per-account sign-in throttle: failed passwords counted per account whatever the
address, answered 429 in the envelope with Retry-After, reset by a successful sign-in; the
same over native gRPC."""

from __future__ import annotations

import grpc
import httpx

from drop.v1 import auth_pb2, auth_pb2_grpc
from drop_server.domain.sign_in_backoff import FIRST_LOCK_SECONDS, FREE_FAILURES
from tests.conftest import DropSystem
from tests.e2e.helpers import MakeRest, signed_in
from tests.support.envelopes import envelope_of


def login(make_rest: MakeRest, email: str, password: str) -> httpx.Response:
    # Every attempt from an address of its own: the per-IP limit must not be what stops them.
    return make_rest().post("/api/auth/login", json={"email": email, "password": password})


def test_failures_from_many_addresses_lock_the_account(make_rest: MakeRest) -> None:
    _, user = signed_in(make_rest)
    email = str(user["email"])
    for _ in range(FREE_FAILURES):
        assert login(make_rest, email, "Wrong1234").status_code == 401
    locked = login(make_rest, email, "Secret123")
    assert locked.status_code == 429
    assert envelope_of(locked) == {
        "error": "rate_limited",
        "message": "Too many failed sign-ins for this account; try again later",
        "details": [],
    }
    assert 1 <= int(locked.headers["retry-after"]) <= FIRST_LOCK_SECONDS


def test_a_successful_sign_in_resets_the_count(make_rest: MakeRest) -> None:
    _, user = signed_in(make_rest)
    email = str(user["email"])
    for _ in range(2):
        for _ in range(FREE_FAILURES - 1):
            assert login(make_rest, email, "Wrong1234").status_code == 401
        assert login(make_rest, email, "Secret123").status_code == 200


def test_the_lock_holds_over_native_grpc(make_rest: MakeRest, drop_system: DropSystem) -> None:
    _, user = signed_in(make_rest)
    email = str(user["email"])
    with grpc.insecure_channel(drop_system.grpc_target) as channel:
        stub = auth_pb2_grpc.AuthServiceStub(channel)
        for _ in range(FREE_FAILURES):
            try:
                stub.Login(auth_pb2.LoginRequest(email=email, password="Wrong1234"))
            except grpc.RpcError as error:
                assert error.code() is grpc.StatusCode.UNAUTHENTICATED
        try:
            stub.Login(auth_pb2.LoginRequest(email=email, password="Secret123"))
            raise AssertionError("the locked account signed in")
        except grpc.RpcError as error:
            assert error.code() is grpc.StatusCode.RESOURCE_EXHAUSTED
            assert 1 <= int(dict(error.trailing_metadata())["retry-after"]) <= 30
