"""Reading a user's transactions: list, one, receipt, summary."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.orm import load_only

from drop.v1 import transactions_pb2
from drop_server.auth.principal import Principal
from drop_server.db.engine import Database
from drop_server.db.models import Transaction, User, UserDailyTotal
from drop_server.domain.business_days import NORWAY, OSLO, add_business_days
from drop_server.domain.corridors import corridor
from drop_server.domain.pagination import (
    PageInfo,
    decode_cursor,
    page_info,
    page_request,
)
from drop_server.domain.payments import REJECTED, PaymentType, TransactionStatus
from drop_server.domain.permissions import Permission
from drop_server.errors import ApiError, FieldError, Messages
from drop_server.field_rules import allowed, maximum
from drop_server.services.access import require
from drop_server.services.listing import after_cursor, next_page

# What a list item shows: a list loads these, not every column of a transaction.
LIST_ITEM_COLUMNS = (
    Transaction.id,
    Transaction.type,
    Transaction.status,
    Transaction.amount,
    Transaction.currency,
    Transaction.recipient_name,
    Transaction.merchant_name,
    Transaction.created_at,
)


@dataclass(frozen=True)
class TransactionPage:
    transactions: list[Transaction]
    page: PageInfo
    next_cursor: str | None = None


@dataclass(frozen=True)
class Totals:
    total_count: int
    total_sent: Decimal
    total_paid: Decimal
    remittance_count: int
    qr_payment_count: int


@dataclass(frozen=True)
class Summary:
    all_time: Totals
    this_month: Totals


def either(values: tuple[str, ...]) -> str:
    """`a, b or c`, as the error messages list the values."""
    return f"{', '.join(values[:-1])} or {values[-1]}"


def list_transactions(
    db: Database,
    principal: Principal,
    page: int | None,
    limit: int | None,
    kind: str | None,
    status: str | None,
    cursor: str | None = None,
) -> TransactionPage:
    # At most the `maximum` of the request's `limit` in the .proto (shown in the OpenAPI too).
    most = int(maximum(transactions_pb2.ListTransactionsRequest, "limit"))
    request = page_request(page, limit, default_limit=20, max_limit=most)
    after = decode_cursor(cursor)
    problems = []
    # The filters' values are the request's `(drop.v1.rules)` (also in the OpenAPI document).
    for field, value in (("type", kind), ("status", status)):
        values = allowed(transactions_pb2.ListTransactionsRequest, field)
        if value is not None and value not in values:
            problems.append(FieldError(field, f"Must be {either(values)}"))
    if problems:
        raise ApiError.bad_request(Messages.INVALID_QUERY, problems)
    filters: list[ColumnElement[bool]] = [
        Transaction.user_id == principal.user_id,
        Transaction.status != REJECTED,
    ]
    if kind is not None:
        filters.append(Transaction.type == kind)
    if status is not None:
        filters.append(Transaction.status == status)
    # The total from the per-day totals (kept by a trigger), not a count over every row.
    counted: list[ColumnElement[bool]] = [
        UserDailyTotal.user_id == principal.user_id,
        UserDailyTotal.status != REJECTED,
    ]
    if kind is not None:
        counted.append(UserDailyTotal.type == kind)
    if status is not None:
        counted.append(UserDailyTotal.status == status)
    with db.transaction() as session:
        total = int(session.scalar(select(func.sum(UserDailyTotal.count)).where(*counted)) or 0)
        query = (
            select(Transaction)
            .options(load_only(*LIST_ITEM_COLUMNS))
            .where(*filters)
            .order_by(Transaction.created_at.desc(), Transaction.id.desc())
            .limit(request.limit + 1)
        )
        if after is None:
            query = query.offset(request.offset)
        else:
            query = query.where(*after_cursor(Transaction.created_at, Transaction.id, after))
        rows = list(session.scalars(query))
    return TransactionPage(
        *next_page(rows, request, total, after is not None, lambda tx: (tx.created_at, tx.id))
    )


def get_transaction(db: Database, principal: Principal, transaction_id: str) -> Transaction:
    with db.transaction() as session:
        tx = session.scalars(
            select(Transaction).where(
                Transaction.id == transaction_id,
                Transaction.user_id == principal.user_id,
                Transaction.status != REJECTED,
            )
        ).one_or_none()
    if tx is None:
        raise ApiError.not_found("Transaction not found")
    return tx


def estimated_completion(tx: Transaction) -> datetime:
    """QR payments complete at once; remittances by the end of their corridor's window, in
    days on which banks work both in Norway and in the receiving country."""
    if tx.type == PaymentType.QR_PAYMENT or tx.recipient_country is None:
        return tx.completed_at or tx.created_at
    route = corridor(tx.recipient_country)
    assert route is not None
    created = tx.created_at.astimezone(OSLO)
    day = add_business_days(created.date(), route.max_business_days, (NORWAY, route.country))
    return datetime.combine(day, time(17, 0), tzinfo=OSLO)


def _totals(db: Database, user_id: str, since: date | None) -> Totals:
    """From the per-day totals: as many rows as days with payments, however many payments."""
    counted: list[ColumnElement[bool]] = [
        UserDailyTotal.user_id == user_id,
        UserDailyTotal.status.not_in((TransactionStatus.FAILED.value, REJECTED)),
    ]
    if since is not None:
        counted.append(UserDailyTotal.day >= since)
    remittance = UserDailyTotal.type == PaymentType.REMITTANCE.value
    qr = UserDailyTotal.type == PaymentType.QR_PAYMENT.value
    count = UserDailyTotal.count
    amount = UserDailyTotal.amount
    with db.transaction() as session:
        row = session.execute(
            select(
                func.coalesce(func.sum(count), 0),
                func.coalesce(func.sum(case((remittance, amount), else_=0)), 0),
                func.coalesce(func.sum(case((qr, amount), else_=0)), 0),
                func.coalesce(func.sum(case((remittance, count), else_=0)), 0),
                func.coalesce(func.sum(case((qr, count), else_=0)), 0),
            ).where(*counted)
        ).one()
    return Totals(int(row[0]), Decimal(row[1]), Decimal(row[2]), int(row[3]), int(row[4]))


def summary(db: Database, principal: Principal, now: datetime) -> Summary:
    assert principal.user_id is not None
    local = now.astimezone(OSLO)
    # Days are Oslo days: the month starts at Oslo midnight of its first day.
    month_start = date(local.year, local.month, 1)
    return Summary(
        all_time=_totals(db, principal.user_id, None),
        this_month=_totals(db, principal.user_id, month_start),
    )


def list_user_transactions(
    db: Database, principal: Principal, user_id: str, page: int | None, limit: int | None
) -> TransactionPage:
    """Back office (support, finance): any user's transactions, deleted users' included."""
    require(principal, Permission.TRANSACTIONS_READ)
    request = page_request(page, limit, default_limit=20, max_limit=100)
    with db.transaction() as session:
        if session.get(User, user_id) is None:
            raise ApiError.not_found(Messages.USER_NOT_FOUND)
        owned = and_(Transaction.user_id == user_id, Transaction.status != REJECTED)
        total = session.scalar(select(func.count()).select_from(Transaction).where(owned)) or 0
        rows = list(
            session.scalars(
                select(Transaction)
                .where(owned)
                .order_by(Transaction.created_at.desc(), Transaction.id.desc())
                .offset(request.offset)
                .limit(request.limit)
            )
        )
    return TransactionPage(rows, page_info(request, total))
