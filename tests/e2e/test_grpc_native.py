"""Native gRPC, straight to the workers and through Envoy's port: same services, same rules,
errors as gRPC status codes with google.rpc details."""

from __future__ import annotations

from collections.abc import Iterator

import grpc
import pytest
from google.rpc import error_details_pb2, status_pb2
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha.proto_reflection_descriptor_database import (
    ProtoReflectionDescriptorDatabase,
)

from drop.v1 import admin_pb2, admin_pb2_grpc, auth_pb2, auth_pb2_grpc
from drop.v1 import health_pb2 as drop_health
from drop.v1 import health_pb2_grpc as drop_health_grpc
from tests.conftest import DropSystem, unique_email
from tests.e2e.helpers import api_key

MOBILE = (("x-drop-client", "mobile"),)


def register_request(**overrides: str) -> auth_pb2.RegisterRequest:
    fields = {
        "email": unique_email("grpc"),
        "password": "Secret123",
        "first_name": "Lejla",
        "last_name": "Hodžić",
        "date_of_birth": "1988-11-02",
    }
    fields.update(overrides)
    return auth_pb2.RegisterRequest(**fields)


def error_info(error: grpc.RpcError) -> tuple[error_details_pb2.ErrorInfo, list[tuple[str, str]]]:
    trailers = dict(error.trailing_metadata() or ())
    status = status_pb2.Status.FromString(trailers["grpc-status-details-bin"])
    info = error_details_pb2.ErrorInfo()
    violations: list[tuple[str, str]] = []
    for detail in status.details:
        if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
            detail.Unpack(info)
        elif detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
            bad = error_details_pb2.BadRequest()
            detail.Unpack(bad)
            violations = [(v.field, v.description) for v in bad.field_violations]
    return info, violations


@pytest.fixture(scope="module")
def direct(drop_system: DropSystem) -> Iterator[grpc.Channel]:
    with grpc.insecure_channel(drop_system.grpc_target) as channel:
        yield channel


@pytest.fixture(scope="module", params=["direct", "envoy"])
def channel(request: pytest.FixtureRequest, drop_system: DropSystem) -> Iterator[grpc.Channel]:
    target = drop_system.grpc_target if request.param == "direct" else drop_system.envoy_target
    with grpc.insecure_channel(target) as channel:
        yield channel


@pytest.fixture
def token(direct: grpc.Channel) -> str:
    """A mobile session, created straight on the workers (sign-up through Envoy is rate limited
    per IP, and every gRPC test shares 127.0.0.1)."""
    response = auth_pb2_grpc.AuthServiceStub(direct).Register(register_request(), metadata=MOBILE)
    return response.data.token


def bearer(token: str) -> tuple[tuple[str, str], ...]:
    return (("authorization", f"Bearer {token}"),)


def test_standard_health_reports_serving(channel: grpc.Channel) -> None:
    stub = health_pb2_grpc.HealthStub(channel)
    assert (
        stub.Check(health_pb2.HealthCheckRequest()).status == health_pb2.HealthCheckResponse.SERVING
    )
    named = stub.Check(health_pb2.HealthCheckRequest(service="drop.v1.AuthService"))
    assert named.status == health_pb2.HealthCheckResponse.SERVING


def test_reflection_lists_the_drop_services(channel: grpc.Channel) -> None:
    services = set(ProtoReflectionDescriptorDatabase(channel).get_services())
    assert {
        "drop.v1.AuthService",
        "drop.v1.AdminService",
        "drop.v1.HealthService",
        "grpc.health.v1.Health",
    } <= services


def test_get_health(channel: grpc.Channel) -> None:
    data = (
        drop_health_grpc.HealthServiceStub(channel).GetHealth(drop_health.GetHealthRequest()).data
    )
    assert data.status == "ok" and data.checks.db.status == "pass" and data.checks.db.driver == "pg"


def test_register_returns_token_and_201_hint(direct: grpc.Channel) -> None:
    stub = auth_pb2_grpc.AuthServiceStub(direct)
    response, call = stub.Register.with_call(register_request(), metadata=MOBILE)
    assert response.data.id.startswith("usr_") and response.data.kyc_status == "pending"
    assert response.data.token and response.data.HasField("expires_at")
    assert ("x-http-code", "201") in call.initial_metadata()


def test_register_through_envoy(drop_system: DropSystem) -> None:
    with grpc.insecure_channel(drop_system.envoy_target) as channel:
        response = auth_pb2_grpc.AuthServiceStub(channel).Register(
            register_request(), metadata=MOBILE
        )
    assert response.data.token


