"""Keyset pagination (README "Performance"): `cursor` in, `nextCursor` out, beside page/limit,
for the transaction, merchant sales and notification lists."""

from __future__ import annotations

import httpx

from tests.e2e.helpers import MakeRest
from tests.e2e.money import Operator, customer, merchant


def _walk(client: httpx.Client, path: str) -> list[str]:
    """Every id of a list, two at a time by cursor."""
    ids: list[str] = []
    answer = client.get(path, params={"limit": 2}).json()
    while True:
        ids += [item["id"] for item in answer["data"]]
        if "nextCursor" not in answer:
            return ids
        assert answer["pagination"]["hasNext"]
        answer = client.get(path, params={"limit": 2, "cursor": answer["nextCursor"]}).json()
        assert answer["pagination"]["hasPrev"]


def test_cursor_pages_walk_every_list_once_in_order(
    make_rest: MakeRest, operator: Operator
) -> None:
    payer = customer(make_rest, operator)
    owner, shop = merchant(make_rest, operator)
    operator.set_flag("notifications", True)
    for amount in (11, 12, 13, 14, 15):
        paid = payer.client.post(
            "/api/transactions/qr-payment",
            json={"merchantId": shop["merchantId"], "amount": amount},
        )
        assert paid.status_code == 201

    for client, path in (
        (payer.client, "/api/transactions"),
        (owner.client, "/api/merchants/transactions"),
        (payer.client, "/api/notifications"),
    ):
        everything = client.get(path, params={"limit": 50}).json()
        assert "nextCursor" not in everything  # one page holds it all
        by_page = [item["id"] for item in everything["data"]]
        assert len(by_page) >= 5
        assert _walk(client, path) == by_page, path


def test_a_cursor_that_no_list_gave_is_a_400(make_rest: MakeRest, operator: Operator) -> None:
    payer = customer(make_rest, operator)
    answer = payer.client.get("/api/transactions", params={"cursor": "not-a-cursor!"})
    assert answer.status_code == 400
    assert answer.json()["details"][0]["field"] == "cursor"
