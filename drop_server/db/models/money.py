"""Money tables: linked bank accounts, rates, recipients, merchants, transactions."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Identity,
    Index,
    Numeric,
    String,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from drop_server.db.models.base import MONEY, RATE, Base, creation_time, optional_time


class BankAccount(Base):
    """An account linked through the AISP; `balance` is the last AISP-read balance."""

    __tablename__ = "bank_accounts"
    __table_args__ = (
        Index(
            "bank_accounts_user_number_key",
            "user_id",
            "account_number",
            unique=True,
            postgresql_where=text("deleted_at IS NULL"),
        ),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True, nullable=False)
    bank_name: Mapped[str] = mapped_column(String(100), nullable=False)
    account_number: Mapped[str] = mapped_column(String(11), nullable=False)
    balance: Mapped[Decimal] = mapped_column(MONEY, nullable=False, server_default="0")
    currency: Mapped[str] = mapped_column(String(3), nullable=False, server_default="NOK")
    is_primary: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default="false")
    consent_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = creation_time()
    balance_updated_at: Mapped[datetime | None] = optional_time()
    deleted_at: Mapped[datetime | None] = optional_time()


class ExchangeRate(Base):
    """NOK -> currency; disclosure and payment read the same row."""

    __tablename__ = "exchange_rates"

    currency: Mapped[str] = mapped_column(String(3), primary_key=True)
    rate: Mapped[Decimal] = mapped_column(RATE, nullable=False)
    updated_at: Mapped[datetime] = creation_time()


class Recipient(Base):
    __tablename__ = "recipients"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True, nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    country: Mapped[str] = mapped_column(String(2), nullable=False)
    currency: Mapped[str] = mapped_column(String(3), nullable=False)
    # The full number: the payment needs it. Responses only ever show the last four.
    bank_account: Mapped[str] = mapped_column(String(34), nullable=False)
    bank_name: Mapped[str] = mapped_column(String(200), nullable=False, server_default="")
    created_at: Mapped[datetime] = creation_time()
    # Soft delete: past transactions keep pointing at the recipient.
    deleted_at: Mapped[datetime | None] = optional_time()


class Merchant(Base):
    __tablename__ = "merchants"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), unique=True, nullable=False)
    business_name: Mapped[str] = mapped_column(String(100), nullable=False)
    org_number: Mapped[str] = mapped_column(String(9), unique=True, nullable=False)
    address: Mapped[str] = mapped_column(String(300), nullable=False, server_default="")
    payout_account: Mapped[str] = mapped_column(String(11), nullable=False)
    created_at: Mapped[datetime] = creation_time()


class Transaction(Base):
    """A payment Drop initiated through the PISP. Never deleted (AML: 5 years).

    Written as an intent (status `processing`, no `payment_id`, amount reserved) before the bank
    is called; see services.payment_intents for the states."""

    __tablename__ = "transactions"
    __table_args__ = (
        Index("ix_transactions_user_created", "user_id", "created_at"),
        Index("ix_transactions_merchant_created", "merchant_id", "created_at"),
        # The clearing looks for processing remittances by age.
        Index("ix_transactions_status_created", "status", "created_at"),
        # Reconciliation looks for payments the bank has not answered for yet.
        Index(
            "ix_transactions_in_flight",
            "created_at",
            postgresql_where=text("payment_id IS NULL AND status = 'processing'"),
        ),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), nullable=False)
    type: Mapped[str] = mapped_column(String(16), nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    bank_account_id: Mapped[str] = mapped_column(ForeignKey("bank_accounts.id"), nullable=False)
    from_bank_name: Mapped[str] = mapped_column(String(100), nullable=False)
    amount: Mapped[Decimal] = mapped_column(MONEY, nullable=False)
    currency: Mapped[str] = mapped_column(String(3), nullable=False)
    fee: Mapped[Decimal] = mapped_column(MONEY, nullable=False)
    fee_percent: Mapped[Decimal] = mapped_column(Numeric(6, 3), nullable=False)
    total: Mapped[Decimal] = mapped_column(MONEY, nullable=False)
    exchange_rate: Mapped[Decimal | None] = mapped_column(RATE)
    receive_amount: Mapped[Decimal | None] = mapped_column(MONEY)
    receive_currency: Mapped[str | None] = mapped_column(String(3))
    recipient_id: Mapped[str | None] = mapped_column(ForeignKey("recipients.id"))
    recipient_name: Mapped[str | None] = mapped_column(String(100))
    recipient_country: Mapped[str | None] = mapped_column(String(2))
    merchant_id: Mapped[str | None] = mapped_column(ForeignKey("merchants.id"))
    merchant_name: Mapped[str | None] = mapped_column(String(100))
    # The PISP's payment id, known once the bank has answered (NULL: in flight).
    payment_id: Mapped[str | None] = mapped_column(String(64))
    # The end-to-end reference sent to the bank: the same on every retry of this payment, so
    # the bank carries it out at most once.
    end_to_end_id: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    reference: Mapped[str] = mapped_column(String(32), nullable=False)
    created_at: Mapped[datetime] = creation_time()
    completed_at: Mapped[datetime | None] = optional_time()


class TransactionEvent(Base):
    """Append-only history of a transaction's status."""

    __tablename__ = "transaction_events"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    transaction_id: Mapped[str] = mapped_column(
        ForeignKey("transactions.id"), index=True, nullable=False
    )
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    note: Mapped[str] = mapped_column(String(200), nullable=False, server_default="")
    created_at: Mapped[datetime] = creation_time()


class UserDailyTotal(Base):
    """Per user, Oslo day, type and status: how many transactions and the sum of their amounts.
    Written only by the database trigger of migration 0008, in the transaction that writes the
    transaction row, so lists, the summary and the dashboard read totals without a scan."""

    __tablename__ = "user_daily_totals"

    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    type: Mapped[str] = mapped_column(String(16), primary_key=True)
    status: Mapped[str] = mapped_column(String(16), primary_key=True)
    count: Mapped[int] = mapped_column(BigInteger, nullable=False)
    amount: Mapped[Decimal] = mapped_column(Numeric, nullable=False)


class MerchantDailyTotal(Base):
    """The same per merchant (QR payments to it), by the same trigger."""

    __tablename__ = "merchant_daily_totals"

    merchant_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    type: Mapped[str] = mapped_column(String(16), primary_key=True)
    status: Mapped[str] = mapped_column(String(16), primary_key=True)
    count: Mapped[int] = mapped_column(BigInteger, nullable=False)
    amount: Mapped[Decimal] = mapped_column(Numeric, nullable=False)
