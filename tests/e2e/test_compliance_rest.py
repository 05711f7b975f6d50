"""Settings, consents, complaints, GDPR export and erasure, feature flags through Envoy."""

from __future__ import annotations

import re

import pytest

from tests.conftest import DropSystem
from tests.e2e.helpers import MakeRest, api_key, signed_in
from tests.e2e.money import Operator, add_recipient, customer
from tests.support.envelopes import envelope_of

TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")


def test_settings_defaults_and_updates(make_rest: MakeRest) -> None:
    client, _ = signed_in(make_rest)
    assert client.get("/api/settings").json() == {
        "data": {"currency": "NOK", "language": "nb", "pushEnabled": True, "emailEnabled": True}
    }
    changed = client.patch("/api/settings", json={"language": "bs", "pushEnabled": False})
    assert changed.status_code == 200
    assert envelope_of(changed) == {
        "data": {"currency": "NOK", "language": "bs", "pushEnabled": False, "emailEnabled": True}
    }
    assert client.get("/api/settings").json()["data"]["language"] == "bs"
    bad = client.patch("/api/settings", json={"currency": "SEK", "language": "de"})
    assert bad.status_code == 400
    assert [d["field"] for d in bad.json()["details"]] == ["currency", "language"]
    wrong_type = client.patch("/api/settings", json={"pushEnabled": 1})
    assert wrong_type.status_code == 400  # booleans are true/false, never 1/0
    assert wrong_type.json()["details"][0]["field"] == "pushEnabled"


def test_consents_are_recorded_with_history_and_ip(make_rest: MakeRest, operator: Operator) -> None:
    client, user = signed_in(make_rest)
    ip = str(client._transport._pool._local_address)  # type: ignore[attr-defined]
    assert client.get("/api/consents").json() == {"data": []}
    first = client.post(
        "/api/consents",
        json={"consentType": "marketing", "granted": True},
        headers={"X-Forwarded-For": "6.6.6.6"},
    )
    assert first.status_code == 201
    consent = first.json()["data"]
    assert set(consent) == {"id", "user_id", "consent_type", "granted", "granted_at", "ip_address"}
    assert (
        consent["user_id"],
        consent["consent_type"],
        consent["granted"],
        consent["ip_address"],
    ) == (user["id"], "marketing", True, ip)
    assert consent["id"].startswith("con_") and TIME.match(consent["granted_at"])

    withdrawn = client.post("/api/consents", json={"consentType": "marketing", "granted": False})
    assert withdrawn.status_code == 200
    assert withdrawn.json()["data"]["granted"] is False and TIME.match(
        withdrawn.json()["data"]["withdrawn_at"]
    )
    client.post("/api/consents", json={"consentType": "terms", "granted": True})
    listed = client.get("/api/consents").json()["data"]
    assert [(c["consent_type"], c["granted"]) for c in listed] == [
        ("marketing", False),
        ("terms", True),
    ]
    history = operator.sql(
        "SELECT e.granted, e.ip_address FROM consent_events e"
        " JOIN consents c ON c.id = e.consent_id "
        "WHERE c.user_id = :u AND c.consent_type = 'marketing' ORDER BY e.id",
        u=user["id"],
    )
    assert history == [(True, ip), (False, ip)]

    for body in (
        {"consentType": "spam", "granted": True},
        {"granted": True},
        {"consentType": "terms"},
    ):
        assert client.post("/api/consents", json=body).status_code == 400


