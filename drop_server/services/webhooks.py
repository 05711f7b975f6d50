"""Webhook endpoints and their delivery log (README "Webhooks").

Merchants (users with a merchant record) manage their own endpoints; admins (role `admin` or
an `admin` API key) those of any account. Anyone else gets 403; another account's endpoint
answers 404, like one that does not exist. Deliveries are created by the events' trigger
(migration 0010) and sent by the job queue (services/webhook_delivery.py), never here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from drop.v1 import webhooks_pb2
from drop_server.auth.principal import Principal
from drop_server.config import Settings
from drop_server.db.engine import Database
from drop_server.db.models import Event, Merchant, User, WebhookDelivery, WebhookEndpoint
from drop_server.domain import ids, webhooks
from drop_server.domain.pagination import PageInfo, page_info, page_request
from drop_server.errors import ApiError, FieldError, Messages
from drop_server.field_rules import maximum
from drop_server.services import webhook_delivery, webhook_secrets

NOT_FOUND = "Webhook not found"
MERCHANTS_ONLY = "Webhooks are for merchants: register as a merchant first"
MAX_WEBHOOKS_PAGE = int(maximum(webhooks_pb2.ListWebhooksRequest, "limit"))
MAX_DELIVERIES_PAGE = int(maximum(webhooks_pb2.ListWebhookDeliveriesRequest, "limit"))


@dataclass(frozen=True)
class NewWebhook:
    url: str | None
    event_types: list[str]
    description: str | None
    user_id: str | None


@dataclass(frozen=True)
class CreatedWebhook:
    endpoint: WebhookEndpoint
    secret: str


@dataclass(frozen=True)
class WebhookPage:
    endpoints: list[WebhookEndpoint]
    page: PageInfo


@dataclass(frozen=True)
class DeliveryEntry:
    delivery: WebhookDelivery
    event_type: str

    @property
    def next_attempt_at(self) -> datetime | None:
        """Only a pending delivery has a next attempt."""
        if self.delivery.status != webhook_delivery.PENDING:
            return None
        return self.delivery.next_attempt_at


@dataclass(frozen=True)
class DeliveryPage:
    deliveries: list[DeliveryEntry]
    page: PageInfo


def _require_merchant(session: Session, principal: Principal) -> str:
    if principal.user_id is None:
        raise ApiError.forbidden(Messages.PERMISSION_REQUIRED)
    merchant = session.scalar(select(Merchant.id).where(Merchant.user_id == principal.user_id))
    if merchant is None:
        raise ApiError.forbidden(MERCHANTS_ONLY)
    return principal.user_id


def _account_for(session: Session, principal: Principal, user_id: str | None) -> str | None:
    """Whose endpoints a call is about: None means every account's (admins listing)."""
    if principal.is_admin:
        return user_id
    own = _require_merchant(session, principal)
    if user_id is not None and user_id != own:
        raise ApiError.forbidden(Messages.PERMISSION_REQUIRED)
    return own


def _visible_endpoint(session: Session, principal: Principal, webhook_id: str) -> WebhookEndpoint:
    conditions: list[ColumnElement[bool]] = [
        WebhookEndpoint.id == webhook_id,
        WebhookEndpoint.deleted_at.is_(None),
    ]
    if not principal.is_admin:
        conditions.append(WebhookEndpoint.user_id == _require_merchant(session, principal))
    endpoint = session.scalars(select(WebhookEndpoint).where(*conditions)).one_or_none()
    if endpoint is None:
        raise ApiError.not_found(NOT_FOUND)
    return endpoint


def _validated(form: NewWebhook, settings: Settings) -> tuple[str, list[str], str]:
    missing = []
    if form.url is None or not form.url.strip():
        missing.append(FieldError("url", "Is required"))
    if not form.event_types:
        missing.append(FieldError("eventTypes", "Is required"))
    if missing:
        raise ApiError.bad_request(Messages.MISSING_FIELDS, missing)
    assert form.url is not None
    url = form.url.strip()
    description = (form.description or "").strip()
    checks = {
        "url": webhooks.url_problem(url),
        "eventTypes": webhooks.event_types_problem(form.event_types),
        "description": f"Must be at most {webhooks.MAX_DESCRIPTION} characters"
        if len(description) > webhooks.MAX_DESCRIPTION
        else None,
    }
    problems = [FieldError(field, message) for field, message in checks.items() if message]
    if problems:
        raise ApiError.validation(problems)
    try:
        webhook_delivery.check_url(url, settings.webhook_allow_private)
    except webhook_delivery.TargetRefused as refused:
        raise ApiError.validation([FieldError("url", str(refused))]) from None
    return url, list(dict.fromkeys(form.event_types)), description


