"""Tables of Drop. Money is NUMERIC(18,2), rates NUMERIC(18,6); timestamps are timestamptz."""

from drop_server.db.models.base import Base, owned_by_drop
from drop_server.db.models.cards import Card, CardLimit, CardOrder
from drop_server.db.models.compliance import (
    Complaint,
    ComplaintEvent,
    Consent,
    ConsentEvent,
    DataAccessRequest,
    UserSettings,
)
from drop_server.db.models.events import Event, WebhookDelivery, WebhookEndpoint
from drop_server.db.models.identity import ApiKey, AuthSession, BankIdLogin, User
from drop_server.db.models.money import (
    BankAccount,
    ExchangeRate,
    Merchant,
    MerchantDailyTotal,
    Recipient,
    Transaction,
    TransactionEvent,
    UserDailyTotal,
)
from drop_server.db.models.platform import (
    FeatureFlag,
    IdempotencyKey,
    Notification,
    NotificationCount,
)
from drop_server.db.models.sandbox import SandboxBankAccount, SandboxBankPayment

__all__ = [
    "ApiKey",
    "AuthSession",
    "BankAccount",
    "BankIdLogin",
    "Base",
    "Card",
    "CardLimit",
    "CardOrder",
    "Complaint",
    "ComplaintEvent",
    "Consent",
    "ConsentEvent",
    "DataAccessRequest",
    "Event",
    "ExchangeRate",
    "FeatureFlag",
    "IdempotencyKey",
    "Merchant",
    "MerchantDailyTotal",
    "Notification",
    "NotificationCount",
    "Recipient",
    "SandboxBankAccount",
    "SandboxBankPayment",
    "Transaction",
    "TransactionEvent",
    "User",
    "UserDailyTotal",
    "UserSettings",
    "WebhookDelivery",
    "WebhookEndpoint",
    "owned_by_drop",
]
