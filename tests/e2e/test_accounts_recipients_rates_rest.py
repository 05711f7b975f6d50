"""Bank accounts, recipients and exchange rates through Envoy."""

from __future__ import annotations

import re

import pytest

from drop_server.domain.account_numbers import is_valid_account_number
from tests.conftest import DropSystem
from tests.e2e.helpers import MakeRest, api_key, signed_in
from tests.e2e.money import POLAND, SERBIA, Operator, add_recipient, customer


def test_linking_accounts_at_the_sandbox_bank(make_rest: MakeRest) -> None:
    client, _ = signed_in(make_rest)
    assert client.get("/api/bank-accounts").json() == {"data": []}
    linked = client.post("/api/bank-accounts", json={"bankName": "DNB"})
    assert linked.status_code == 201
    accounts = linked.json()["data"]["accounts"]
    assert len(accounts) == 1 and "consentUrl" not in linked.json()["data"]
    dnb = accounts[0]
    assert re.match(r"^ba_[a-f0-9]{16}$", dnb["id"])
    assert re.match(r"^1503\.\d{2}\.\d{5}$", dnb["accountNumber"])
    assert is_valid_account_number(dnb["accountNumber"].replace(".", ""))
    assert (dnb["bankName"], dnb["currency"], dnb["isPrimary"]) == ("DNB", "NOK", True)
    assert dnb["balance"] > 0

    again = client.post("/api/bank-accounts", json={"bankName": "DNB"}).json()["data"]["accounts"]
    assert [a["id"] for a in again] == [dnb["id"]]  # linking twice does not duplicate
    nordea = client.post("/api/bank-accounts", json={"bankName": "Nordea"}).json()["data"][
        "accounts"
    ][0]
    assert nordea["isPrimary"] is False and nordea["accountNumber"].startswith("6002.")
    sparebank = client.post("/api/bank-accounts", json={"bankName": "SpareBank 1"}).json()["data"][
        "accounts"
    ][0]
    listed = client.get("/api/bank-accounts").json()["data"]
    assert [a["id"] for a in listed] == [dnb["id"], nordea["id"], sparebank["id"]]
    me = client.get("/api/auth/me").json()["data"]
    assert me["totalBalance"] == round(sum(a["balance"] for a in listed), 2)


def test_link_errors(make_rest: MakeRest) -> None:
    client, _ = signed_in(make_rest)
    unknown = client.post("/api/bank-accounts", json={"bankName": "Bank of Mars"})
    assert unknown.status_code == 400
    assert unknown.json()["details"] == [
        {"field": "bankName", "message": "Must be one of: DNB, Nordea, SpareBank 1"}
    ]
    assert client.post("/api/bank-accounts", json={}).status_code == 400


def test_primary_switch_refresh_and_unlink(make_rest: MakeRest, operator: Operator) -> None:
    client, _ = signed_in(make_rest)
    dnb = client.post("/api/bank-accounts", json={"bankName": "DNB"}).json()["data"]["accounts"][0]
    nordea = client.post("/api/bank-accounts", json={"bankName": "Nordea"}).json()["data"][
        "accounts"
    ][0]

    switched = client.patch(f"/api/bank-accounts/{nordea['id']}", json={"isPrimary": True})
    assert switched.status_code == 200 and switched.json()["data"]["isPrimary"] is True
    primaries = [a["id"] for a in client.get("/api/bank-accounts").json()["data"] if a["isPrimary"]]
    assert primaries == [nordea["id"]]
    assert (
        client.patch(f"/api/bank-accounts/{dnb['id']}", json={"isPrimary": False}).status_code
        == 400
    )

    # The cache is what the bank said last; refresh asks again.
    operator.set_balance(dnb["id"], "1.00")
    assert (
        next(a for a in client.get("/api/bank-accounts").json()["data"] if a["id"] == dnb["id"])[
            "balance"
        ]
        == 1
    )
    refreshed = client.get("/api/bank-accounts", params={"refresh": "true"}).json()["data"]
    assert next(a for a in refreshed if a["id"] == dnb["id"])["balance"] == dnb["balance"]

    deleted = client.delete(f"/api/bank-accounts/{nordea['id']}")
    assert deleted.status_code == 204 and deleted.content == b""
    remaining = client.get("/api/bank-accounts").json()["data"]
    assert [(a["id"], a["isPrimary"]) for a in remaining] == [(dnb["id"], True)]
    assert client.delete(f"/api/bank-accounts/{nordea['id']}").status_code == 404