def test_get_me_with_bearer_token(channel: grpc.Channel, token: str) -> None:
    me = (
        auth_pb2_grpc.AuthServiceStub(channel)
        .GetMe(auth_pb2.GetMeRequest(), metadata=bearer(token))
        .data
    )
    assert me.last_name == "Hodžić" and me.role == "user" and me.total_balance == 0
    assert not me.HasField("phone")


def test_unauthenticated_call_is_refused_with_error_info(channel: grpc.Channel) -> None:
    with pytest.raises(grpc.RpcError) as caught:
        auth_pb2_grpc.AuthServiceStub(channel).GetMe(auth_pb2.GetMeRequest())
    assert caught.value.code() == grpc.StatusCode.UNAUTHENTICATED
    assert caught.value.details() == "Authentication required"
    info, _ = error_info(caught.value)
    assert (info.reason, info.domain, info.metadata["http_status"]) == (
        "UNAUTHORIZED",
        "drop.app",
        "401",
    )


def test_bad_bearer_token_is_unauthenticated(channel: grpc.Channel) -> None:
    stub = auth_pb2_grpc.AuthServiceStub(channel)
    with pytest.raises(grpc.RpcError) as caught:
        stub.Logout(auth_pb2.LogoutRequest(), metadata=bearer("not-a-token"))
    assert caught.value.code() == grpc.StatusCode.UNAUTHENTICATED


def test_register_validation_over_grpc(direct: grpc.Channel) -> None:
    with pytest.raises(grpc.RpcError) as caught:
        auth_pb2_grpc.AuthServiceStub(direct).Register(
            register_request(email="nope", date_of_birth="2020-01-01")
        )
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    info, violations = error_info(caught.value)
    assert info.reason == "VALIDATION_ERROR"
    assert [field for field, _ in violations] == ["email", "dateOfBirth"]


def test_refresh_and_logout_over_grpc(channel: grpc.Channel, token: str) -> None:
    stub = auth_pb2_grpc.AuthServiceStub(channel)
    refreshed = stub.Refresh(auth_pb2.RefreshRequest(), metadata=(*bearer(token), *MOBILE)).data
    assert refreshed.token and refreshed.token != token
    with pytest.raises(grpc.RpcError) as caught:
        stub.GetMe(auth_pb2.GetMeRequest(), metadata=bearer(token))
    assert caught.value.code() == grpc.StatusCode.UNAUTHENTICATED
    assert (
        stub.Logout(auth_pb2.LogoutRequest(), metadata=bearer(refreshed.token)).message
        == "Logged out"
    )
    with pytest.raises(grpc.RpcError):
        stub.GetMe(auth_pb2.GetMeRequest(), metadata=bearer(refreshed.token))


def test_admin_over_grpc_with_api_key(
    channel: grpc.Channel, drop_system: DropSystem, token: str
) -> None:
    key = (("x-api-key", api_key(drop_system, "admin")),)
    me = (
        auth_pb2_grpc.AuthServiceStub(channel)
        .GetMe(auth_pb2.GetMeRequest(), metadata=bearer(token))
        .data
    )
    stub = admin_pb2_grpc.AdminServiceStub(channel)
    updated = stub.UpdateUser(
        admin_pb2.UpdateUserRequest(id=me.id, kyc_status="approved"), metadata=key
    ).data
    assert updated.kyc_status == "approved"
    listed = stub.ListUsers(admin_pb2.ListUsersRequest(search=me.email, limit=5), metadata=key)
    assert [u.id for u in listed.data] == [me.id]
    assert listed.pagination.total == 1 and listed.pagination.total_pages == 1
    with pytest.raises(grpc.RpcError) as caught:
        stub.GetUser(admin_pb2.GetUserRequest(id="usr_ffffffffffffffff"), metadata=key)
    assert caught.value.code() == grpc.StatusCode.NOT_FOUND


def test_native_grpc_login_through_envoy_is_rate_limited(drop_system: DropSystem) -> None:
    with grpc.insecure_channel(drop_system.envoy_target) as channel:
        stub = auth_pb2_grpc.AuthServiceStub(channel)
        codes = []
        for _ in range(11):
            try:
                stub.Login(auth_pb2.LoginRequest(email=unique_email(), password="Wrong1234"))
            except grpc.RpcError as error:
                codes.append(error.code())
    assert codes == [grpc.StatusCode.UNAUTHENTICATED] * 10 + [grpc.StatusCode.RESOURCE_EXHAUSTED]