def create_webhook(
    db: Database, settings: Settings, principal: Principal, form: NewWebhook
) -> CreatedWebhook:
    with db.transaction() as session:
        if principal.is_admin and form.user_id is None and principal.user_id is None:
            raise ApiError.bad_request(
                Messages.MISSING_FIELDS, [FieldError("userId", "Is required for an API key")]
            )
        owner = _account_for(session, principal, form.user_id) or principal.user_id
    # The URL's host is resolved here, outside any transaction.
    url, event_types, description = _validated(form, settings)
    secret = webhook_secrets.new_secret()
    endpoint_id = ids.new_id("whe")
    with db.transaction() as session:
        user = session.get(User, owner)
        if user is None or user.deleted_at is not None:
            raise ApiError.not_found(Messages.USER_NOT_FOUND)
        endpoint = WebhookEndpoint(
            id=endpoint_id,
            user_id=owner,
            url=url,
            description=description,
            event_types=event_types,
            secret_ciphertext=webhook_secrets.seal(
                settings.webhook_secrets_key, endpoint_id, secret
            ),
        )
        session.add(endpoint)
        session.flush()
        session.refresh(endpoint)
    return CreatedWebhook(endpoint, secret)


def list_webhooks(
    db: Database, principal: Principal, page: int | None, limit: int | None, user_id: str | None
) -> WebhookPage:
    request = page_request(page, limit, default_limit=20, max_limit=MAX_WEBHOOKS_PAGE)
    with db.transaction() as session:
        account = _account_for(session, principal, user_id)
        conditions: list[ColumnElement[bool]] = [WebhookEndpoint.deleted_at.is_(None)]
        if account is not None:
            conditions.append(WebhookEndpoint.user_id == account)
        total = session.scalar(select(func.count()).select_from(WebhookEndpoint).where(*conditions))
        rows = list(
            session.scalars(
                select(WebhookEndpoint)
                .where(*conditions)
                .order_by(WebhookEndpoint.created_at.desc(), WebhookEndpoint.id)
                .offset(request.offset)
                .limit(request.limit)
            )
        )
    return WebhookPage(rows, page_info(request, total or 0))


def delete_webhook(db: Database, principal: Principal, webhook_id: str) -> None:
    with db.transaction() as session:
        endpoint = _visible_endpoint(session, principal, webhook_id)
        endpoint.deleted_at = datetime.now(UTC)


def list_deliveries(
    db: Database, principal: Principal, webhook_id: str, page: int | None, limit: int | None
) -> DeliveryPage:
    request = page_request(page, limit, default_limit=20, max_limit=MAX_DELIVERIES_PAGE)
    with db.transaction() as session:
        endpoint = _visible_endpoint(session, principal, webhook_id)
        mine = WebhookDelivery.endpoint_id == endpoint.id
        total = session.scalar(select(func.count()).select_from(WebhookDelivery).where(mine))
        rows = session.execute(
            select(WebhookDelivery, Event.type)
            .join(Event, Event.id == WebhookDelivery.event_id)
            .where(mine)
            .order_by(WebhookDelivery.created_at.desc(), WebhookDelivery.id.desc())
            .offset(request.offset)
            .limit(request.limit)
        ).all()
    entries = [DeliveryEntry(delivery, event_type) for delivery, event_type in rows]
    return DeliveryPage(entries, page_info(request, total or 0))


def redeliver(
    db: Database, principal: Principal, webhook_id: str, delivery_id: str
) -> DeliveryEntry:
    """A new delivery of the same event, queued now (202: not yet sent)."""
    with db.transaction() as session:
        endpoint = _visible_endpoint(session, principal, webhook_id)
        row = session.execute(
            select(WebhookDelivery, Event.type)
            .join(Event, Event.id == WebhookDelivery.event_id)
            .where(WebhookDelivery.id == delivery_id, WebhookDelivery.endpoint_id == endpoint.id)
        ).one_or_none()
        if row is None:
            raise ApiError.not_found("Delivery not found")
        original, event_type = row
        now = datetime.now(UTC)
        again = WebhookDelivery(
            id=ids.new_id("whd"),
            endpoint_id=endpoint.id,
            event_id=original.event_id,
            next_attempt_at=now,
        )
        session.add(again)
        session.flush()
        webhook_delivery.defer_attempt(session, again.id, 0, now)
        session.refresh(again)
    return DeliveryEntry(again, event_type)
