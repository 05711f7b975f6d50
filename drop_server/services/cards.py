"""Cards, each route behind its feature flag (`cards`, and `physicalCards`, `cardPin`,
`spendingLimits` for theirs). A disabled flag answers like a missing route."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

import bcrypt
from sqlalchemy import select
from sqlalchemy.orm import Session

from drop.v1 import cards_pb2
from drop_server.auth.principal import Principal
from drop_server.db.engine import Database
from drop_server.db.models import Card, CardLimit, CardOrder
from drop_server.domain import ids
from drop_server.domain.cards import (
    CARD_TYPES,
    MIN_ADDRESS_LENGTH,
    SETTABLE_STATUSES,
    pin_problem,
)
from drop_server.domain.payments import parse_amount
from drop_server.errors import ApiError, FieldError, Messages
from drop_server.field_rules import allowed, maximum
from drop_server.providers.card_issuer import CardIssuer
from drop_server.services.feature_flags import is_enabled, require_flag

# From the request's `(drop.v1.rules)` in the .proto, which the OpenAPI document shows
# too: declared once.
LIMIT_TYPES = allowed(cards_pb2.SetCardLimitRequest, "limit_type")
MAX_LIMIT = maximum(cards_pb2.SetCardLimitRequest, "amount")


@dataclass(frozen=True)
class PhysicalOrder:
    order: CardOrder


def _cards_on(db: Database, extra_flag: str | None = None) -> None:
    require_flag(db, "cards")
    if extra_flag is not None:
        require_flag(db, extra_flag)


def _owned(session: Session, principal: Principal, card_id: str, *, lock: bool = False) -> Card:
    query = select(Card).where(Card.id == card_id, Card.user_id == principal.user_id)
    card = session.scalars(query.with_for_update() if lock else query).one_or_none()
    if card is None:
        raise ApiError.not_found("Card not found")
    return card


def _not_cancelled(card: Card) -> None:
    if card.status == "cancelled":
        raise ApiError.bad_request(
            "This card is cancelled", [FieldError("id", "A cancelled card cannot change")]
        )


def list_cards(db: Database, principal: Principal) -> list[Card]:
    _cards_on(db)
    with db.transaction() as session:
        return list(
            session.scalars(
                select(Card)
                .where(Card.user_id == principal.user_id, Card.status != "cancelled")
                .order_by(Card.created_at, Card.id)
            )
        )


def create_card(db: Database, issuer: CardIssuer, principal: Principal, kind: str | None) -> Card:
    _cards_on(db)
    chosen = kind or "virtual"
    if chosen not in CARD_TYPES:
        raise ApiError.bad_request(
            Messages.INVALID_REQUEST, [FieldError("type", "Must be virtual or physical")]
        )
    if chosen == "physical" and not is_enabled(db, "physicalCards"):
        raise ApiError.bad_request(
            "Physical cards are not available yet", [FieldError("type", "Must be virtual")]
        )
    assert principal.user_id is not None
    issued = issuer.issue(principal.user_id, chosen)
    with db.transaction() as session:
        card = Card(
            id=ids.new_id("card"),
            user_id=principal.user_id,
            type=chosen,
            status="active",
            issuer_token=issued.token,
            last4=issued.last4,
            expiry_month=issued.expiry_month,
            expiry_year=issued.expiry_year,
        )
        session.add(card)
        session.flush()
        session.refresh(card)
    return card


def get_card(db: Database, principal: Principal, card_id: str) -> Card:
    _cards_on(db)
    with db.transaction() as session:
        return _owned(session, principal, card_id)


def change_status(
    db: Database, issuer: CardIssuer, principal: Principal, card_id: str, status: str | None
) -> Card:
    _cards_on(db)
    if status not in SETTABLE_STATUSES:
        raise ApiError.bad_request(
            Messages.INVALID_REQUEST, [FieldError("status", "Must be active or frozen")]
        )
    with db.transaction() as session:
        card = _owned(session, principal, card_id, lock=True)
        _not_cancelled(card)
        issuer.set_status(card.issuer_token, status)
        card.status = status
    return card


def cancel_card(db: Database, issuer: CardIssuer, principal: Principal, card_id: str) -> Card:
    _cards_on(db)
    with db.transaction() as session:
        card = _owned(session, principal, card_id, lock=True)
        _not_cancelled(card)
        issuer.set_status(card.issuer_token, "cancelled")
        card.status = "cancelled"
        card.cancelled_at = datetime.now(UTC)
    return card


def order_physical(
    db: Database, issuer: CardIssuer, principal: Principal, card_id: str, address: str | None
) -> CardOrder:
    _cards_on(db, "physicalCards")
    cleaned = (address or "").strip()
    if len(cleaned) < MIN_ADDRESS_LENGTH or len(cleaned) > 300:
        raise ApiError.bad_request(
            Messages.INVALID_REQUEST,
            [FieldError("address", f"Must be {MIN_ADDRESS_LENGTH}-300 characters")],
        )
    with db.transaction() as session:
        card = _owned(session, principal, card_id, lock=True)
        _not_cancelled(card)
        if card.type != "virtual":
            raise ApiError.bad_request(
                "Only a virtual card can be ordered as a physical one",
                [FieldError("id", "Is physical")],
            )
        pending = session.scalar(
            select(CardOrder.id).where(CardOrder.card_id == card.id, CardOrder.status == "ordered")
        )
        if pending is not None:
            raise ApiError.conflict("A physical card is already on its way for this card")
        order = CardOrder(
            id=ids.new_id("cord"),
            card_id=card.id,
            address=cleaned,
            status="ordered",
            issuer_order_id=issuer.order_physical(card.issuer_token, cleaned),
        )
        session.add(order)
        session.flush()
        session.refresh(order)
    return order


def set_pin(
    db: Database, issuer: CardIssuer, principal: Principal, card_id: str, pin: str | None
) -> Card:
    _cards_on(db, "cardPin")
    problem = "Is required" if pin is None else pin_problem(pin)
    if problem:
        raise ApiError.bad_request(Messages.INVALID_REQUEST, [FieldError("pin", problem)])
    assert pin is not None
    with db.transaction() as session:
        card = _owned(session, principal, card_id, lock=True)
        _not_cancelled(card)
        issuer.set_pin(card.issuer_token, pin)
        card.pin_hash = bcrypt.hashpw(pin.encode(), bcrypt.gensalt()).decode()
    return card


def list_limits(db: Database, principal: Principal, card_id: str) -> list[CardLimit]:
    _cards_on(db, "spendingLimits")
    with db.transaction() as session:
        card = _owned(session, principal, card_id)
        return list(
            session.scalars(
                select(CardLimit).where(CardLimit.card_id == card.id).order_by(CardLimit.limit_type)
            )
        )


def set_limit(
    db: Database,
    issuer: CardIssuer,
    principal: Principal,
    card_id: str,
    limit_type: str | None,
    amount: float | None,
) -> CardLimit:
    _cards_on(db, "spendingLimits")
    problems = []
    if limit_type not in LIMIT_TYPES:
        problems.append(FieldError("limitType", f"Must be one of: {', '.join(LIMIT_TYPES)}"))
    value = parse_amount(amount) if amount is not None else None
    if value is None or not Decimal(0) < value <= MAX_LIMIT:
        problems.append(
            FieldError(
                "amount", f"Must be above 0 and at most {MAX_LIMIT}, with at most 2 decimals"
            )
        )
    if problems:
        raise ApiError.bad_request(Messages.INVALID_REQUEST, problems)
    assert limit_type is not None and value is not None
    with db.transaction() as session:
        card = _owned(session, principal, card_id, lock=True)
        _not_cancelled(card)
        issuer.set_limit(card.issuer_token, limit_type, value)
        limit = session.get(CardLimit, (card.id, limit_type))
        if limit is None:
            limit = CardLimit(card_id=card.id, limit_type=limit_type, amount=value)
            session.add(limit)
        limit.amount = value
        limit.updated_at = datetime.now(UTC)
        session.flush()
        session.refresh(limit)
    return limit