def test_complaints_flow_with_deadline_and_notification(
    make_rest: MakeRest, operator: Operator
) -> None:
    client, _ = signed_in(make_rest)
    filed = client.post(
        "/api/complaints",
        json={
            "category": "fees",
            "subject": "Fee too high",
            "description": "I was charged <b>twice</b>.",
        },
    )
    assert filed.status_code == 201
    body = filed.json()
    assert (
        body["commitmentNote"]
        == "We will review and respond to your complaint within 15 business days "
        "per Finansavtaleloven §3-53"
    )
    data = body["data"]
    assert (data["category"], data["subject"], data["description"], data["status"]) == (
        "fees",
        "Fee too high",
        "I was charged <b>twice</b>.",
        "received",
    )
    assert (
        data["id"].startswith("cmp_")
        and TIME.match(data["created_at"])
        and re.match(r"^\d{4}-\d{2}-\d{2}$", data["respond_by"])
    )

    listed = client.get("/api/complaints").json()
    assert listed["pagination"]["limit"] == 10 and listed["data"][0]["id"] == data["id"]
    assert "resolution" not in listed["data"][0] and "resolved_at" not in listed["data"][0]

    admin = operator.client
    assert (
        admin.patch(f"/api/admin/complaints/{data['id']}", json={"status": "resolved"}).status_code
        == 400
    )
    reviewing = admin.patch(f"/api/admin/complaints/{data['id']}", json={"status": "in_review"})
    assert reviewing.status_code == 200 and reviewing.json()["data"]["status"] == "in_review"
    resolved = admin.patch(
        f"/api/admin/complaints/{data['id']}",
        json={"status": "resolved", "resolution": "Refunded the second fee."},
    )
    assert resolved.status_code == 200
    assert resolved.json()["data"]["resolution"] == "Refunded the second fee." and TIME.match(
        resolved.json()["data"]["resolved_at"]
    )
    back = admin.patch(f"/api/admin/complaints/{data['id']}", json={"status": "in_review"})
    assert (back.status_code, back.json()["error"]) == (409, "conflict")
    assert (
        admin.patch(
            "/api/admin/complaints/cmp_0000000000000000", json={"status": "in_review"}
        ).status_code
        == 404
    )
    assert (
        client.patch(
            f"/api/admin/complaints/{data['id']}", json={"status": "in_review"}
        ).status_code
        == 403
    )
    note = client.get("/api/notifications").json()["data"][0]
    assert note["type"] == "complaint_resolved" and note["body"] == "Refunded the second fee."
    mine = client.get("/api/complaints").json()["data"][0]
    assert mine["status"] == "resolved" and mine["resolution"] == "Refunded the second fee."

    overdue_id = client.post(
        "/api/complaints",
        json={"category": "service", "subject": "Slow", "description": "Still waiting"},
    ).json()["data"]["id"]
    operator.sql(
        "UPDATE complaints SET respond_by = current_date - 1 WHERE id = :id", id=overdue_id
    )
    overdue = admin.get("/api/admin/complaints", params={"overdue": "true", "limit": 100}).json()[
        "data"
    ]
    assert overdue_id in [c["id"] for c in overdue] and data["id"] not in [c["id"] for c in overdue]
    assert all(c["user_id"] for c in overdue)
    assert admin.get("/api/admin/complaints", params={"status": "closed"}).status_code == 400


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"category": "weather", "subject": "x", "description": "y"}, "category"),
        ({"category": "fees", "subject": "   ", "description": "y"}, "subject"),
        ({"category": "fees", "subject": "x" * 201, "description": "y"}, "subject"),
        ({"category": "fees", "subject": "x", "description": ""}, "description"),
        ({"category": "fees", "subject": "x", "description": "y" * 2001}, "description"),
        ({"subject": "x", "description": "y"}, "category"),
    ],
)
def test_bad_complaints_are_400(make_rest: MakeRest, body: dict[str, str], field: str) -> None:
    client, _ = signed_in(make_rest)
    response = client.post("/api/complaints", json=body)
    assert response.status_code == 400
    assert [d["field"] for d in response.json()["details"]] == [field]


def test_data_export_draws_every_section_from_the_tables(
    make_rest: MakeRest, operator: Operator
) -> None:
    person = customer(make_rest, operator)
    recipient = add_recipient(person.client)
    person.client.post(
        "/api/transactions/remittance", json={"recipientId": recipient["id"], "amount": 150}
    )
    person.client.post("/api/consents", json={"consentType": "privacy", "granted": True})
    person.client.patch("/api/settings", json={"currency": "EUR"})

    response = person.client.get("/api/user/data-export")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"data", "exportedAt"} and TIME.match(body["exportedAt"])
    data = body["data"]
    assert set(data) == {
        "user",
        "transactions",
        "recipients",
        "bankAccounts",
        "settings",
        "consents",
    }
    assert set(data["user"]) == {
        "id",
        "email",
        "first_name",
        "last_name",
        "phone",
        "date_of_birth",
        "kyc_status",
        "role",
        "created_at",
    }
    assert data["user"]["kyc_status"] == "approved"
    assert [t["amount"] for t in data["transactions"]] == [150] and data["transactions"][0][
        "receive_currency"
    ] == "RSD"
    assert data["recipients"][0]["bank_account"] == "*****1379"
    assert (
        data["bankAccounts"][0]["bank_name"] == "DNB"
        and "account_number" in data["bankAccounts"][0]
    )
    assert data["settings"] == {
        "currency": "EUR",
        "language": "nb",
        "push_enabled": True,
        "email_enabled": True,
    }
    assert [c["consent_type"] for c in data["consents"]] == ["privacy"]
    requests = operator.sql(
        "SELECT type, status FROM data_access_requests WHERE user_id = :u", u=person.user["id"]
    )
    assert requests == [("export", "completed")]


