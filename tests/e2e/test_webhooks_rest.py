"""Signed webhooks over REST through Envoy, delivered by the running jobs worker to a real HTTP
receiver: a QR payment reaches the merchant's endpoint as `payment.received`, signed, after
retries past failures; the delivery log shows them; redelivery sends the same event again;
other accounts' webhooks answer 404, non-merchants 403, bad input the documented envelope."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
import pytest

from tests.e2e.helpers import MakeRest, signed_in
from tests.e2e.money import Customer, Operator, customer, merchant
from tests.e2e.webhook_receiver import poll, receiver, verified
from tests.support.envelopes import envelope_of

TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def deliveries(client: httpx.Client, webhook_id: str) -> list[dict[str, Any]]:
    answer = client.get(f"/api/webhooks/{webhook_id}/deliveries")
    assert answer.status_code == 200, answer.text
    return list(answer.json()["data"])


def settled(client: httpx.Client, webhook_id: str, count: int = 1) -> list[dict[str, Any]]:
    """The delivery log once `count` deliveries have finished (none pending)."""
    log: Any = poll(
        lambda: deliveries(client, webhook_id),
        lambda rows: len(rows) >= count and all(r["status"] != "pending" for r in rows),  # type: ignore[attr-defined]
    )
    return list(log)


@pytest.fixture
def shop(make_rest: MakeRest, operator: Operator) -> tuple[Customer, dict[str, object]]:
    return merchant(make_rest, operator)


def test_payment_reaches_the_merchant_signed_after_retries_and_redelivers(
    make_rest: MakeRest, operator: Operator, shop: tuple[Customer, dict[str, object]]
) -> None:
    owner, profile = shop
    payer = customer(make_rest, operator)
    with receiver(failures=2) as hook:
        created = owner.client.post(
            "/api/webhooks",
            json={
                "url": hook.url,
                "eventTypes": ["payment.received", "payment.received"],
                "description": "Kassa 1",
            },
        )
        assert created.status_code == 201, created.text
        webhook = created.json()["data"]
        secret = webhook.pop("secret")
        assert re.fullmatch(r"whsec_[A-Za-z0-9_-]{43}", secret)
        assert webhook.pop("id").startswith("whe_") and TIME.match(webhook.pop("createdAt"))
        assert webhook == {
            "userId": owner.user["id"],
            "url": hook.url,
            "description": "Kassa 1",
            "eventTypes": ["payment.received"],
        }
        webhook_id = created.json()["data"]["id"]
        listed = owner.client.get("/api/webhooks").json()
        assert [w["id"] for w in listed["data"]] == [webhook_id]
        assert "secret" not in listed["data"][0] and listed["pagination"]["total"] == 1

        paid = payer.client.post(
            "/api/transactions/qr-payment",
            json={"merchantId": profile["merchantId"], "amount": 129},
        )
        assert paid.status_code == 201, paid.text
        payment = paid.json()["data"]

        (entry,) = settled(owner.client, webhook_id)
        calls = hook.wait_for(3)
        # Two answers of 500, each retried after the (shortened) backoff, then 200.
        assert [c.answered for c in calls] == [500, 500, 200]
        assert entry["status"] == "delivered" and entry["attempts"] == 3
        assert entry["lastStatusCode"] == 200 and "lastError" not in entry
        assert entry["eventType"] == "payment.received" and entry["webhookId"] == webhook_id
        assert TIME.match(entry["deliveredAt"]) and "nextAttemptAt" not in entry
        assert all(verified(call, secret) for call in calls)
        assert not verified(calls[0], secret + "x")
        assert len({c.body for c in calls}) == 1, "every attempt sends the same event bytes"
        first = calls[0]
        assert first.headers["content-type"] == "application/json"
        assert first.headers["x-webhook-id"] == entry["id"]
        assert first.headers["x-webhook-event-id"] == entry["eventId"]
        event = json.loads(first.body)
        assert list(event) == ["id", "type", "data", "timestamp", "version"]
        assert (event["id"], event["type"], event["version"]) == (
            entry["eventId"],
            "payment.received",
            "1",
        )
        assert re.fullmatch(r"evt_\d+", event["id"]) and TIME.match(event["timestamp"])
        assert event["data"]["id"] == payment["id"]
        assert event["data"]["merchantId"] == profile["merchantId"]
        assert event["data"]["amount"] == 129 and "fee" not in event["data"]

        again = owner.client.post(
            f"/api/webhooks/{webhook_id}/deliveries/{entry['id']}/redeliver", json={}
        )
        assert again.status_code == 202, again.text
        redelivery = again.json()["data"]
        assert redelivery["status"] == "pending" and redelivery["attempts"] == 0
        assert redelivery["eventId"] == entry["eventId"] and redelivery["id"] != entry["id"]
        log = settled(owner.client, webhook_id, count=2)
        assert [d["id"] for d in log] == [redelivery["id"], entry["id"]], "newest first"
        assert log[0]["status"] == "delivered" and log[0]["attempts"] == 1
        fourth = hook.wait_for(4)[3]
        assert fourth.headers["x-webhook-event-id"] == entry["eventId"]
        assert fourth.headers["x-webhook-id"] == redelivery["id"] and fourth.body == first.body
        assert verified(fourth, secret)

        # Another merchant sees none of it; a deleted webhook is gone for its owner too.
        stranger, _ = merchant(make_rest, operator)
        for method, path in (
            ("GET", f"/api/webhooks/{webhook_id}/deliveries"),
            ("POST", f"/api/webhooks/{webhook_id}/deliveries/{entry['id']}/redeliver"),
            ("DELETE", f"/api/webhooks/{webhook_id}"),
        ):
            answer = stranger.client.request(method, path, json={} if method == "POST" else None)
            assert answer.status_code == 404, (method, path, answer.text)
            assert envelope_of(answer)["error"] == "not_found"
        assert stranger.client.get("/api/webhooks").json()["data"] == []
        missing = owner.client.post(
            f"/api/webhooks/{webhook_id}/deliveries/whd_0000000000000000/redeliver", json={}
        )
        assert missing.status_code == 404
        assert owner.client.delete(f"/api/webhooks/{webhook_id}").status_code == 204
        assert owner.client.get("/api/webhooks").json()["data"] == []
        assert owner.client.get(f"/api/webhooks/{webhook_id}/deliveries").status_code == 404


def test_who_may_manage_webhooks_and_what_is_refused(
    make_rest: MakeRest, operator: Operator, shop: tuple[Customer, dict[str, object]]
) -> None:
    owner, _ = shop
    plain, _ = signed_in(make_rest)
    refused = plain.post(
        "/api/webhooks",
        json={"url": "https://198.51.100.7/hook", "eventTypes": ["payment.received"]},
    )
    assert refused.status_code == 403 and envelope_of(refused)["error"] == "forbidden"
    assert plain.get("/api/webhooks").status_code == 403

    missing = owner.client.post("/api/webhooks", json={"description": "no url"})
    assert missing.status_code == 400
    assert envelope_of(missing) == {
        "error": "bad_request",
        "message": "Missing required fields",
        "details": [
            {"field": "url", "message": "Is required"},
            {"field": "eventTypes", "message": "Is required"},
        ],
    }
    invalid = owner.client.post(
        "/api/webhooks",
        json={"url": "ftp://example.com/hook", "eventTypes": ["payment.sent"], "description": "x"},
    )
    assert invalid.status_code == 422
    assert envelope_of(invalid) == {
        "error": "validation_error",
        "message": "Validation failed",
        "details": [
            {"field": "url", "message": "Must be an http or https URL"},
            {
                "field": "eventTypes",
                "message": "Must each be one of: payment.received, payment.completed, "
                "payment.failed, remittance.processing, remittance.completed, remittance.failed, "
                "complaint.resolved, notification.created",
            },
        ],
    }
    # A merchant cannot act for another account.
    other = owner.client.post(
        "/api/webhooks",
        json={
            "url": "https://198.51.100.7/hook",
            "eventTypes": ["payment.received"],
            "userId": "usr_0000000000000000",
        },
    )
    assert other.status_code == 403

    # Admins (here an admin API key) manage any account's webhooks.
    for_owner = operator.client.post(
        "/api/webhooks",
        json={
            "url": "http://127.0.0.1:9/unused",
            "eventTypes": ["remittance.completed", "complaint.resolved"],
            "userId": owner.user["id"],
        },
    )
    assert for_owner.status_code == 201, for_owner.text
    hook_id = for_owner.json()["data"]["id"]
    assert [w["id"] for w in owner.client.get("/api/webhooks").json()["data"]] == [hook_id]
    mine = operator.client.get("/api/webhooks", params={"userId": owner.user["id"]}).json()
    assert [w["id"] for w in mine["data"]] == [hook_id]
    keyless = operator.client.post(
        "/api/webhooks", json={"url": "https://198.51.100.7/h", "eventTypes": ["payment.received"]}
    )
    assert keyless.status_code == 400 and envelope_of(keyless)["details"][0]["field"] == "userId"
    unknown = operator.client.post(
        "/api/webhooks",
        json={
            "url": "https://198.51.100.7/h",
            "eventTypes": ["payment.received"],
            "userId": "usr_0000000000000000",
        },
    )
    assert unknown.status_code == 404
    assert operator.client.delete(f"/api/webhooks/{hook_id}").status_code == 204
