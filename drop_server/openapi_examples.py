"""Examples for the OpenAPI document, built from the values in the source documents.

The source documents (../shared/sources/) show examples such as Amir Bašić sending 2000 NOK to
"Mama Jasmina" in Serbia at 11.7 with a fee of 10, or a 129 NOK QR payment at "Ahmetov Kebab".
Those values are kept here once, by JSON field name, and every operation's request and success
response example is assembled from them along its schema: so each example has exactly the
fields the schema has (it cannot drift from the protos) and reads like the documents.
"""

from __future__ import annotations

from typing import Any

JSON = dict[str, Any]

WHEN = "2026-02-23T12:00:00.000Z"

# Field values from the source documents' examples (both revisions), by JSON name.
SOURCE_VALUES: dict[str, Any] = {
    "email": "amir@example.no",
    "password": "Secret123",
    "firstName": "Amir",
    "first_name": "Amir",
    "lastName": "Bašić",
    "last_name": "Bašić",
    "phone": "+4791234567",
    "dateOfBirth": "1990-04-12",
    "date_of_birth": "1990-04-12",
    "kycStatus": "approved",
    "kyc_status": "approved",
    "role": "user",
    "totalBalance": 58030.0,
    "bankName": "DNB",
    "bank_name": "DNB",
    "accountNumber": "1234.56.78901",
    "account_number": "1234.56.78901",
    "balance": 45230.0,
    "currency": "NOK",
    "isPrimary": True,
    "is_primary": True,
    "amount": 2000,
    "sendAmount": 2000,
    "sendCurrency": "NOK",
    "receiveAmount": 23400,
    "receive_amount": 23400,
    "receiveCurrency": "RSD",
    "receive_currency": "RSD",
    "exchangeRate": 11.7,
    "exchange_rate": 11.7,
    "rate": 11.7,
    "fee": 10,
    "fees": 1.29,
    "feePercent": 0.5,
    "feePercentage": 0.5,
    "total": 2010,
    "totalCost": 2010,
    "recipientName": "Mama Jasmina",
    "recipient_name": "Mama Jasmina",
    "recipientCountry": "Serbia",
    "country": "RS",
    "name": "Mama Jasmina",
    "bankAccount": "*****5678",
    "bank_account": "*****5678",
    "merchantName": "Ahmetov Kebab",
    "merchant_name": "Ahmetov Kebab",
    "businessName": "Ahmetov Kebab",
    "orgNumber": "923609016",
    "address": "Storgata 1, 0155 Oslo",
    "customerName": "Amir B.",
    "fromAccount": "DNB",
    "eta": "1-2 business days",
    "estimatedDelivery": "1-2 business days",
    "baseCurrency": "NOK",
    "rates": {"RSD": 11.7, "BAM": 1.04, "PLN": 0.41, "PKR": 26.8, "TRY": 3.45, "EUR": 0.089},
    "type": "remittance",
    "status": "completed",
    "totalCount": 3,
    "totalSent": 5000,
    "totalPaid": 129,
    "remittanceCount": 2,
    "qrPaymentCount": 1,
    "revenue": 129,
    "transactionCount": 1,
    "netRevenue": 127.71,
    "nextPayout": 127.71,
    "reference": "DROP-REM-A1B2C3",
    "title": "Money sent",
    "body": "2000 NOK to Mama Jasmina is on its way",
    "read": False,
    "updated": 2,
    "language": "nb",
    "pushEnabled": True,
    "push_enabled": True,
    "emailEnabled": True,
    "email_enabled": True,
    "consentType": "marketing",
    "consent_type": "marketing",
    "granted": True,
    "ip_address": "203.0.113.7",
    "category": "transaction",
    "subject": "Transfer to Serbia is late",
    "description": "My transfer of 2000 NOK has been processing for three days.",
    "resolution": "The receiving bank confirmed the payment on 2026-02-25.",
    "commitmentNote": "We will review and respond to your complaint within 15 business days "
    "per Finansavtaleloven §3-53",
    "message": "Logged out",
    "retentionNote": "Data retained for 5 years per AML requirements",
    "version": "0.1.0",
    "uptime": 3600.0,
    "latencyMs": 2,
    "driver": "pg",
    "mode": "development",
    "redirectUrl": "https://bankid.example/authorize?client_id=drop&response_type=code",
    "consentUrl": "https://bank.example/consent/abc",
    "qrValue": "drop://pay/mer_0123456789abcdef",
    "number": "---- ---- ---- 4242",
    "cvv": "---",
    "last4": "4242",
    "expiryMonth": 12,
    "expiryYear": 2029,
    "limitType": "daily",
    "pin": "5830",
    "pinSet": True,
    "enabled": True,
    "outcome": "completed",
    "token": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c3JfYTFiMmMzIn0.c2lnbmF0dXJl",
    "error": "validation_error",
    "field": "email",
    "page": 1,
    "limit": 20,
    "totalPages": 1,
    "hasNext": False,
    "hasPrev": False,
    "notificationIds": ["noti_0123456789abcdef"],
}
# Where the same JSON name means something else in another message.
BY_SCHEMA: dict[tuple[str, str], Any] = {
    ("Card", "type"): "virtual",
    ("Card", "status"): "active",
    ("CreateCardRequest", "type"): "virtual",
    ("UpdateCardRequest", "status"): "frozen",
    ("CardLimit", "amount"): 5000,
    ("SetCardLimitRequest", "amount"): 5000,
    ("QrPayment", "type"): "qr_payment",
    ("QrPayment", "amount"): 129,
    ("QrPayment", "fee"): 1.29,
    ("QrPayment", "feePercent"): 1,
    ("PayMerchantRequest", "amount"): 129,
    ("Remittance", "status"): "processing",
    ("Complaint", "status"): "received",
    ("FiledComplaint", "status"): "received",
    ("UpdateComplaintRequest", "status"): "resolved",
    ("Notification", "type"): "transaction",
    ("Health", "status"): "ok",
    ("DatabaseCheck", "status"): "pass",
    ("MerchantDashboard", "fees"): 1.29,
    ("FeatureFlag", "name"): "notifications",
    ("UpdateRateRequest", "rate"): 11.7,
    ("Webhook", "url"): "https://ahmetov-kebab.example.no/drop/webhooks",
    ("CreateWebhookRequest", "url"): "https://ahmetov-kebab.example.no/drop/webhooks",
    ("Webhook", "description"): "Kassa at Storgata 1",
    ("CreateWebhookRequest", "description"): "Kassa at Storgata 1",
    ("Webhook", "eventTypes"): ["payment.received"],
    ("CreateWebhookRequest", "eventTypes"): ["payment.received"],
    ("Webhook", "secret"): "whsec_3q2-7wZKkN0uXb5fJrT1yGvLmPcS8dHaE4iO6nQzU9Y",
    ("CreateWebhookRequest", "userId"): "usr_a1b2c3d4e5f60718",
    ("WebhookDelivery", "eventId"): "evt_1042",
    ("WebhookDelivery", "eventType"): "payment.received",
    ("WebhookDelivery", "status"): "delivered",
    ("WebhookDelivery", "attempts"): 2,
    ("WebhookDelivery", "lastStatusCode"): 200,
    ("WebhookDelivery", "lastError"): "HTTP 500",
}
# Error examples by status, with the contract's codes and the server's messages.
ERROR_EXAMPLES: dict[str, tuple[str, str]] = {
    "400": ("bad_request", "Missing required fields"),
    "401": ("unauthorized", "Authentication required"),
    "402": ("insufficient_balance", "Insufficient balance"),
    "403": ("forbidden", "Admin access required"),
    "404": ("not_found", "Resource not found"),
    "409": ("conflict", "An account with this email already exists"),
    "410": ("gone", "Password login has been retired; sign in with BankID"),
    "422": ("validation_error", "Validation failed"),
    "429": ("rate_limited", "Too many requests, try again later"),
    "500": ("internal_error", "Internal server error"),
    "503": ("service_unavailable", "Service temporarily unavailable"),
}


