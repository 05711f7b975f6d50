"""AuthService over a real gRPC channel: sessions are checked on every call."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import grpc
import jwt
import pytest
from sqlalchemy import update

from drop.v1 import auth_pb2, auth_pb2_grpc
from drop_server.api.auth import AuthServicer
from drop_server.config import Settings
from drop_server.db.engine import Database
from drop_server.db.models import AuthSession
from tests.api.conftest import TEST_SECRET, unused_bankid
from tests.conftest import unique_email

MOBILE = (("x-drop-client", "mobile"),)


@pytest.fixture(scope="module")
def grpc_add_to_server():  # type: ignore[no-untyped-def]
    return auth_pb2_grpc.add_AuthServiceServicer_to_server


@pytest.fixture(scope="module")
def grpc_servicer(api_settings: Settings, api_db: Database) -> AuthServicer:
    return AuthServicer(api_settings, api_db, unused_bankid())


@pytest.fixture(scope="module")
def grpc_stub_cls():  # type: ignore[no-untyped-def]
    return auth_pb2_grpc.AuthServiceStub


def register(stub: auth_pb2_grpc.AuthServiceStub) -> auth_pb2.RegisteredUser:
    request = auth_pb2.RegisterRequest(
        email=unique_email("api"),
        password="Secret123",
        first_name="Ivana",
        last_name="Petrović",
        date_of_birth="1991-03-04",
    )
    return stub.Register(request, metadata=MOBILE).data


def me_code(stub: auth_pb2_grpc.AuthServiceStub, token: str) -> grpc.StatusCode:
    try:
        stub.GetMe(auth_pb2.GetMeRequest(), metadata=(("authorization", f"Bearer {token}"),))
    except grpc.RpcError as error:
        return error.code()
    return grpc.StatusCode.OK


def test_a_live_session_is_accepted(grpc_stub: auth_pb2_grpc.AuthServiceStub) -> None:
    assert me_code(grpc_stub, register(grpc_stub).token) == grpc.StatusCode.OK


def test_web_clients_get_a_cookie_not_a_token(grpc_stub: auth_pb2_grpc.AuthServiceStub) -> None:
    request = auth_pb2.RegisterRequest(
        email=unique_email("web"),
        password="Secret123",
        first_name="Ivana",
        last_name="Petrović",
        date_of_birth="1991-03-04",
    )
    response, call = grpc_stub.Register.with_call(request)
    assert not response.data.HasField("token")
    cookies = [v for k, v in call.initial_metadata() if k == "set-cookie"]
    assert len(cookies) == 1 and cookies[0].startswith("drop_token=")


def test_alg_none_is_refused(grpc_stub: auth_pb2_grpc.AuthServiceStub) -> None:
    claims = jwt.decode(register(grpc_stub).token, options={"verify_signature": False})
    unsigned = jwt.encode(claims, key=None, algorithm="none")
    assert me_code(grpc_stub, unsigned) == grpc.StatusCode.UNAUTHENTICATED


def test_other_algorithms_are_refused(grpc_stub: auth_pb2_grpc.AuthServiceStub) -> None:
    claims = jwt.decode(register(grpc_stub).token, options={"verify_signature": False})
    hs512 = jwt.encode(claims, TEST_SECRET, algorithm="HS512")
    assert me_code(grpc_stub, hs512) == grpc.StatusCode.UNAUTHENTICATED


def test_a_token_signed_with_another_key_is_refused(
    grpc_stub: auth_pb2_grpc.AuthServiceStub,
) -> None:
    claims = jwt.decode(register(grpc_stub).token, options={"verify_signature": False})
    forged = jwt.encode(claims, "another-secret-" + "y" * 64, algorithm="HS256")
    assert me_code(grpc_stub, forged) == grpc.StatusCode.UNAUTHENTICATED


def test_a_token_for_another_users_session_is_refused(
    grpc_stub: auth_pb2_grpc.AuthServiceStub,
) -> None:
    mine = jwt.decode(register(grpc_stub).token, options={"verify_signature": False})
    theirs = jwt.decode(register(grpc_stub).token, options={"verify_signature": False})
    mixed = jwt.encode({**mine, "sid": theirs["sid"]}, TEST_SECRET, algorithm="HS256")
    assert me_code(grpc_stub, mixed) == grpc.StatusCode.UNAUTHENTICATED


def test_a_token_without_a_session_id_is_refused(grpc_stub: auth_pb2_grpc.AuthServiceStub) -> None:
    claims = jwt.decode(register(grpc_stub).token, options={"verify_signature": False})
    del claims["sid"]
    assert (
        me_code(grpc_stub, jwt.encode(claims, TEST_SECRET, algorithm="HS256"))
        == grpc.StatusCode.UNAUTHENTICATED
    )


def test_an_expired_jwt_is_refused(grpc_stub: auth_pb2_grpc.AuthServiceStub) -> None:
    claims = jwt.decode(register(grpc_stub).token, options={"verify_signature": False})
    past = int((datetime.now(UTC) - timedelta(minutes=5)).timestamp())
    expired = jwt.encode({**claims, "exp": past}, TEST_SECRET, algorithm="HS256")
    assert me_code(grpc_stub, expired) == grpc.StatusCode.UNAUTHENTICATED


def test_an_expired_session_row_is_refused_even_with_a_valid_jwt(
    grpc_stub: auth_pb2_grpc.AuthServiceStub, api_db: Database
) -> None:
    token = register(grpc_stub).token
    session_id = jwt.decode(token, options={"verify_signature": False})["sid"]
    with api_db.transaction() as session:
        session.execute(
            update(AuthSession)
            .where(AuthSession.id == session_id)
            .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    assert me_code(grpc_stub, token) == grpc.StatusCode.UNAUTHENTICATED


def test_a_revoked_session_is_refused_even_with_a_valid_jwt(
    grpc_stub: auth_pb2_grpc.AuthServiceStub, api_db: Database
) -> None:
    token = register(grpc_stub).token
    session_id = jwt.decode(token, options={"verify_signature": False})["sid"]
    with api_db.transaction() as session:
        session.execute(
            update(AuthSession)
            .where(AuthSession.id == session_id)
            .values(revoked_at=datetime.now(UTC))
        )
    assert me_code(grpc_stub, token) == grpc.StatusCode.UNAUTHENTICATED


def test_logout_revokes_every_session(grpc_stub: auth_pb2_grpc.AuthServiceStub) -> None:
    user = register(grpc_stub)
    second = grpc_stub.Login(
        auth_pb2.LoginRequest(email=user.email, password="Secret123"), metadata=MOBILE
    ).data.token
    grpc_stub.Logout(
        auth_pb2.LogoutRequest(), metadata=(("authorization", f"Bearer {user.token}"),)
    )
    assert me_code(grpc_stub, user.token) == grpc.StatusCode.UNAUTHENTICATED
    assert me_code(grpc_stub, second) == grpc.StatusCode.UNAUTHENTICATED
