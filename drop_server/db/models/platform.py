"""Cross-cutting tables: notifications, feature flags, idempotency keys."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from drop_server.db.models.base import Base, creation_time


class Notification(Base):
    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_created", "user_id", "created_at"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), nullable=False)
    type: Mapped[str] = mapped_column(String(40), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    body: Mapped[str] = mapped_column(String(1000), nullable=False)
    read: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default="false")
    created_at: Mapped[datetime] = creation_time()


class FeatureFlag(Base):
    __tablename__ = "feature_flags"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean, nullable=False)
    updated_at: Mapped[datetime] = creation_time()


class IdempotencyKey(Base):
    """The first answer to a payment request, replayed for retries with the same key."""

    __tablename__ = "idempotency_keys"
    # Expired keys are found by age.
    __table_args__ = (Index("ix_idempotency_keys_created", "created_at"),)

    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    # Keys written before payments became intents hold the encoded first answer.
    response: Mapped[bytes | None] = mapped_column(LargeBinary)
    # The payment this key started: retries resume it or replay its first answer.
    transaction_id: Mapped[str | None] = mapped_column(ForeignKey("transactions.id"))
    created_at: Mapped[datetime] = creation_time()


class NotificationCount(Base):
    """How many notifications a user has, kept by the trigger of migration 0008."""

    __tablename__ = "notification_counts"

    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    count: Mapped[int] = mapped_column(BigInteger, nullable=False)