def test_other_users_accounts_are_404(make_rest: MakeRest) -> None:
    owner, _ = signed_in(make_rest)
    account = owner.post("/api/bank-accounts", json={"bankName": "DNB"}).json()["data"]["accounts"][
        0
    ]
    stranger, _ = signed_in(make_rest)
    assert (
        stranger.patch(f"/api/bank-accounts/{account['id']}", json={"isPrimary": True}).status_code
        == 404
    )
    assert stranger.delete(f"/api/bank-accounts/{account['id']}").status_code == 404
    assert owner.get("/api/bank-accounts").json()["data"][0]["id"] == account["id"]


def test_recipients_are_created_masked_listed_and_deleted(make_rest: MakeRest) -> None:
    client, _ = signed_in(make_rest)
    created = client.post(
        "/api/recipients",
        json={**SERBIA, "name": "  Jelena Petrović  ", "country": "rs", "currency": "rsd"},
    )
    assert created.status_code == 201
    data = created.json()["data"]
    assert re.match(r"^rcp_[a-f0-9]{16}$", data.pop("id"))
    assert data.pop("createdAt")
    assert data == {
        "name": "Jelena Petrović",
        "country": "RS",
        "currency": "RSD",
        "bankAccount": "*****1379",
        "bankName": "Banca Intesa",
    }
    second = add_recipient(client, POLAND)
    assert second["bankName"] == "" and second["bankAccount"] == "*****2874"

    listing = client.get("/api/recipients").json()
    assert [r["name"] for r in listing["data"]] == ["Anna Kowalska", "Jelena Petrović"]
    assert listing["pagination"] == {
        "page": 1,
        "limit": 20,
        "total": 2,
        "totalPages": 1,
        "hasNext": False,
        "hasPrev": False,
    }
    assert "RS35260005601001611379" not in client.get("/api/recipients").text
    assert (
        client.get("/api/recipients", params={"limit": 1, "page": 2}).json()["data"][0]["name"]
        == "Jelena Petrović"
    )
    assert client.get("/api/recipients", params={"limit": 51}).status_code == 400

    assert client.delete(f"/api/recipients/{second['id']}").status_code == 204
    assert [r["name"] for r in client.get("/api/recipients").json()["data"]] == ["Jelena Petrović"]
    assert client.delete(f"/api/recipients/{second['id']}").status_code == 404


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"country": "DE", "currency": "EUR"}, "country"),
        ({"currency": "EUR"}, "currency"),
        ({"name": "<b>Jelena</b>"}, "name"),
        ({"name": "1234"}, "name"),
        ({"bankAccount": "1234"}, "bankAccount"),
        ({"bankAccount": "RS35-2600-0560"}, "bankAccount"),
        ({"bankAccount": "X" * 35}, "bankAccount"),
        ({"bankAccount": "RS36260005601001611379"}, "bankAccount"),  # wrong IBAN check digits
        ({"bankAccount": "PL61109010140000071219812874"}, "bankAccount"),  # not a Serbian IBAN
        ({"bankAccount": "RS3526000560100161137"}, "bankAccount"),  # too short for RS
        ({"bankName": "B" * 201}, "bankName"),
    ],
)
def test_recipient_rules_are_400(make_rest: MakeRest, change: dict[str, str], field: str) -> None:
    client, _ = signed_in(make_rest)
    response = client.post("/api/recipients", json={**SERBIA, **change})
    assert response.status_code == 400
    assert [d["field"] for d in response.json()["details"]] == [field]


