"""Privacy and compliance tables: settings, consents and their log, complaints and their log,
data access requests (GDPR)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, Date, ForeignKey, Identity, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from drop_server.db.models.base import Base, creation_time, optional_time


class UserSettings(Base):
    __tablename__ = "user_settings"

    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), primary_key=True)
    currency: Mapped[str] = mapped_column(String(3), nullable=False)
    language: Mapped[str] = mapped_column(String(2), nullable=False)
    push_enabled: Mapped[bool] = mapped_column(Boolean, nullable=False)
    email_enabled: Mapped[bool] = mapped_column(Boolean, nullable=False)
    updated_at: Mapped[datetime] = creation_time()


class Consent(Base):
    """The current state of one consent; `ConsentEvent` keeps every change."""

    __tablename__ = "consents"
    __table_args__ = (UniqueConstraint("user_id", "consent_type", name="consents_user_type_key"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), nullable=False)
    consent_type: Mapped[str] = mapped_column(String(32), nullable=False)
    granted: Mapped[bool] = mapped_column(Boolean, nullable=False)
    granted_at: Mapped[datetime | None] = optional_time()
    withdrawn_at: Mapped[datetime | None] = optional_time()
    ip_address: Mapped[str] = mapped_column(String(64), nullable=False)
    updated_at: Mapped[datetime] = creation_time()


class ConsentEvent(Base):
    __tablename__ = "consent_events"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    consent_id: Mapped[str] = mapped_column(ForeignKey("consents.id"), index=True, nullable=False)
    granted: Mapped[bool] = mapped_column(Boolean, nullable=False)
    ip_address: Mapped[str] = mapped_column(String(64), nullable=False)
    created_at: Mapped[datetime] = creation_time()


class Complaint(Base):
    __tablename__ = "complaints"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True, nullable=False)
    category: Mapped[str] = mapped_column(String(16), nullable=False)
    subject: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str] = mapped_column(String(2000), nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    resolution: Mapped[str | None] = mapped_column(String(2000))
    # Finansavtaleloven: an answer within 15 business days.
    respond_by: Mapped[date] = mapped_column(Date, nullable=False)
    created_at: Mapped[datetime] = creation_time()
    resolved_at: Mapped[datetime | None] = optional_time()


class ComplaintEvent(Base):
    __tablename__ = "complaint_events"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    complaint_id: Mapped[str] = mapped_column(
        ForeignKey("complaints.id"), index=True, nullable=False
    )
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    created_at: Mapped[datetime] = creation_time()


class DataAccessRequest(Base):
    __tablename__ = "data_access_requests"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True, nullable=False)
    type: Mapped[str] = mapped_column(String(16), nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    created_at: Mapped[datetime] = creation_time()
    completed_at: Mapped[datetime | None] = optional_time()
