"""Identity and compliance services over native gRPC, straight to the workers and through Envoy."""

from __future__ import annotations

from collections.abc import Iterator

import grpc
import pytest

from drop.v1 import (
    admin_pb2,
    admin_pb2_grpc,
    auth_pb2,
    auth_pb2_grpc,
    complaints_pb2,
    complaints_pb2_grpc,
    privacy_pb2,
    privacy_pb2_grpc,
    settings_pb2,
    settings_pb2_grpc,
)
from tests.conftest import DropSystem
from tests.e2e.helpers import api_key
from tests.e2e.test_money_grpc import new_user


@pytest.fixture(scope="module", params=["direct", "envoy"])
def channel(request: pytest.FixtureRequest, drop_system: DropSystem) -> Iterator[grpc.Channel]:
    target = drop_system.grpc_target if request.param == "direct" else drop_system.envoy_target
    with grpc.insecure_channel(target) as channel:
        yield channel


def test_settings_consents_and_complaints(channel: grpc.Channel, drop_system: DropSystem) -> None:
    me = new_user(drop_system)
    settings = settings_pb2_grpc.SettingsServiceStub(channel)
    assert (
        settings.GetSettings(settings_pb2.GetSettingsRequest(), metadata=me).data.currency == "NOK"
    )
    changed = settings.UpdateSettings(
        settings_pb2.UpdateSettingsRequest(language="en", email_enabled=False), metadata=me
    ).data
    assert (changed.language, changed.email_enabled, changed.push_enabled) == ("en", False, True)

    privacy = privacy_pb2_grpc.PrivacyServiceStub(channel)
    recorded, call = privacy.RecordConsent.with_call(
        privacy_pb2.RecordConsentRequest(consent_type="cookies_analytics", granted=True),
        metadata=me,
    )
    assert recorded.data.granted and recorded.data.ip_address == "127.0.0.1"
    assert ("x-http-code", "201") in call.initial_metadata()
    assert [
        c.consent_type
        for c in privacy.ListConsents(privacy_pb2.ListConsentsRequest(), metadata=me).data
    ] == ["cookies_analytics"]

    complaints = complaints_pb2_grpc.ComplaintServiceStub(channel)
    filed = complaints.CreateComplaint(
        complaints_pb2.CreateComplaintRequest(
            category="technical", subject="App", description="Crashes"
        ),
        metadata=me,
    )
    assert filed.data.status == "received" and filed.commitment_note.endswith("§3-53")
    with pytest.raises(grpc.RpcError) as caught:
        complaints.CreateComplaint(
            complaints_pb2.CreateComplaintRequest(category="nope", subject="x", description="y"),
            metadata=me,
        )
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT

    admin = admin_pb2_grpc.AdminServiceStub(channel)
    key = (("x-api-key", api_key(drop_system, "admin")),)
    resolved = admin.UpdateComplaint(
        admin_pb2.UpdateComplaintRequest(
            id=filed.data.id, status="resolved", resolution="Fixed in 2.1"
        ),
        metadata=key,
    )
    assert resolved.data.status == "resolved" and resolved.data.HasField("resolved_at")
    flags = {
        f.name: f.enabled
        for f in admin.ListFeatureFlags(admin_pb2.ListFeatureFlagsRequest(), metadata=key).data
    }
    assert flags["notifications"] is True and flags["cards"] is False


def test_export_and_erasure_over_grpc(channel: grpc.Channel, drop_system: DropSystem) -> None:
    me = new_user(drop_system)
    privacy = privacy_pb2_grpc.PrivacyServiceStub(channel)
    export = privacy.ExportData(privacy_pb2.ExportDataRequest(), metadata=me)
    assert export.data.user.last_name == "Delić" and export.HasField("exported_at")
    erased = privacy.DeleteAccount(privacy_pb2.DeleteAccountRequest(), metadata=me)
    assert erased.message == "Account scheduled for deletion"
    with pytest.raises(grpc.RpcError) as caught:
        auth_pb2_grpc.AuthServiceStub(channel).GetMe(auth_pb2.GetMeRequest(), metadata=me)
    assert caught.value.code() == grpc.StatusCode.UNAUTHENTICATED


def test_bankid_start_over_grpc(channel: grpc.Channel, drop_system: DropSystem) -> None:
    response, call = auth_pb2_grpc.AuthServiceStub(channel).StartBankId.with_call(
        auth_pb2.StartBankIdRequest()
    )
    assert response.data.redirect_url.startswith(drop_system.bankid_issuer + "/authorize?")
    assert any(
        k == "set-cookie" and v.startswith("bankid_state=") for k, v in call.initial_metadata()
    )
