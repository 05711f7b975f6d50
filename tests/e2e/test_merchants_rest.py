"""Merchant sign-up, dashboard, QR code and their transactions through Envoy."""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.e2e.helpers import MakeRest, signed_in
from tests.e2e.money import Operator, customer, merchant, valid_org_number


def test_register_makes_the_user_a_merchant(make_rest: MakeRest) -> None:
    client, _ = signed_in(make_rest)
    org = valid_org_number()
    response = client.post(
        "/api/merchants/register",
        json={"businessName": "Bakeri Bašić", "orgNumber": org, "bankAccount": "15036326783"},
    )
    assert response.status_code == 201
    data = response.json()["data"]
    assert data["merchantId"].startswith("mer_")
    assert data["qrValue"] == f"drop://pay/{data['merchantId']}"
    assert (data["businessName"], data["orgNumber"], data["address"]) == ("Bakeri Bašić", org, "")
    assert client.get("/api/auth/me").json()["data"]["role"] == "merchant"
    qr = client.get("/api/merchants/qr").json()["data"]
    assert qr == {
        "merchantId": data["merchantId"],
        "businessName": "Bakeri Bašić",
        "qrValue": data["qrValue"],
        "address": "",
    }

    again = client.post(
        "/api/merchants/register",
        json={"businessName": "Two", "orgNumber": valid_org_number(), "bankAccount": "15036326783"},
    )
    assert (again.status_code, again.json()["error"]) == (409, "conflict")
    other, _ = signed_in(make_rest)
    taken = other.post(
        "/api/merchants/register",
        json={"businessName": "Copy", "orgNumber": org, "bankAccount": "15036326783"},
    )
    assert (taken.status_code, taken.json()["error"]) == (409, "conflict")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"orgNumber": "123456789"}, "orgNumber"),
        ({"orgNumber": "12345678"}, "orgNumber"),
        ({"bankAccount": "15036326784"}, "bankAccount"),
        ({"businessName": "<script>"}, "businessName"),
        ({"address": "x" * 301}, "address"),
    ],
)
def test_register_rules_are_422(make_rest: MakeRest, change: dict[str, str], field: str) -> None:
    client, _ = signed_in(make_rest)
    body = {
        "businessName": "Kiosk",
        "orgNumber": valid_org_number(),
        "bankAccount": "15036326783",
        **change,
    }
    response = client.post("/api/merchants/register", json=body)
    assert response.status_code == 422
    assert [d["field"] for d in response.json()["details"]] == [field]
    assert client.get("/api/auth/me").json()["data"]["role"] == "user"


def test_merchant_routes_need_the_merchant_role(make_rest: MakeRest) -> None:
    client, _ = signed_in(make_rest)
    for path in ("/api/merchants/dashboard", "/api/merchants/qr", "/api/merchants/transactions"):
        response = client.get(path)
        assert (response.status_code, response.json()["error"]) == (403, "forbidden")


def test_dashboard_and_sales(make_rest: MakeRest, operator: Operator) -> None:
    owner, shop = merchant(make_rest, operator)
    payer = customer(make_rest, operator)
    for amount in (100, 50.5):
        assert (
            payer.client.post(
                "/api/transactions/qr-payment",
                json={"merchantId": shop["merchantId"], "amount": amount},
            ).status_code
            == 201
        )

    for period in (None, "today", "week", "month"):
        params = {"period": period} if period else {}
        board = owner.client.get("/api/merchants/dashboard", params=params)
        assert board.status_code == 200
        data = board.json()["data"]
        assert (data["revenue"], data["transactionCount"], data["fees"], data["netRevenue"]) == (
            150.5,
            2,
            0,
            150.5,
        )
        # The payers paid the 1 % fee on top; the merchant is paid every krone of the takings.
        assert data["nextPayout"] == 150.5
        # Whole seconds print with three fractional digits too, like every other time.
        assert data["payoutTime"].endswith(":00:00.000Z")
        payout = datetime.fromisoformat(data["payoutTime"].replace("Z", "+00:00"))
        assert payout > datetime.now(payout.tzinfo) and payout.minute == 0
    assert (
        owner.client.get("/api/merchants/dashboard", params={"period": "year"}).status_code == 400
    )

    sales = owner.client.get("/api/merchants/transactions").json()
    assert sales["pagination"]["total"] == 2
    sale = sales["data"][0]
    assert set(sale) == {"id", "amount", "fee", "status", "customerName", "createdAt"}
    assert (sale["amount"], sale["fee"], sale["status"]) == (50.5, 0, "completed")
    assert sale["customerName"] == f"{payer.user['firstName']} {str(payer.user['lastName'])[0]}."
    assert owner.client.get("/api/merchants/transactions", params={"limit": 51}).status_code == 400