def test_account_deletion_ends_every_session_and_keeps_the_records(
    make_rest: MakeRest, operator: Operator
) -> None:
    person = customer(make_rest, operator)
    recipient = add_recipient(person.client)
    person.client.post(
        "/api/transactions/remittance", json={"recipientId": recipient["id"], "amount": 120}
    )
    cookie = person.client.cookies["drop_token"]

    deleted = person.client.delete("/api/user/account")
    assert deleted.status_code == 200
    assert envelope_of(deleted) == {
        "message": "Account scheduled for deletion",
        "retentionNote": "Data retained for 5 years per AML requirements",
    }
    stale = make_rest()
    stale.cookies.set("drop_token", cookie)
    for method, path in (
        ("GET", "/api/auth/me"),
        ("GET", "/api/transactions"),
        ("GET", "/api/settings"),
        ("GET", "/api/user/data-export"),
        ("DELETE", "/api/user/account"),
        ("POST", "/api/auth/refresh"),
    ):
        assert stale.request(method, path).status_code == 401, path
    login = make_rest().post(
        "/api/auth/login", json={"email": person.user["email"], "password": "Secret123"}
    )
    assert login.status_code == 401
    assert operator.sql(
        "SELECT count(*) FROM transactions WHERE user_id = :u", u=person.user["id"]
    ) == [(1,)]
    assert operator.sql(
        "SELECT type FROM data_access_requests WHERE user_id = :u", u=person.user["id"]
    ) == [("erasure",)]
    admin_view = operator.client.get(f"/api/admin/users/{person.user['id']}").json()["data"]
    assert TIME.match(admin_view["deletedAt"])


def test_feature_flags_admin(
    make_rest: MakeRest, drop_system: DropSystem, operator: Operator
) -> None:
    flags = operator.client.get("/api/admin/feature-flags").json()["data"]
    assert {f["name"]: f["enabled"] for f in flags} == {
        "notifications": True,
        "cards": False,
        "physicalCards": False,
        "cardPin": False,
        "spendingLimits": False,
    }
    client, _ = signed_in(make_rest)
    assert client.get("/api/admin/feature-flags").status_code == 403
    rates_key = api_key(drop_system, "rates")
    assert (
        make_rest().get("/api/admin/feature-flags", headers={"X-Api-Key": rates_key}).status_code
        == 403
    )
    try:
        off = operator.client.put("/api/admin/feature-flags/notifications", json={"enabled": False})
        assert off.status_code == 200 and off.json()["data"]["enabled"] is False
        operator.set_flag("notifications", False)  # waits out the workers' one-second cache
        missing = envelope_of(make_rest().get("/api/no-such-route"))
        callers = (client, make_rest(), operator.client)  # a user, anonymous, an API key
        for caller in callers:
            for method, path in (("GET", "/api/notifications"), ("PATCH", "/api/notifications")):
                answer = caller.request(method, path, json={} if method == "PATCH" else None)
                assert (answer.status_code, envelope_of(answer)) == (404, missing), (method, path)
    finally:
        assert (
            operator.client.put(
                "/api/admin/feature-flags/notifications", json={"enabled": True}
            ).status_code
            == 200
        )
        operator.set_flag("notifications", True)
    assert client.get("/api/notifications").status_code == 200
    assert (
        operator.client.put("/api/admin/feature-flags/teleport", json={"enabled": True}).status_code
        == 404
    )
    assert operator.client.put("/api/admin/feature-flags/cards", json={}).status_code == 400
