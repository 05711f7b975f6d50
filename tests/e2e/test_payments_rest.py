"""Remittances, QR payments, disclosure, reading transactions and settlement through Envoy."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from tests.conftest import DropSystem
from tests.e2e.helpers import MakeRest
from tests.e2e.money import POLAND, Customer, Operator, add_recipient, customer, merchant
from tests.support.envelopes import envelope_of

TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")


@pytest.fixture
def sender(make_rest: MakeRest, operator: Operator) -> Customer:
    return customer(make_rest, operator)


def test_remittance_answers_201_with_the_documented_shape(
    sender: Customer, operator: Operator
) -> None:
    recipient = add_recipient(sender.client)
    before = operator.balance(sender.account["id"])
    response = sender.client.post(
        "/api/transactions/remittance", json={"recipientId": recipient["id"], "amount": 2000}
    )
    assert response.status_code == 201
    data = response.json()["data"]
    assert re.match(r"^tx_rem_[a-f0-9]{16}$", data.pop("id"))
    assert TIME.match(data.pop("createdAt"))
    assert data == {
        "type": "remittance",
        "status": "processing",
        "sendAmount": 2000,
        "sendCurrency": "NOK",
        "receiveAmount": 23400,
        "receiveCurrency": "RSD",
        "exchangeRate": 11.7,
        "fee": 10,
        "feePercent": 0.5,
        "total": 2010,
        "recipientName": "Jelena Petrović",
        "recipientCountry": "Serbia",
        "fromAccount": "DNB",
        "eta": "2-4 business days",
    }
    assert operator.balance(sender.account["id"]) == before - 2010


def test_eea_recipients_get_the_shorter_eta_and_fees_round_half_up(sender: Customer) -> None:
    recipient = add_recipient(sender.client, POLAND)
    data = sender.client.post(
        "/api/transactions/remittance", json={"recipientId": recipient["id"], "amount": 101}
    ).json()["data"]
    assert data["eta"] == "1-2 business days"
    assert (data["fee"], data["total"], data["receiveAmount"]) == (
        0.51,
        101.51,
        41.41,
    )  # 0.505 -> 0.51


def test_disclosure_equals_what_the_payment_charges(sender: Customer) -> None:
    recipient = add_recipient(sender.client)
    for amount in (100, 123.45, 2019.99, 50000):
        disclosed = sender.client.post(
            "/api/transactions/disclosure",
            json={"type": "remittance", "amount": amount, "recipientId": recipient["id"]},
        ).json()["data"]
        paid = sender.client.post(
            "/api/transactions/remittance", json={"recipientId": recipient["id"], "amount": amount}
        )
        if paid.status_code == 402:
            break
        charged = paid.json()["data"]
        assert (
            disclosed["fee"],
            disclosed["totalCost"],
            disclosed["exchangeRate"],
            disclosed["receiveAmount"],
        ) == (
            charged["fee"],
            charged["total"],
            charged["exchangeRate"],
            charged["receiveAmount"],
        )
        assert disclosed["estimatedDelivery"] == charged["eta"]


def test_qr_disclosure(sender: Customer) -> None:
    response = sender.client.post(
        "/api/transactions/disclosure", json={"type": "qr_payment", "amount": 89.5}
    )
    assert response.status_code == 200
    assert response.json()["data"] == {
        "amount": 89.5,
        "fee": 0.9,
        "feePercentage": 1,
        "exchangeRate": 1,
        "receiveAmount": 89.5,
        "receiveCurrency": "NOK",
        "estimatedDelivery": "Instant",
        "totalCost": 90.4,
    }


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"amount": 100}, "type"),
        ({"type": "cash", "amount": 100}, "type"),
        ({"type": "qr_payment"}, "amount"),
        ({"type": "remittance", "amount": 100}, "recipientId"),
        ({"type": "qr_payment", "amount": 1.001}, "amount"),
        ({"type": "qr_payment", "amount": 5, "currency": "EUR"}, "currency"),
    ],
)
def test_bad_disclosures_are_400(sender: Customer, body: dict[str, object], field: str) -> None:
    response = sender.client.post("/api/transactions/disclosure", json=body)
    assert response.status_code == 400
    assert field in [d["field"] for d in response.json()["details"]]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"amount": 500}, "recipientId"),
        ({"recipientId": "rcp_0000000000000000"}, "amount"),
        ({"recipientId": "rcp_0000000000000000", "amount": 99.99}, "amount"),
        ({"recipientId": "rcp_0000000000000000", "amount": 50000.01}, "amount"),
        ({"recipientId": "rcp_0000000000000000", "amount": 100.001}, "amount"),
        ({"recipientId": "rcp_0000000000000000", "amount": 500, "currency": "EUR"}, "currency"),
    ],
)
def test_remittance_input_errors_come_first(
    make_rest: MakeRest, operator: Operator, body: dict[str, object], field: str
) -> None:
    # Not even KYC-approved: 400 is checked before 403.
    pending = customer(make_rest, operator, kyc=False, bank=None)
    response = pending.client.post("/api/transactions/remittance", json=body)
    assert response.status_code == 400
    assert response.json()["error"] == "bad_request"
    assert field in [d["field"] for d in response.json()["details"]]


def test_remittance_order_of_checks(make_rest: MakeRest, operator: Operator) -> None:
    pending = customer(make_rest, operator, kyc=False, bank=None)
    recipient = add_recipient(pending.client)
    body = {"recipientId": recipient["id"], "amount": 500}
    kyc = pending.client.post("/api/transactions/remittance", json=body)
    assert (kyc.status_code, kyc.json()["error"]) == (403, "kyc_required")

    operator.approve(pending.user["id"])
    other = customer(make_rest, operator)
    theirs = add_recipient(other.client)
    stranger = pending.client.post(
        "/api/transactions/remittance", json={"recipientId": theirs["id"], "amount": 500}
    )
    assert (stranger.status_code, stranger.json()["error"]) == (404, "not_found")

    operator.sql("UPDATE exchange_rates SET currency = 'ZZZ' WHERE currency = 'RSD'")
    try:
        no_rate = pending.client.post("/api/transactions/remittance", json=body)
        assert (no_rate.status_code, no_rate.json()["error"]) == (422, "validation_error")
    finally:
        operator.sql("UPDATE exchange_rates SET currency = 'RSD' WHERE currency = 'ZZZ'")

    no_account = pending.client.post("/api/transactions/remittance", json=body)
    assert (no_account.status_code, no_account.json()["error"]) == (400, "no_bank_account")

    wrong_account = pending.client.post(
        "/api/transactions/remittance", json={**body, "bankAccountId": other.account["id"]}
    )
    assert (wrong_account.status_code, wrong_account.json()["error"]) == (404, "not_found")

    linked = pending.client.post("/api/bank-accounts", json={"bankName": "Nordea"}).json()["data"][
        "accounts"
    ][0]
    operator.set_balance(linked["id"], "500.00")
    short = pending.client.post("/api/transactions/remittance", json=body)
    assert (short.status_code, short.json()["error"]) == (402, "insufficient_balance")
    assert operator.balance(linked["id"]) == 500


def test_remittance_from_a_chosen_account(sender: Customer) -> None:
    second = sender.client.post("/api/bank-accounts", json={"bankName": "Nordea"}).json()["data"][
        "accounts"
    ][0]
    recipient = add_recipient(sender.client)
    data = sender.client.post(
        "/api/transactions/remittance",
        json={"recipientId": recipient["id"], "amount": 300, "bankAccountId": second["id"]},
    ).json()["data"]
    assert data["fromAccount"] == "Nordea"


def test_a_bank_rejection_moves_no_money(sender: Customer, operator: Operator) -> None:
    recipient = add_recipient(sender.client)
    before = operator.balance(sender.account["id"])
    # 4019.90 + 0.5 % (20.10) = 4040.00: the sandbox bank's refusal total.
    response = sender.client.post(
        "/api/transactions/remittance", json={"recipientId": recipient["id"], "amount": 4019.9}
    )
    assert response.status_code == 422
    assert response.json()["details"] == [
        {"field": "amount", "message": "Your bank rejected the payment"}
    ]
    assert operator.balance(sender.account["id"]) == before
    assert sender.client.get("/api/transactions").json()["pagination"]["total"] == 0


def test_idempotent_retries_replay_the_first_answer(sender: Customer, operator: Operator) -> None:
    recipient = add_recipient(sender.client)
    before = operator.balance(sender.account["id"])
    body = {"recipientId": recipient["id"], "amount": 700}
    first = sender.client.post(
        "/api/transactions/remittance", json=body, headers={"Idempotency-Key": "order-1"}
    )
    again = sender.client.post(
        "/api/transactions/remittance", json=body, headers={"Idempotency-Key": "order-1"}
    )
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert operator.balance(sender.account["id"]) == before - Decimal("703.50")
    other_body = sender.client.post(
        "/api/transactions/remittance",
        json={**body, "amount": 701},
        headers={"Idempotency-Key": "order-1"},
    )
    assert (other_body.status_code, other_body.json()["error"]) == (409, "conflict")
    fresh = sender.client.post(
        "/api/transactions/remittance", json=body, headers={"Idempotency-Key": "order-2"}
    )
    assert fresh.status_code == 201 and fresh.json()["data"]["id"] != first.json()["data"]["id"]


def test_settlement_completes_or_fails_once(sender: Customer, operator: Operator) -> None:
    recipient = add_recipient(sender.client)
    start = operator.balance(sender.account["id"])
    first = sender.client.post(
        "/api/transactions/remittance", json={"recipientId": recipient["id"], "amount": 1000}
    ).json()["data"]
    second = sender.client.post(
        "/api/transactions/remittance", json={"recipientId": recipient["id"], "amount": 200}
    ).json()["data"]

    done = operator.settle(first["id"], "completed")
    assert done.status_code == 200
    assert done.json()["data"]["status"] == "completed" and TIME.match(
        done.json()["data"]["completedAt"]
    )
    failed = operator.settle(second["id"], "failed")
    assert (
        failed.json()["data"]["status"] == "failed" and "completedAt" not in failed.json()["data"]
    )
    assert operator.balance(sender.account["id"]) == start - 1005  # the failed 201.00 came back
    for tx_id, outcome in (
        (second["id"], "failed"),
        (second["id"], "completed"),
        (first["id"], "failed"),
    ):
        again = operator.settle(tx_id, outcome)
        assert (again.status_code, again.json()["error"]) == (409, "conflict")
    assert operator.balance(sender.account["id"]) == start - 1005

    bad = operator.settle(first["id"], "maybe")
    assert bad.status_code == 400
    assert operator.settle("tx_rem_0000000000000000", "completed").status_code == 404
    assert (
        sender.client.post(
            f"/api/admin/transactions/{first['id']}/settle", json={"outcome": "completed"}
        ).status_code
        == 403
    )


def test_settlement_scope_key_may_settle(
    make_rest: MakeRest, drop_system: DropSystem, sender: Customer
) -> None:
    from tests.e2e.helpers import api_key

    recipient = add_recipient(sender.client)
    tx = sender.client.post(
        "/api/transactions/remittance", json={"recipientId": recipient["id"], "amount": 150}
    ).json()["data"]
    rates_only = make_rest().post(
        f"/api/admin/transactions/{tx['id']}/settle",
        json={"outcome": "completed"},
        headers={"X-Api-Key": api_key(drop_system, "rates")},
    )
    assert rates_only.status_code == 403
    settled = make_rest().post(
        f"/api/admin/transactions/{tx['id']}/settle",
        json={"outcome": "completed"},
        headers={"X-Api-Key": api_key(drop_system, "settlement")},
    )
    assert settled.status_code == 200


def test_transaction_list_detail_receipt_and_summary(
    make_rest: MakeRest, sender: Customer, operator: Operator
) -> None:
    shop_owner, shop = merchant(make_rest, operator)
    recipient = add_recipient(sender.client)
    remittance = sender.client.post(
        "/api/transactions/remittance", json={"recipientId": recipient["id"], "amount": 2000}
    ).json()["data"]
    failed = sender.client.post(
        "/api/transactions/remittance", json={"recipientId": recipient["id"], "amount": 300}
    ).json()["data"]
    operator.settle(failed["id"], "failed")
    qr = sender.client.post(
        "/api/transactions/qr-payment", json={"merchantId": shop["merchantId"], "amount": 89.5}
    )
    assert qr.status_code == 201
    qr_data = qr.json()["data"]
    assert qr_data.pop("id").startswith("tx_qr_") and TIME.match(qr_data.pop("createdAt"))
    assert qr_data == {
        "type": "qr_payment",
        "status": "completed",
        "amount": 89.5,
        "currency": "NOK",
        "fee": 0.9,
        "feePercent": 1,
        "merchantName": "Kaffebar AS",
        "merchantId": shop["merchantId"],
        "fromAccount": "DNB",
    }

    listing = sender.client.get("/api/transactions").json()
    assert listing["pagination"]["total"] == 3
    newest = listing["data"][0]
    assert set(newest) == {
        "id",
        "type",
        "status",
        "amount",
        "currency",
        "merchantName",
        "createdAt",
    }
    assert newest["amount"] == -89.5 and newest["merchantName"] == "Kaffebar AS"
    oldest = listing["data"][-1]
    assert (
        oldest["amount"] == -2000
        and oldest["recipientName"] == "Jelena Petrović"
        and "merchantName" not in oldest
    )
    only_failed = sender.client.get("/api/transactions", params={"status": "failed"}).json()["data"]
    assert [t["id"] for t in only_failed] == [failed["id"]]
    only_qr = sender.client.get(
        "/api/transactions", params={"type": "qr_payment", "limit": 1}
    ).json()
    assert len(only_qr["data"]) == 1 and only_qr["pagination"]["limit"] == 1
    for params in ({"type": "cash"}, {"status": "done"}, {"limit": 51}, {"page": 0}):
        assert sender.client.get("/api/transactions", params=params).status_code == 400

    detail = sender.client.get(f"/api/transactions/{remittance['id']}").json()["data"]
    assert set(detail) == {
        "id",
        "type",
        "status",
        "sendAmount",
        "sendCurrency",
        "receiveAmount",
        "receiveCurrency",
        "exchangeRate",
        "fee",
        "total",
        "recipientName",
        "recipientCountry",
        "createdAt",
    }
    assert detail["recipientCountry"] == "Serbia"
    qr_detail = sender.client.get(f"/api/transactions/{qr.json()['data']['id']}").json()["data"]
    assert set(qr_detail) == {
        "id",
        "type",
        "status",
        "amount",
        "currency",
        "fee",
        "total",
        "merchantName",
        "merchantId",
        "createdAt",
        "completedAt",
    }

    receipt = sender.client.get(f"/api/transactions/{remittance['id']}/receipt").json()["data"]
    assert receipt["recipient"] == {"name": "Jelena Petrović", "country": "RS"}
    assert receipt["reference"].startswith("DROP-") and "merchant" not in receipt
    assert (
        receipt["amount"],
        receipt["fee"],
        receipt["receiveAmount"],
        receipt["receiveCurrency"],
    ) == (2000, 10, 23400, "RSD")
    assert TIME.match(receipt["estimatedCompletion"]) and "completedAt" not in receipt
    qr_receipt = sender.client.get(f"/api/transactions/{qr.json()['data']['id']}/receipt").json()[
        "data"
    ]
    assert (
        qr_receipt["merchant"] == {"name": "Kaffebar AS", "id": shop["merchantId"]}
        and "recipient" not in qr_receipt
    )
    assert (qr_receipt["exchangeRate"], qr_receipt["receiveCurrency"]) == (1, "NOK")

    summary = sender.client.get("/api/transactions/summary").json()["data"]
    expected = {
        "totalCount": 2,
        "totalSent": 2000,
        "totalPaid": 89.5,
        "remittanceCount": 1,
        "qrPaymentCount": 1,
    }
    assert summary == {"allTime": expected, "thisMonth": expected}

    for path in (
        f"/api/transactions/{remittance['id']}",
        f"/api/transactions/{remittance['id']}/receipt",
    ):
        assert shop_owner.client.get(path).status_code == 404
        assert (
            sender.client.get(path.replace(remittance["id"], "tx_rem_0000000000000000")).status_code
            == 404
        )


def test_qr_payment_errors(make_rest: MakeRest, operator: Operator) -> None:
    owner, shop = merchant(make_rest, operator)
    own = owner.client.post(
        "/api/transactions/qr-payment", json={"merchantId": shop["merchantId"], "amount": 10}
    )
    assert (own.status_code, own.json()["error"]) == (400, "bad_request")
    payer = customer(make_rest, operator, kyc=False, bank=None)
    unknown = payer.client.post(
        "/api/transactions/qr-payment", json={"merchantId": "mer_0000000000000000", "amount": 10}
    )
    assert unknown.status_code == 404
    no_account = payer.client.post(
        "/api/transactions/qr-payment", json={"merchantId": shop["merchantId"], "amount": 10}
    )
    assert (no_account.status_code, no_account.json()["error"]) == (400, "no_bank_account")
    account = payer.client.post("/api/bank-accounts", json={"bankName": "DNB"}).json()["data"][
        "accounts"
    ][0]
    operator.set_balance(account["id"], "10.00")
    short = payer.client.post(
        "/api/transactions/qr-payment", json={"merchantId": shop["merchantId"], "amount": 10}
    )
    assert (short.status_code, short.json()["error"]) == (
        402,
        "insufficient_balance",
    )  # 10 + 0.10 fee
    for body in (
        {"merchantId": shop["merchantId"], "amount": 0.99},
        {"merchantId": shop["merchantId"], "amount": 100000.01},
        {"amount": 5},
    ):
        assert payer.client.post("/api/transactions/qr-payment", json=body).status_code == 400


def test_notifications_follow_the_money(
    make_rest: MakeRest, sender: Customer, operator: Operator
) -> None:
    owner, shop = merchant(make_rest, operator)
    recipient = add_recipient(sender.client)
    tx = sender.client.post(
        "/api/transactions/remittance", json={"recipientId": recipient["id"], "amount": 100}
    ).json()["data"]
    operator.settle(tx["id"], "completed")
    sender.client.post(
        "/api/transactions/qr-payment", json={"merchantId": shop["merchantId"], "amount": 20}
    )

    mine = sender.client.get("/api/notifications").json()
    assert [n["type"] for n in mine["data"]] == [
        "qr_payment_made",
        "remittance_completed",
        "remittance_created",
    ]
    assert mine["pagination"]["limit"] == 50
    first = mine["data"][0]
    assert (
        set(first) == {"id", "type", "title", "body", "read", "createdAt"}
        and first["read"] is False
    )
    theirs = owner.client.get("/api/notifications").json()["data"]
    assert [n["type"] for n in theirs] == ["qr_payment_received"]
    assert sender.user["firstName"] in theirs[0]["body"]

    # Another user's id is ignored, not reported.
    marked = sender.client.patch(
        "/api/notifications", json={"notificationIds": [first["id"], theirs[0]["id"]]}
    )
    assert marked.status_code == 200 and envelope_of(marked) == {"data": {"updated": 1}}
    assert sender.client.get("/api/notifications").json()["data"][0]["read"] is True
    assert owner.client.get("/api/notifications").json()["data"][0]["read"] is False

    for ids in ([], ["nope"], ["NOTI_0000000000000000"], ["noti_" + "0" * 16] * 101):
        response = sender.client.patch("/api/notifications", json={"notificationIds": ids})
        assert response.status_code == 400, ids
    assert sender.client.get("/api/notifications", params={"limit": 101}).status_code == 400


def test_notifications_flag_off_answers_like_a_missing_route(
    sender: Customer, operator: Operator
) -> None:
    operator.set_flag("notifications", False)
    try:
        for response in (
            sender.client.get("/api/notifications"),
            sender.client.patch(
                "/api/notifications", json={"notificationIds": ["noti_0000000000000000"]}
            ),
        ):
            assert response.status_code == 404
            assert envelope_of(response) == envelope_of(sender.client.get("/api/no-such-route"))
    finally:
        operator.set_flag("notifications", True)
    assert sender.client.get("/api/notifications").status_code == 200


def test_a_settlement_report_that_contradicts_the_bank_is_refused(
    sender: Customer, operator: Operator, drop_system: DropSystem
) -> None:
    from drop_server.db.engine import Database
    from drop_server.providers.bank import PaymentOutcome
    from drop_server.providers.sandbox_bank import SandboxBank

    recipient = add_recipient(sender.client)
    start = operator.balance(sender.account["id"])
    tx = sender.client.post(
        "/api/transactions/remittance", json={"recipientId": recipient["id"], "amount": 400}
    ).json()["data"]
    [(reference,)] = operator.sql(
        "SELECT end_to_end_id FROM transactions WHERE id = :i", i=tx["id"]
    )
    # The bank pays out before any report reaches Drop.
    bank_db = Database(drop_system.database_url, pool_size=1)
    try:
        SandboxBank(bank_db, reject_total=Decimal("4040.00")).clear(
            str(reference), PaymentOutcome.COMPLETED
        )
    finally:
        bank_db.dispose()
    wrong = operator.settle(tx["id"], "failed")
    assert wrong.status_code == 409
    assert envelope_of(wrong) == {
        "error": "conflict",
        "message": "The bank reports this payment completed",
        "details": [],
    }
    assert operator.balance(sender.account["id"]) == start - Decimal("402.00")  # nothing refunded
    right = operator.settle(tx["id"], "completed")
    assert (right.status_code, right.json()["data"]["status"]) == (200, "completed")
