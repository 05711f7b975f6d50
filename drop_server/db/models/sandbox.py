"""The sandbox bank's own books (what a real bank holds on its side), for the sandbox
AISP/PISP provider. Drop's own code never reads these tables."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from drop_server.db.models.base import MONEY, Base, creation_time


class SandboxBankAccount(Base):
    __tablename__ = "sandbox_bank_accounts"

    account_number: Mapped[str] = mapped_column(String(11), primary_key=True)
    bank_name: Mapped[str] = mapped_column(String(100), nullable=False)
    owner_reference: Mapped[str] = mapped_column(String(64), index=True, nullable=False)
    balance: Mapped[Decimal] = mapped_column(MONEY, nullable=False)
    currency: Mapped[str] = mapped_column(String(3), nullable=False, server_default="NOK")


class SandboxBankPayment(Base):
    __tablename__ = "sandbox_bank_payments"

    payment_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    reference: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    # None for a barred reference or a refusal of an unknown account: no money moved.
    debtor_account: Mapped[str | None] = mapped_column(
        ForeignKey("sandbox_bank_accounts.account_number")
    )
    amount: Mapped[Decimal] = mapped_column(MONEY, nullable=False)
    creditor: Mapped[str] = mapped_column(String(200), nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    created_at: Mapped[datetime] = creation_time()
    updated_at: Mapped[datetime] = creation_time()
