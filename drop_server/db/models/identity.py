"""Identity tables: users, sessions, API keys."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    String,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from drop_server.db.models.base import Base, creation_time


class User(Base):
    __tablename__ = "users"
    __table_args__ = (
        # A soft-deleted user keeps the row (AML), but the email may sign up again.
        Index(
            "users_email_active_key",
            "email",
            unique=True,
            postgresql_where=text("deleted_at IS NULL"),
        ),
        Index(
            "users_bankid_subject_active_key",
            "bankid_subject",
            unique=True,
            postgresql_where=text("deleted_at IS NULL AND bankid_subject IS NOT NULL"),
        ),
        CheckConstraint(
            "role IN ('user', 'merchant', 'admin', 'support', 'compliance', 'finance')",
            name="users_role_check",
        ),
        CheckConstraint(
            "kyc_status IN ('pending', 'approved', 'rejected')", name="users_kyc_status_check"
        ),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    # Null for BankID users whose identity came without an email address.
    email: Mapped[str | None] = mapped_column(String(254))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    first_name: Mapped[str] = mapped_column(String(100), nullable=False)
    last_name: Mapped[str] = mapped_column(String(100), nullable=False)
    phone: Mapped[str | None] = mapped_column(String(20))
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    role: Mapped[str] = mapped_column(String(16), nullable=False, server_default="user")
    kyc_status: Mapped[str] = mapped_column(String(16), nullable=False, server_default="pending")
    created_at: Mapped[datetime] = creation_time()
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now(), nullable=False
    )
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    bankid_subject: Mapped[str | None] = mapped_column(String(255))
    # An operator checked this person's identity: until then, a BankID sign-in with the same
    # e-mail and birth date links to this account (the recovery path without passwords).
    bankid_link_approved_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AuthSession(Base):
    """One row per issued JWT; the token is only valid while its row is live."""

    __tablename__ = "sessions"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True, nullable=False)
    client: Mapped[str] = mapped_column(String(16), nullable=False)
    created_at: Mapped[datetime] = creation_time()
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ApiKey(Base):
    """Machine credentials. Only a SHA-256 of the key is stored: keys are 256-bit random,
    so a fast hash is safe and lets the lookup use an index."""

    __tablename__ = "api_keys"
    __table_args__ = (
        CheckConstraint(
            "cardinality(scopes) > 0 AND scopes <@ ARRAY['admin', 'support', 'compliance', "
            "'finance', 'rates', 'settlement']::varchar[]",
            name="api_keys_scopes_check",
        ),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    scopes: Mapped[list[str]] = mapped_column(ARRAY(String(16)), nullable=False)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    # The first characters of the key, shown in lists to tell keys apart.
    prefix: Mapped[str] = mapped_column(String(16), nullable=False, server_default="")
    label: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = creation_time()
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class BankIdLogin(Base):
    """A BankID sign-in (or link) under way: single-use, valid ten minutes."""

    __tablename__ = "bankid_logins"

    state: Mapped[str] = mapped_column(String(64), primary_key=True)
    nonce: Mapped[str] = mapped_column(String(64), nullable=False)
    code_verifier: Mapped[str] = mapped_column(String(128), nullable=False)
    created_at: Mapped[datetime] = creation_time()
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Set when a signed-in user links BankID to their account instead of signing in.
    link_user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    # Mobile apps: SHA-256 of the one-time flow handle that stands in for the state cookie.
    flow_handle_hash: Mapped[str | None] = mapped_column(String(64))