def test_missing_recipient_fields_are_400(make_rest: MakeRest) -> None:
    client, _ = signed_in(make_rest)
    response = client.post("/api/recipients", json={"name": "Ana"})
    assert response.status_code == 400
    assert [d["field"] for d in response.json()["details"]] == [
        "country",
        "currency",
        "bankAccount",
    ]


def test_other_users_recipients_are_404(make_rest: MakeRest) -> None:
    owner, _ = signed_in(make_rest)
    recipient = add_recipient(owner)
    stranger, _ = signed_in(make_rest)
    assert stranger.delete(f"/api/recipients/{recipient['id']}").status_code == 404
    assert stranger.get("/api/recipients").json()["data"] == []


def test_rates_are_public_and_seeded(make_rest: MakeRest) -> None:
    client = make_rest()
    response = client.get("/api/rates")
    assert response.status_code == 200
    data = response.json()["data"]
    assert data["baseCurrency"] == "NOK" and data["updatedAt"]
    assert {k: v for k, v in data["rates"].items() if k != "EUR"} == {
        "RSD": 11.7,
        "BAM": 1.04,
        "PLN": 0.41,
        "PKR": 26.8,
        "TRY": 3.45,
    }
    one = client.get("/api/rates/rsd")
    assert one.status_code == 200
    assert {k: v for k, v in one.json()["data"].items() if k != "updatedAt"} == {
        "baseCurrency": "NOK",
        "currency": "RSD",
        "rate": 11.7,
        "fee": 0.005,
    }
    missing = client.get("/api/rates/xyz")
    assert (missing.status_code, missing.json()["error"]) == (404, "not_found")


def test_rates_are_limited_per_ip(make_rest: MakeRest) -> None:
    client = make_rest()
    # Envoy's bucket refills continuously (two tokens a second here), so a request or two past
    # the 120th may still find a token; the limit must bite right after.
    statuses = [client.get("/api/rates").status_code for _ in range(130)]
    assert statuses[:120] == [200] * 120
    assert 429 in statuses[120:]


def test_operators_update_rates_and_disclosure_follows(
    make_rest: MakeRest, drop_system: DropSystem, operator: Operator
) -> None:
    sender = customer(make_rest, operator)
    recipient = add_recipient(
        sender.client,
        {**SERBIA, "country": "TR", "currency": "TRY", "bankAccount": "TR330006100519786457841326"},
    )
    key = api_key(drop_system, "rates")
    updater = make_rest()
    try:
        updated = updater.put(
            "/api/admin/rates/try", json={"rate": 3.123456}, headers={"X-Api-Key": key}
        )
        assert updated.status_code == 200
        assert (
            updated.json()["data"]["rate"] == 3.123456
            and updated.json()["data"]["currency"] == "TRY"
        )
        quote = sender.client.post(
            "/api/transactions/disclosure",
            json={"type": "remittance", "amount": 1000, "recipientId": recipient["id"]},
        ).json()["data"]
        assert (quote["exchangeRate"], quote["receiveAmount"]) == (3.123456, 3123.46)
        for bad in ({"rate": 0}, {"rate": -1}, {}):
            assert (
                updater.put(
                    "/api/admin/rates/TRY", json=bad, headers={"X-Api-Key": key}
                ).status_code
                == 400
            )
        assert (
            updater.put(
                "/api/admin/rates/XYZ", json={"rate": 1}, headers={"X-Api-Key": key}
            ).status_code
            == 404
        )
        assert sender.client.put("/api/admin/rates/TRY", json={"rate": 1}).status_code == 403
        settlement_key = api_key(drop_system, "settlement")
        assert (
            updater.put(
                "/api/admin/rates/TRY", json={"rate": 1}, headers={"X-Api-Key": settlement_key}
            ).status_code
            == 403
        )
    finally:
        assert operator.client.put("/api/admin/rates/TRY", json={"rate": 3.45}).status_code == 200
