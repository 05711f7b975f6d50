"""Webhooks over native gRPC (straight to the workers and through Envoy's port): a merchant
registers an endpoint, a QR payment is delivered to a real receiver and verifies, redelivery
works, and refusals carry the gRPC status and ErrorInfo reason of the contract."""

from __future__ import annotations

import json
from collections.abc import Iterator

import grpc
import pytest

from drop.v1 import (
    bank_accounts_pb2,
    bank_accounts_pb2_grpc,
    merchants_pb2,
    merchants_pb2_grpc,
    transactions_pb2,
    transactions_pb2_grpc,
    webhooks_pb2,
    webhooks_pb2_grpc,
)
from tests.conftest import DropSystem
from tests.e2e.helpers import api_key
from tests.e2e.money import valid_org_number
from tests.e2e.test_grpc_native import error_info
from tests.e2e.test_money_grpc import new_user
from tests.e2e.webhook_receiver import poll, receiver, verified


@pytest.fixture(scope="module", params=["direct", "envoy"])
def channel(request: pytest.FixtureRequest, drop_system: DropSystem) -> Iterator[grpc.Channel]:
    target = drop_system.grpc_target if request.param == "direct" else drop_system.envoy_target
    with grpc.insecure_channel(target) as channel:
        yield channel


def test_webhooks_over_grpc(channel: grpc.Channel, drop_system: DropSystem) -> None:
    hooks = webhooks_pb2_grpc.WebhookServiceStub(channel)
    owner = new_user(drop_system)
    merchant = (
        merchants_pb2_grpc.MerchantServiceStub(channel)
        .RegisterMerchant(
            merchants_pb2.RegisterMerchantRequest(
                business_name="Frisør Delić",
                org_number=valid_org_number(),
                bank_account="15036326783",
            ),
            metadata=owner,
        )
        .data
    )
    payer = new_user(drop_system)
    bank_accounts_pb2_grpc.BankAccountServiceStub(channel).LinkBankAccounts(
        bank_accounts_pb2.LinkBankAccountsRequest(bank_name="DNB"), metadata=payer
    )

    # Not a merchant: PERMISSION_DENIED with the contract's reason.
    with pytest.raises(grpc.RpcError) as refused:
        hooks.ListWebhooks(webhooks_pb2.ListWebhooksRequest(), metadata=payer)
    assert refused.value.code() is grpc.StatusCode.PERMISSION_DENIED
    assert error_info(refused.value)[0].reason == "FORBIDDEN"

    with pytest.raises(grpc.RpcError) as invalid:
        hooks.CreateWebhook(
            webhooks_pb2.CreateWebhookRequest(
                url="gopher://127.0.0.1/", event_types=["payment.received"]
            ),
            metadata=owner,
        )
    assert invalid.value.code() is grpc.StatusCode.INVALID_ARGUMENT
    info, violations = error_info(invalid.value)
    assert info.reason == "VALIDATION_ERROR"
    assert violations == [("url", "Must be an http or https URL")]

    with receiver() as hook:
        created = hooks.CreateWebhook(
            webhooks_pb2.CreateWebhookRequest(url=hook.url, event_types=["payment.received"]),
            metadata=owner,
        ).data
        assert created.secret.startswith("whsec_") and created.HasField("secret")
        listed = hooks.ListWebhooks(webhooks_pb2.ListWebhooksRequest(), metadata=owner)
        assert [w.id for w in listed.data] == [created.id]
        assert not listed.data[0].HasField("secret")

        paid = (
            transactions_pb2_grpc.TransactionServiceStub(channel)
            .PayMerchant(
                transactions_pb2.PayMerchantRequest(merchant_id=merchant.merchant_id, amount=42),
                metadata=payer,
            )
            .data
        )

        def log() -> list[webhooks_pb2.WebhookDelivery]:
            return list(
                hooks.ListWebhookDeliveries(
                    webhooks_pb2.ListWebhookDeliveriesRequest(id=created.id), metadata=owner
                ).data
            )

        (entry,) = poll(log, lambda rows: bool(rows) and rows[0].status == "delivered")  # type: ignore[index, attr-defined]
        (call,) = hook.wait_for(1)
        assert verified(call, created.secret)
        event = json.loads(call.body)
        assert event["id"] == entry.event_id and event["data"]["id"] == paid.id

        again = hooks.RedeliverWebhook(
            webhooks_pb2.RedeliverWebhookRequest(id=created.id, delivery_id=entry.id),
            metadata=owner,
        ).data
        assert again.status == "pending" and again.event_id == entry.event_id
        second = hook.wait_for(2)[1]
        assert second.headers["x-webhook-id"] == again.id and verified(second, created.secret)

        # Another merchant: NOT_FOUND, exactly like a webhook that does not exist.
        stranger = new_user(drop_system)
        merchants_pb2_grpc.MerchantServiceStub(channel).RegisterMerchant(
            merchants_pb2.RegisterMerchantRequest(
                business_name="Pekara Sarajevo",
                org_number=valid_org_number(),
                bank_account="15036326783",
            ),
            metadata=stranger,
        )
        with pytest.raises(grpc.RpcError) as hidden:
            hooks.DeleteWebhook(webhooks_pb2.DeleteWebhookRequest(id=created.id), metadata=stranger)
        assert hidden.value.code() is grpc.StatusCode.NOT_FOUND

        # An admin API key sees the owner's webhook, and deletes it.
        admin = (("x-api-key", api_key(drop_system, "admin")),)
        theirs = hooks.ListWebhooks(
            webhooks_pb2.ListWebhooksRequest(user_id=created.user_id), metadata=admin
        )
        assert [w.id for w in theirs.data] == [created.id]
        hooks.DeleteWebhook(webhooks_pb2.DeleteWebhookRequest(id=created.id), metadata=admin)
        assert not hooks.ListWebhooks(webhooks_pb2.ListWebhooksRequest(), metadata=owner).data
