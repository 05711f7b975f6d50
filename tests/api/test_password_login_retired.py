"""DROP_PASSWORD_LOGIN=false: register and login answer 410 gone."""

from __future__ import annotations

import json
import urllib.parse

import grpc
import pytest

from drop.v1 import auth_pb2, auth_pb2_grpc
from drop_server.api.auth import AuthServicer
from drop_server.config import Settings
from drop_server.db.engine import Database
from tests.api.conftest import api_settings_for, unused_bankid


@pytest.fixture(scope="module")
def retired_settings(tmp_path_factory: pytest.TempPathFactory, postgres_url: str) -> Settings:
    return api_settings_for(
        tmp_path_factory.mktemp("retired"), postgres_url, DROP_PASSWORD_LOGIN="false"
    )


@pytest.fixture(scope="module")
def grpc_interceptors(retired_settings: Settings, api_db: Database):  # type: ignore[no-untyped-def]
    from drop_server.server import interceptors

    return interceptors(retired_settings, api_db)


@pytest.fixture(scope="module")
def grpc_add_to_server():  # type: ignore[no-untyped-def]
    return auth_pb2_grpc.add_AuthServiceServicer_to_server


@pytest.fixture(scope="module")
def grpc_servicer(retired_settings: Settings, api_db: Database) -> AuthServicer:
    return AuthServicer(retired_settings, api_db, unused_bankid())


@pytest.fixture(scope="module")
def grpc_stub_cls():  # type: ignore[no-untyped-def]
    return auth_pb2_grpc.AuthServiceStub


@pytest.mark.parametrize(
    "call",
    [
        lambda stub: stub.Register(auth_pb2.RegisterRequest(email="a@b.no")),
        lambda stub: stub.Login(auth_pb2.LoginRequest(email="a@b.no", password="x")),
    ],
)
def test_password_routes_are_gone(grpc_stub: auth_pb2_grpc.AuthServiceStub, call) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(grpc.RpcError) as caught:
        call(grpc_stub)
    trailers = dict(caught.value.trailing_metadata())
    assert trailers["x-http-status"] == "410"
    assert json.loads(urllib.parse.unquote(trailers["x-error-body"])) == {
        "error": "gone",
        "message": "Password login has been retired; sign in with BankID",
        "details": [],
    }
