"""Value rules are declared once, in `(drop.v1.rules)`: the services validate with them and the
OpenAPI document shows the same values."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from drop.v1 import settings_pb2
from drop_server.field_rules import allowed, json_schema, rules
from drop_server.services import cards, complaints, consents, notifications, user_settings

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = json.loads((ROOT / "gen" / "openapi.json").read_text())["components"]["schemas"]


def _property(schema: str, field: str) -> dict:  # type: ignore[type-arg]
    found = dict(SCHEMAS[schema]["properties"][field])
    if "enum" in found:  # optional fields also accept null (protobuf JSON: not set)
        found["enum"] = [value for value in found["enum"] if value is not None]
    return found


def test_services_and_openapi_read_the_same_rules() -> None:
    assert list(user_settings.CURRENCIES) == _property("UpdateSettingsRequest", "currency")["enum"]
    assert list(user_settings.LANGUAGES) == _property("UpdateSettingsRequest", "language")["enum"]
    assert list(consents.CONSENT_TYPES) == _property("RecordConsentRequest", "consentType")["enum"]
    assert list(complaints.CATEGORIES) == _property("CreateComplaintRequest", "category")["enum"]
    assert _property("CreateComplaintRequest", "subject")["maxLength"] == complaints.MAX_SUBJECT
    assert (
        _property("CreateComplaintRequest", "description")["maxLength"]
        == complaints.MAX_DESCRIPTION
    )
    ids = _property("MarkNotificationsReadRequest", "notificationIds")
    assert notifications.NOTIFICATION_ID.pattern == ids["items"]["pattern"]
    assert ids["maxItems"] == notifications.MAX_IDS
    assert list(cards.LIMIT_TYPES) == _property("SetCardLimitRequest", "limitType")["enum"]
    amount = _property("SetCardLimitRequest", "amount")
    assert Decimal(amount["maximum"]) == cards.MAX_LIMIT and amount["exclusiveMinimum"] == 0


def test_patterns_match_whole_values_like_json_schema() -> None:
    assert notifications.NOTIFICATION_ID.fullmatch("noti_0123456789abcdef")
    assert not notifications.NOTIFICATION_ID.fullmatch("noti_0123456789abcdef\n")


def test_json_schema_keywords() -> None:
    currency = rules(settings_pb2.UpdateSettingsRequest, "currency")
    assert json_schema(currency, repeated=False) == ({"enum": list(currency.allowed)}, {})
    assert allowed(settings_pb2.UpdateSettingsRequest, "language") == ("nb", "en", "bs", "sq")


def test_optional_request_fields_accept_null_and_required_ones_do_not() -> None:
    settings = SCHEMAS["UpdateSettingsRequest"]["properties"]
    assert settings["emailEnabled"]["type"] == ["boolean", "null"]
    assert None in settings["currency"]["enum"]
    consent = SCHEMAS["RecordConsentRequest"]["properties"]["consentType"]
    assert consent["type"] == "string" and None not in consent["enum"]


def test_page_sizes_come_from_the_protos_and_show_in_openapi() -> None:
    from drop_server.services import admin_users

    paths = json.loads((ROOT / "gen" / "openapi.json").read_text())["paths"]
    limits = {
        "/api/transactions": 50,
        "/api/recipients": 50,
        "/api/merchants/transactions": 50,
        "/api/notifications": 100,
        "/api/complaints": 100,
        "/api/admin/complaints": 100,
        "/api/admin/users": 100,
    }
    for path, most in limits.items():
        parameters = {p["name"]: p["schema"] for p in paths[path]["get"]["parameters"]}
        assert parameters["limit"]["minimum"] == 1 and parameters["limit"]["maximum"] == most
        assert parameters["page"]["minimum"] == 1
    assert admin_users.MAX_LIMIT == 100


def test_filter_values_match_the_domain() -> None:
    from drop_server.domain.payments import PaymentType, TransactionStatus
    from drop_server.domain.users import KycStatus, Role
    from drop_server.services import admin_users

    assert set(admin_users.FILTERS["role"]) == {role.value for role in Role}
    assert set(admin_users.FILTERS["kycStatus"]) == {status.value for status in KycStatus}
    assert list(admin_users.FILTERS["sortBy"]) == list(admin_users.SORT_COLUMNS)
    assert admin_users.MIN_SEARCH_LENGTH == 2
    transactions = json.loads((ROOT / "gen" / "openapi.json").read_text())["paths"][
        "/api/transactions"
    ]["get"]["parameters"]
    schemas = {p["name"]: p["schema"] for p in transactions}
    assert set(schemas["type"]["enum"]) == {kind.value for kind in PaymentType}
    assert set(schemas["status"]["enum"]) == {status.value for status in TransactionStatus}


def test_complaint_statuses_are_one_list() -> None:
    from drop.v1 import admin_pb2

    assert complaints.STATUSES == ("received", "in_review", "resolved")
    assert allowed(admin_pb2.ListAllComplaintsRequest, "status") == complaints.STATUSES
    assert set(complaints.NEXT_STATUS) == set(complaints.STATUSES)
