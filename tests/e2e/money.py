"""Helpers for the money tests: KYC-approved users with linked accounts, recipients, merchants."""

from __future__ import annotations

import time
from dataclasses import dataclass
from decimal import Decimal

import httpx
from sqlalchemy import create_engine, text

from drop_server.db.engine import sqlalchemy_url
from tests.conftest import DropSystem
from tests.e2e.helpers import MakeRest, api_key, signed_in

SERBIA = {
    "name": "Jelena Petrović",
    "country": "RS",
    "currency": "RSD",
    "bankAccount": "RS35260005601001611379",
    "bankName": "Banca Intesa",
}
POLAND = {
    "name": "Anna Kowalska",
    "country": "PL",
    "currency": "PLN",
    "bankAccount": "PL61109010140000071219812874",
}


@dataclass
class Customer:
    client: httpx.Client
    user: dict[str, object]
    account: dict[str, object]


class Operator:
    """Admin actions through the REST API with an admin API key, and direct database access
    for what no API may do (setting a balance the bank would report)."""

    def __init__(self, make_rest: MakeRest, drop_system: DropSystem) -> None:
        self.system = drop_system
        self.client = make_rest()
        self.client.headers["X-Api-Key"] = api_key(drop_system, "admin")
        self.engine = create_engine(sqlalchemy_url(drop_system.database_url))

    def __enter__(self) -> Operator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.engine.dispose()

    def approve(self, user_id: object) -> None:
        response = self.client.patch(f"/api/admin/users/{user_id}", json={"kycStatus": "approved"})
        assert response.status_code == 200, response.text

    def settle(self, tx_id: object, outcome: str) -> httpx.Response:
        return self.client.post(
            f"/api/admin/transactions/{tx_id}/settle", json={"outcome": outcome}
        )

    def sql(self, statement: str, **params: object) -> list[tuple[object, ...]]:
        with self.engine.begin() as connection:
            result = connection.execute(text(statement), params)
            return [tuple(row) for row in result] if result.returns_rows else []

    def set_balance(self, account_id: object, balance: str) -> None:
        self.sql(
            "UPDATE bank_accounts SET balance = :b WHERE id = :id",
            b=Decimal(balance),
            id=account_id,
        )

    def balance(self, account_id: object) -> Decimal:
        return Decimal(
            str(self.sql("SELECT balance FROM bank_accounts WHERE id = :id", id=account_id)[0][0])
        )

    def set_flag(self, name: str, enabled: bool) -> None:
        self.sql("UPDATE feature_flags SET enabled = :e WHERE name = :n", e=enabled, n=name)
        time.sleep(1.2)  # the workers' flag cache lives one second


def customer(
    make_rest: MakeRest, operator: Operator, *, kyc: bool = True, bank: str | None = "DNB"
) -> Customer:
    client, user = signed_in(make_rest)
    if kyc:
        operator.approve(user["id"])
    account: dict[str, object] = {}
    if bank is not None:
        linked = client.post("/api/bank-accounts", json={"bankName": bank})
        assert linked.status_code == 201, linked.text
        account = linked.json()["data"]["accounts"][0]
    return Customer(client, user, account)


def add_recipient(client: httpx.Client, body: dict[str, str] | None = None) -> dict[str, object]:
    response = client.post("/api/recipients", json=body or SERBIA)
    assert response.status_code == 201, response.text
    return response.json()["data"]


def merchant(make_rest: MakeRest, operator: Operator) -> tuple[Customer, dict[str, object]]:
    owner = customer(make_rest, operator)
    org = valid_org_number()
    response = owner.client.post(
        "/api/merchants/register",
        json={
            "businessName": "Kaffebar AS",
            "orgNumber": org,
            "address": "Storgata 1, 0155 Oslo",
            "bankAccount": "15036326783",
        },
    )
    assert response.status_code == 201, response.text
    return owner, response.json()["data"]


_org_counter = [10_000_000]


def valid_org_number() -> str:
    """A fresh organisation number with a valid MOD11 check digit."""
    import os

    from drop_server.domain.account_numbers import mod11_check_digit
    from drop_server.domain.organizations import ORG_WEIGHTS

    while True:
        _org_counter[0] += 1
        body = f"{(_org_counter[0] * 7919 + os.getpid() * 104729) % 90_000_000 + 10_000_000:08d}"
        check = mod11_check_digit(body, ORG_WEIGHTS)
        if check is not None:
            return body + str(check)
