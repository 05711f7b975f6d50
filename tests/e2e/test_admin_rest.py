"""Admin user routes through Envoy: access, filters, pagination, updates, errors."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.conftest import DropSystem, registration
from tests.e2e.helpers import MakeRest, admin_client, api_key, signed_in
from tests.support.envelopes import envelope_of


@pytest.fixture(scope="module")
def tag() -> str:
    """A surname only this module's users carry, so searches see only them."""
    return "Tagg" + uuid.uuid4().hex[:8]


@pytest.fixture
def admin(make_rest: MakeRest, drop_system: DropSystem) -> httpx.Client:
    return admin_client(make_rest, drop_system)


def test_admin_routes_need_credentials(rest: httpx.Client) -> None:
    response = rest.get("/api/admin/users")
    assert response.status_code == 401
    assert response.json()["error"] == "unauthorized"


def test_plain_users_are_forbidden(make_rest: MakeRest) -> None:
    client, user = signed_in(make_rest)
    for response in (
        client.get("/api/admin/users"),
        client.get(f"/api/admin/users/{user['id']}"),
        client.patch(f"/api/admin/users/{user['id']}", json={"role": "admin"}),
    ):
        assert response.status_code == 403
        assert envelope_of(response) == {
            "error": "forbidden",
            "message": "Your role or key does not allow this",
            "details": [],
        }


def test_list_search_filters_and_pagination(
    make_rest: MakeRest, admin: httpx.Client, tag: str
) -> None:
    created = []
    for first in ("Ada", "Bo", "Cleo"):
        _, user = signed_in(make_rest, firstName=first, lastName=tag)
        created.append(user)

    page = admin.get(
        "/api/admin/users",
        params={"search": tag.lower(), "limit": 2, "sortBy": "email", "order": "asc"},
    )
    assert page.status_code == 200
    body = page.json()
    assert body["pagination"] == {
        "page": 1,
        "limit": 2,
        "total": 3,
        "totalPages": 2,
        "hasNext": True,
        "hasPrev": False,
    }
    emails = sorted(str(u["email"]) for u in created)
    assert [u["email"] for u in body["data"]] == emails[:2]
    second = admin.get(
        "/api/admin/users",
        params={"search": tag, "limit": 2, "page": 2, "sortBy": "email", "order": "asc"},
    ).json()
    assert [u["email"] for u in second["data"]] == emails[2:]
    assert second["pagination"]["hasPrev"] is True and second["pagination"]["hasNext"] is False

    item = body["data"][0]
    assert set(item) == {
        "id",
        "email",
        "firstName",
        "lastName",
        "phone",
        "dateOfBirth",
        "role",
        "kycStatus",
        "createdAt",
        "bankidLinked",
    }
    assert item["role"] == "user" and item["kycStatus"] == "pending"
    assert item["bankidLinked"] is False

    by_name = admin.get("/api/admin/users", params={"search": f"Cleo {tag}"}).json()
    assert [u["firstName"] for u in by_name["data"]] == ["Cleo"]


def test_list_defaults_newest_first(make_rest: MakeRest, admin: httpx.Client, tag: str) -> None:
    signed_in(make_rest, lastName=tag + "x")
    signed_in(make_rest, lastName=tag + "x")
    body = admin.get("/api/admin/users", params={"search": tag + "x"}).json()
    stamps = [u["createdAt"] for u in body["data"]]
    assert stamps == sorted(stamps, reverse=True)
    assert body["pagination"]["limit"] == 20


def test_update_kyc_and_role_then_filter(
    make_rest: MakeRest, admin: httpx.Client, tag: str
) -> None:
    client, user = signed_in(make_rest, lastName=tag + "k")
    response = admin.patch(
        f"/api/admin/users/{user['id']}", json={"kycStatus": "approved", "role": "merchant"}
    )
    assert response.status_code == 200
    data = response.json()["data"]
    assert (data["id"], data["kycStatus"], data["role"]) == (user["id"], "approved", "merchant")
    assert admin.get(f"/api/admin/users/{user['id']}").json()["data"]["kycStatus"] == "approved"
    # The role applies to the user's existing session at once.
    assert client.get("/api/auth/me").json()["data"]["role"] == "merchant"
    filtered = admin.get(
        "/api/admin/users",
        params={"search": tag + "k", "kycStatus": "approved", "role": "merchant"},
    )
    assert [u["id"] for u in filtered.json()["data"]] == [user["id"]]


def test_unknown_user_is_404(admin: httpx.Client) -> None:
    for response in (
        admin.get("/api/admin/users/usr_0000000000000000"),
        admin.patch("/api/admin/users/usr_0000000000000000", json={"kycStatus": "approved"}),
    ):
        assert response.status_code == 404
        assert envelope_of(response) == {
            "error": "not_found",
            "message": "User not found",
            "details": [],
        }


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
        ({"page": 0}, "page"),
        ({"search": "a"}, "search"),
        ({"role": "root"}, "role"),
        ({"kycStatus": "maybe"}, "kycStatus"),
        ({"sortBy": "password"}, "sortBy"),
        ({"order": "up"}, "order"),
    ],
)
def test_bad_list_parameters_are_400_with_the_field(
    admin: httpx.Client, params: dict[str, object], field: str
) -> None:
    response = admin.get("/api/admin/users", params=params)
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "bad_request"
    assert [d["field"] for d in body["details"]] == [field]


def test_limit_100_is_allowed(admin: httpx.Client) -> None:
    assert admin.get("/api/admin/users", params={"limit": 100}).status_code == 200


def test_bad_update_is_400(make_rest: MakeRest, admin: httpx.Client) -> None:
    _, user = signed_in(make_rest)
    bad_value = admin.patch(f"/api/admin/users/{user['id']}", json={"kycStatus": "done"})
    assert bad_value.status_code == 400
    assert bad_value.json()["details"] == [
        {"field": "kycStatus", "message": "Must be one of: pending, approved, rejected"}
    ]
    empty = admin.patch(f"/api/admin/users/{user['id']}", json={})
    assert empty.status_code == 400


def test_api_key_with_admin_scope_is_accepted(make_rest: MakeRest, drop_system: DropSystem) -> None:
    _, user = signed_in(make_rest)
    key = api_key(drop_system, "admin")
    response = make_rest().get(f"/api/admin/users/{user['id']}", headers={"X-Api-Key": key})
    assert response.status_code == 200
    assert response.json()["data"]["email"] == user["email"]


def test_api_key_with_other_scope_is_forbidden(
    make_rest: MakeRest, drop_system: DropSystem
) -> None:
    key = api_key(drop_system, "rates")
    response = make_rest().get("/api/admin/users", headers={"X-Api-Key": key})
    assert response.status_code == 403


def test_api_key_cannot_act_as_a_user(make_rest: MakeRest, drop_system: DropSystem) -> None:
    key = api_key(drop_system, "admin")
    response = make_rest().get("/api/auth/me", headers={"X-Api-Key": key})
    assert response.status_code == 403


def test_unknown_api_key_is_401(rest: httpx.Client) -> None:
    response = rest.get("/api/admin/users", headers={"X-Api-Key": "drop_not-a-real-key"})
    assert response.status_code == 401


def test_promote_unknown_email_fails_cleanly(drop_system: DropSystem) -> None:
    result = drop_system.drop("admin", "promote", registration()["email"])  # type: ignore[arg-type]
    assert result.returncode == 1
    assert "User not found" in result.stderr
