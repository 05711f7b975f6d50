"""Cards through Envoy: every route 404 with its flag off, and the contract with them on."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import DropSystem
from tests.e2e.helpers import MakeRest, api_key, signed_in
from tests.e2e.money import Operator
from tests.support.envelopes import envelope_of

FLAGS = ("cards", "physicalCards", "cardPin", "spendingLimits")
ROUTES = [
    ("GET", "/api/cards", None),
    ("POST", "/api/cards", {}),
    ("GET", "/api/cards/card_0000000000000000", None),
    ("PATCH", "/api/cards/card_0000000000000000", {"status": "frozen"}),
    ("DELETE", "/api/cards/card_0000000000000000", None),
    ("POST", "/api/cards/card_0000000000000000/physical", {"address": "Storgata 1, 0155 Oslo"}),
    ("POST", "/api/cards/card_0000000000000000/pin", {"pin": "4831"}),
    ("GET", "/api/cards/card_0000000000000000/limits", None),
    ("PUT", "/api/cards/card_0000000000000000/limits", {"limitType": "daily", "amount": 500}),
]


def set_flags(operator: Operator, enabled: bool, names: tuple[str, ...] = FLAGS) -> None:
    for name in names:
        response = operator.client.put(
            f"/api/admin/feature-flags/{name}", json={"enabled": enabled}
        )
        assert response.status_code == 200
    operator.set_flag(names[0], enabled)  # and wait out the workers' flag cache


@pytest.fixture
def cards_on(operator: Operator) -> Iterator[Operator]:
    set_flags(operator, True)
    try:
        yield operator
    finally:
        set_flags(operator, False)


def test_with_the_flags_off_every_card_route_is_a_missing_route(
    make_rest: MakeRest, drop_system: DropSystem
) -> None:
    user, _ = signed_in(make_rest)
    anonymous = make_rest()
    machine = make_rest()
    machine.headers["X-Api-Key"] = api_key(drop_system, "admin")
    missing = envelope_of(anonymous.get("/api/no-such-route"))
    for client in (user, anonymous, machine):
        assert envelope_of(client.get("/api/no-such-route")) == missing
        for method, path, body in ROUTES:
            response = client.request(method, path, json=body)
            assert response.status_code == 404, (method, path)
            assert envelope_of(response) == missing


def test_card_lifecycle(make_rest: MakeRest, cards_on: Operator) -> None:
    client, _ = signed_in(make_rest)
    created = client.post("/api/cards", json={})
    assert created.status_code == 201
    card = created.json()["data"]
    assert set(card) == {
        "id",
        "type",
        "status",
        "number",
        "cvv",
        "last4",
        "expiryMonth",
        "expiryYear",
        "createdAt",
    }
    assert card["id"].startswith("card_") and (card["type"], card["status"], card["cvv"]) == (
        "virtual",
        "active",
        "---",
    )
    assert card["number"] == f"---- ---- ---- {card['last4']}" and len(card["last4"]) == 4
    assert 1 <= card["expiryMonth"] <= 12 and card["expiryYear"] >= 2026

    assert client.get(f"/api/cards/{card['id']}").json()["data"] == card
    frozen = client.patch(f"/api/cards/{card['id']}", json={"status": "frozen"})
    assert frozen.json()["data"]["status"] == "frozen"
    assert (
        client.patch(f"/api/cards/{card['id']}", json={"status": "active"}).json()["data"]["status"]
        == "active"
    )
    assert client.patch(f"/api/cards/{card['id']}", json={"status": "cancelled"}).status_code == 400

    physical = client.post("/api/cards", json={"type": "physical"})
    assert physical.status_code == 201 and physical.json()["data"]["type"] == "physical"
    assert client.post("/api/cards", json={"type": "metal"}).status_code == 400
    assert [c["id"] for c in client.get("/api/cards").json()["data"]] == [
        card["id"],
        physical.json()["data"]["id"],
    ]

    cancelled = client.delete(f"/api/cards/{card['id']}")
    assert cancelled.status_code == 200 and cancelled.json()["data"]["status"] == "cancelled"
    assert [c["id"] for c in client.get("/api/cards").json()["data"]] == [
        physical.json()["data"]["id"]
    ]
    assert client.get(f"/api/cards/{card['id']}").json()["data"]["status"] == "cancelled"
    for method, path, body in (
        ("PATCH", "", {"status": "frozen"}),
        ("DELETE", "", None),
        ("POST", "/physical", {"address": "Storgata 1, 0155 Oslo"}),
        ("POST", "/pin", {"pin": "4831"}),
        ("PUT", "/limits", {"limitType": "daily", "amount": 100}),
    ):
        response = client.request(method, f"/api/cards/{card['id']}{path}", json=body)
        assert response.status_code == 400, (method, path)
        assert response.json()["message"] == "This card is cancelled"


def test_physical_orders(make_rest: MakeRest, cards_on: Operator) -> None:
    client, _ = signed_in(make_rest)
    card = client.post("/api/cards", json={}).json()["data"]
    short = client.post(f"/api/cards/{card['id']}/physical", json={"address": "Oslo"})
    assert short.status_code == 400 and short.json()["details"][0]["field"] == "address"
    ordered = client.post(
        f"/api/cards/{card['id']}/physical", json={"address": "  Storgata 1, 0155 Oslo  "}
    )
    assert ordered.status_code == 201
    data = ordered.json()["data"]
    assert (data["cardId"], data["address"], data["status"]) == (
        card["id"],
        "Storgata 1, 0155 Oslo",
        "ordered",
    )
    again = client.post(
        f"/api/cards/{card['id']}/physical", json={"address": "Storgata 1, 0155 Oslo"}
    )
    assert (again.status_code, again.json()["error"]) == (409, "conflict")
    physical = client.post("/api/cards", json={"type": "physical"}).json()["data"]
    assert (
        client.post(
            f"/api/cards/{physical['id']}/physical", json={"address": "Storgata 1, 0155 Oslo"}
        ).status_code
        == 400
    )


PINS = [
    ("4831", True),
    ("0000", False),
    ("7777", False),
    ("1234", False),
    ("9876", False),
    ("123", False),
    ("12345", False),
    ("12a4", False),
    ("٤٨٣١", False),
]


def test_pins(make_rest: MakeRest, cards_on: Operator) -> None:
    client, _ = signed_in(make_rest)
    card = client.post("/api/cards", json={}).json()["data"]
    for pin, ok in PINS:
        response = client.post(f"/api/cards/{card['id']}/pin", json={"pin": pin})
        if ok:
            assert response.status_code == 200
            assert envelope_of(response) == {"data": {"cardId": card["id"], "pinSet": True}}
            stored = cards_on.sql("SELECT pin_hash FROM cards WHERE id = :id", id=card["id"])[0][0]
            assert str(stored).startswith("$2b$") and pin not in str(stored)
        else:
            assert response.status_code == 400, pin
            assert response.json()["details"][0]["field"] == "pin"


def test_spending_limits(make_rest: MakeRest, cards_on: Operator) -> None:
    client, _ = signed_in(make_rest)
    card = client.post("/api/cards", json={}).json()["data"]
    assert client.get(f"/api/cards/{card['id']}/limits").json() == {"data": []}
    daily = client.put(
        f"/api/cards/{card['id']}/limits", json={"limitType": "daily", "amount": 500}
    )
    assert daily.status_code == 200 and daily.json()["data"]["amount"] == 500
    client.put(
        f"/api/cards/{card['id']}/limits", json={"limitType": "transaction", "amount": 250.5}
    )
    client.put(f"/api/cards/{card['id']}/limits", json={"limitType": "daily", "amount": 800})
    limits = client.get(f"/api/cards/{card['id']}/limits").json()["data"]
    assert [(limit["limitType"], limit["amount"]) for limit in limits] == [
        ("daily", 800),
        ("transaction", 250.5),
    ]
    for body in (
        {"limitType": "yearly", "amount": 5},
        {"limitType": "daily", "amount": 0},
        {"limitType": "daily", "amount": -5},
        {"limitType": "daily", "amount": 1.001},
        {"limitType": "daily"},
    ):
        assert client.put(f"/api/cards/{card['id']}/limits", json=body).status_code == 400


def test_each_flag_guards_its_own_routes(make_rest: MakeRest, cards_on: Operator) -> None:
    client, _ = signed_in(make_rest)
    card = client.post("/api/cards", json={}).json()["data"]
    set_flags(cards_on, False, ("physicalCards", "cardPin", "spendingLimits"))
    assert (
        client.post(
            f"/api/cards/{card['id']}/physical", json={"address": "Storgata 1, 0155 Oslo"}
        ).status_code
        == 404
    )
    assert client.post(f"/api/cards/{card['id']}/pin", json={"pin": "4831"}).status_code == 404
    assert client.get(f"/api/cards/{card['id']}/limits").status_code == 404
    assert client.post("/api/cards", json={"type": "physical"}).status_code == 400
    assert client.get(f"/api/cards/{card['id']}").status_code == 200


def test_other_users_cards_are_404(make_rest: MakeRest, cards_on: Operator) -> None:
    owner, _ = signed_in(make_rest)
    card = owner.post("/api/cards", json={}).json()["data"]
    stranger, _ = signed_in(make_rest)
    for method, suffix, body in (
        ("GET", "", None),
        ("PATCH", "", {"status": "frozen"}),
        ("DELETE", "", None),
        ("POST", "/physical", {"address": "Storgata 1, 0155 Oslo"}),
        ("POST", "/pin", {"pin": "4831"}),
        ("GET", "/limits", None),
        ("PUT", "/limits", {"limitType": "daily", "amount": 100}),
    ):
        assert (
            stranger.request(method, f"/api/cards/{card['id']}{suffix}", json=body).status_code
            == 404
        ), (method, suffix)
    assert stranger.get("/api/cards").json() == {"data": []}
    assert owner.get(f"/api/cards/{card['id']}").json()["data"]["status"] == "active"
