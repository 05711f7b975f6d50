"""DROP_PASSWORD_LOGIN=false: register and login answer 410 gone, and a password user who never
linked BankID is told how to recover the account instead of getting a second, empty one."""

from __future__ import annotations

import json
import urllib.parse
import uuid
from collections.abc import Iterator
from datetime import date

import grpc
import httpx
import pytest

from drop.v1 import auth_pb2, auth_pb2_grpc
from drop_server.api.auth import AuthServicer
from drop_server.config import Settings
from drop_server.db.engine import Database
from drop_server.db.models import User
from drop_server.domain import ids
from drop_server.providers.bankid import BankIdClient
from drop_server.providers.bankid_sandbox import SandboxProvider, start_sandbox
from drop_server.services.bankid import LINK_THROUGH_SUPPORT
from tests.api.conftest import api_settings_for
from tests.conftest import free_port
from tests.support.envelopes import without_request_id

REDIRECT_URI = "http://127.0.0.1:9/api/auth/bankid/callback"


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
def sandbox_issuer() -> Iterator[str]:
    port = free_port()
    issuer = f"http://127.0.0.1:{port}"
    provider = SandboxProvider(issuer, "drop", "sandbox-secret", [REDIRECT_URI])
    server = start_sandbox("127.0.0.1", port, provider)
    yield issuer
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def grpc_servicer(
    retired_settings: Settings, api_db: Database, sandbox_issuer: str
) -> AuthServicer:
    client = BankIdClient(sandbox_issuer, "drop", "sandbox-secret", REDIRECT_URI)
    return AuthServicer(retired_settings, api_db, client)


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
    assert without_request_id(json.loads(urllib.parse.unquote(trailers["x-error-body"]))) == {
        "error": "gone",
        "message": "Password login has been retired; sign in with BankID",
        "details": [],
    }


def test_an_unlinked_password_user_is_told_how_to_recover(
    grpc_stub: auth_pb2_grpc.AuthServiceStub, api_db: Database
) -> None:
    tag = f"retired-{uuid.uuid4().hex[:10]}"
    with api_db.transaction() as session:
        session.add(
            User(
                id=ids.new_id(ids.USER),
                email=f"{tag}@example.no",
                password_hash="unused",
                first_name="Test",
                last_name="Person",
                date_of_birth=date(1990, 4, 12),
            )
        )
    started, call = grpc_stub.StartBankId.with_call(auth_pb2.StartBankIdRequest())
    cookie = dict(call.initial_metadata())["set-cookie"].split(";")[0]
    hint = urllib.parse.urlencode({"login_hint": f"generated:{tag}"})
    at_provider = httpx.get(f"{started.data.redirect_url}&{hint}", follow_redirects=False)
    query = dict(
        urllib.parse.parse_qsl(urllib.parse.urlsplit(at_provider.headers["location"]).query)
    )
    with pytest.raises(grpc.RpcError) as caught:
        grpc_stub.CompleteBankId(
            auth_pb2.CompleteBankIdRequest(code=query["code"], state=query["state"]),
            metadata=(("cookie", cookie),),
        )
    assert caught.value.code() == grpc.StatusCode.ALREADY_EXISTS
    assert caught.value.details() == LINK_THROUGH_SUPPORT
    with api_db.transaction() as session:
        assert session.query(User).filter(User.email == f"{tag}@example.no").count() == 1