def error_example(status: str) -> JSON:
    code, message = ERROR_EXAMPLES.get(status, ERROR_EXAMPLES["500"])
    details = []
    if status in ("400", "422"):
        details = [{"field": "email", "message": "Must be a valid email address"}]
    return {"error": code, "message": message, "details": details}


ID_PREFIXES = {
    "whd": ("WebhookDelivery",),
    "whe": ("Webhook",),
    "usr": ("User", "Me", "Registered", "Login", "Refreshed", "Exported"),
    "ba": ("BankAccount",),
    "rcp": ("Recipient",),
    "tx_qr": ("QrPayment",),
    "tx_rem": ("Transaction", "Remittance", "Receipt"),
    "mer": ("Merchant",),
    "card": ("Card",),
    "noti": ("Notification",),
    "con": ("Consent",),
    "cmp": ("Complaint",),
}
HEX = "a1b2c3d4e5f60718"


def example_id(schema_name: str) -> str:
    for prefix, owners in ID_PREFIXES.items():
        if schema_name.startswith(owners) or any(o in schema_name for o in owners):
            return f"{prefix}_{HEX}"
    return f"usr_{HEX}"


def _id_field_value(field: str, schema_name: str) -> str | None:
    references = {
        "userId": "usr",
        "user_id": "usr",
        "recipientId": "rcp",
        "merchantId": "mer",
        "bankAccountId": "ba",
        "transactionId": "tx_rem",
        "cardId": "card",
        "orderId": "card",
        "webhookId": "whe",
    }
    if field == "id":
        return example_id(schema_name)
    if field in references:
        return f"{references[field]}_{HEX}"
    return None


