"""Card tables. Drop keeps the issuer's token, last four digits and expiry: never a full card
number, never a CVV."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from drop_server.db.models.base import MONEY, Base, creation_time, optional_time


class Card(Base):
    __tablename__ = "cards"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True, nullable=False)
    type: Mapped[str] = mapped_column(String(16), nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    issuer_token: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    last4: Mapped[str] = mapped_column(String(4), nullable=False)
    expiry_month: Mapped[int] = mapped_column(Integer, nullable=False)
    expiry_year: Mapped[int] = mapped_column(Integer, nullable=False)
    pin_hash: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = creation_time()
    cancelled_at: Mapped[datetime | None] = optional_time()


class CardOrder(Base):
    """An order of a physical card for a virtual one."""

    __tablename__ = "card_orders"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    card_id: Mapped[str] = mapped_column(ForeignKey("cards.id"), index=True, nullable=False)
    address: Mapped[str] = mapped_column(String(300), nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    issuer_order_id: Mapped[str] = mapped_column(String(64), nullable=False)
    created_at: Mapped[datetime] = creation_time()


class CardLimit(Base):
    __tablename__ = "card_limits"

    card_id: Mapped[str] = mapped_column(ForeignKey("cards.id"), primary_key=True)
    limit_type: Mapped[str] = mapped_column(String(16), primary_key=True)
    amount: Mapped[Decimal] = mapped_column(MONEY, nullable=False)
    updated_at: Mapped[datetime] = creation_time()
