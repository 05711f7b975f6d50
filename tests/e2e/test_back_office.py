"""What the back-office roles see: support reads a customer's transactions as the customer does,
compliance reads data-access requests (the erasure audit) and consent histories. REST through
Envoy and native gRPC, with keys of the `support` and `compliance` scopes."""

from __future__ import annotations

import grpc
import httpx

from drop.v1 import admin_pb2, admin_pb2_grpc
from tests.conftest import DropSystem
from tests.e2e.helpers import MakeRest
from tests.e2e.money import Operator, add_recipient, customer


def key_client(make_rest: MakeRest, operator: Operator, scope: str) -> tuple[httpx.Client, str]:
    created = operator.client.post("/api/admin/api-keys", json={"scopes": [scope]})
    assert created.status_code == 201, created.text
    secret = created.json()["data"]["secret"]
    client = make_rest()
    client.headers["X-Api-Key"] = secret
    return client, secret


def test_support_reads_a_customers_transactions(
    make_rest: MakeRest, operator: Operator, drop_system: DropSystem
) -> None:
    sender = customer(make_rest, operator)
    recipient = add_recipient(sender.client)
    sent = sender.client.post(
        "/api/transactions/remittance", json={"recipientId": recipient["id"], "amount": 500}
    )
    assert sent.status_code == 201, sent.text
    tx_id = sent.json()["data"]["id"]
    support, secret = key_client(make_rest, operator, "support")

    seen = support.get(f"/api/admin/users/{sender.user['id']}/transactions")
    assert seen.status_code == 200
    body = seen.json()
    assert body["data"] == [sender.client.get(f"/api/transactions/{tx_id}").json()["data"]]
    assert body["pagination"] == {
        "page": 1,
        "limit": 20,
        "total": 1,
        "totalPages": 1,
        "hasNext": False,
        "hasPrev": False,
    }
    missing = support.get("/api/admin/users/usr_0000000000000000/transactions")
    assert (missing.status_code, missing.json()["error"]) == (404, "not_found")
    assert (
        support.get(
            f"/api/admin/users/{sender.user['id']}/transactions", params={"limit": 101}
        ).status_code
        == 400
    )
    # Support cannot change what it reads.
    assert support.put("/api/admin/rates/RSD", json={"rate": 12}).status_code == 403

    with grpc.insecure_channel(drop_system.grpc_target) as channel:
        stub = admin_pb2_grpc.AdminServiceStub(channel)
        listed = stub.ListUserTransactions(
            admin_pb2.ListUserTransactionsRequest(id=str(sender.user["id"])),
            metadata=(("x-api-key", secret),),
        )
        assert [t.id for t in listed.data] == [tx_id] and listed.pagination.total == 1


def test_compliance_reads_consent_history_and_the_erasure_audit(
    make_rest: MakeRest, operator: Operator, drop_system: DropSystem
) -> None:
    person = customer(make_rest, operator, bank=None)
    user_id = person.user["id"]
    for granted in (True, False):
        answer = person.client.post(
            "/api/consents", json={"consentType": "marketing", "granted": granted}
        )
        assert answer.status_code in (200, 201)
    assert person.client.get("/api/user/data-export").status_code == 200
    assert person.client.delete("/api/user/account").status_code == 200
    compliance, secret = key_client(make_rest, operator, "compliance")

    history = compliance.get(f"/api/admin/users/{user_id}/consent-history")
    assert history.status_code == 200
    entries = history.json()["data"]
    assert [(e["consentType"], e["granted"]) for e in entries] == [
        ("marketing", True),
        ("marketing", False),
    ]
    assert set(entries[0]) == {"consentType", "granted", "ipAddress", "createdAt"}
    assert entries[0]["createdAt"].endswith("Z") and entries[0]["ipAddress"]
    assert (
        compliance.get("/api/admin/users/usr_0000000000000000/consent-history").status_code == 404
    )

    audit = compliance.get("/api/admin/data-access-requests", params={"userId": user_id})
    assert audit.status_code == 200
    requests = audit.json()["data"]
    assert [r["type"] for r in requests] == ["erasure", "export"]  # newest first
    assert set(requests[0]) == {"id", "userId", "type", "status", "createdAt", "completedAt"}
    assert {r["status"] for r in requests} == {"completed"} and requests[0]["userId"] == user_id
    erasures = compliance.get(
        "/api/admin/data-access-requests", params={"userId": user_id, "type": "erasure"}
    ).json()
    assert [r["type"] for r in erasures["data"]] == ["erasure"]
    bad = compliance.get("/api/admin/data-access-requests", params={"type": "delete"})
    assert (bad.status_code, bad.json()["details"][0]["field"]) == (400, "type")
    # Compliance sees privacy records, not money.
    assert compliance.get(f"/api/admin/users/{user_id}/transactions").status_code == 403

    with grpc.insecure_channel(drop_system.envoy_target) as channel:
        stub = admin_pb2_grpc.AdminServiceStub(channel)
        found = stub.ListDataAccessRequests(
            admin_pb2.ListDataAccessRequestsRequest(user_id=str(user_id), type="export"),
            metadata=(("x-api-key", secret),),
        )
        assert [r.type for r in found.data] == ["export"]