class ExampleBuilder:
    """Walks component schemas and fills them with the source documents' values."""

    def __init__(self, schemas: JSON) -> None:
        self.schemas = schemas

    def for_ref(self, ref: str, depth: int = 0) -> Any:
        name = ref.rsplit("/", 1)[-1]
        return self.for_schema(self.schemas[name], name, depth)

    def for_schema(self, schema: JSON, name: str, depth: int = 0) -> Any:
        if "$ref" in schema:
            return self.for_ref(schema["$ref"], depth + 1)
        if "anyOf" in schema:
            return self.for_schema(schema["anyOf"][0], name, depth)
        kind = schema.get("type")
        if kind == "object" and "properties" in schema:
            return {
                field: self.value(name, field, prop, depth)
                for field, prop in schema["properties"].items()
            }
        if kind == "object":
            return {}
        return self.scalar(schema)

    def value(self, schema_name: str, field: str, prop: JSON, depth: int) -> Any:
        if (schema_name, field) in BY_SCHEMA:
            return BY_SCHEMA[(schema_name, field)]
        identifier = _id_field_value(field, schema_name)
        if identifier is not None and prop.get("type") == "string":
            return identifier
        if field in SOURCE_VALUES and self._fits(SOURCE_VALUES[field], prop):
            return SOURCE_VALUES[field]
        if prop.get("type") == "array":
            items = prop.get("items", {})
            if depth > 4:
                return []
            return [self.for_schema(items, schema_name, depth + 1)]
        return self.for_schema(prop, schema_name, depth + 1)

    @staticmethod
    def _fits(value: Any, prop: JSON) -> bool:
        kind = prop.get("type")
        if "enum" in prop:
            return value in prop["enum"]
        if kind == "string":
            return isinstance(value, str)
        if kind in ("number", "integer"):
            return isinstance(value, int | float) and not isinstance(value, bool)
        if kind == "boolean":
            return isinstance(value, bool)
        if kind == "array":
            return isinstance(value, list)
        if kind == "object":
            return isinstance(value, dict)
        return "$ref" not in prop

    @staticmethod
    def scalar(schema: JSON) -> Any:
        if "enum" in schema:
            return schema["enum"][0]
        kind, fmt = schema.get("type"), schema.get("format")
        if kind == "string" and fmt == "date-time":
            return WHEN
        if kind == "string":
            return "text"
        if kind == "integer":
            return max(1, int(schema.get("minimum", 1)))
        if kind == "number":
            return 1.0
        if kind == "boolean":
            return True
        return None


# Example path parameters, by the collection they name.
PATH_IDS = {
    "transactions": "tx_rem",
    "cards": "card",
    "recipients": "rcp",
    "bank-accounts": "ba",
    "complaints": "cmp",
    "users": "usr",
    "webhooks": "whe",
}


def _path_example(path: str, name: str) -> str:
    if name == "currency":
        return "RSD"
    if name == "name":
        return "notifications"
    if name == "delivery_id":
        return f"whd_{HEX}"
    collection = path.split("/{", 1)[0].rsplit("/", 1)[-1]
    return f"{PATH_IDS.get(collection, 'usr')}_{HEX}"


def add_examples(paths: JSON, schemas: JSON) -> None:
    """An example request (body and path parameters) and success answer for every operation."""
    builder = ExampleBuilder(schemas)
    for path, operations in paths.items():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path":
                    parameter["example"] = _path_example(path, parameter["name"])
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if body is not None:
                body["example"] = builder.for_schema(body["schema"], "")
            for status, response in operation["responses"].items():
                content = response.get("content", {}).get("application/json")
                if content is None or "$ref" not in content["schema"]:
                    continue
                if content["schema"]["$ref"].endswith("/ErrorResponse"):
                    content["example"] = error_example(status)
                elif status.startswith("2"):
                    content["example"] = builder.for_schema(content["schema"], "")
