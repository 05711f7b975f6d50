"""Merchants: sign-up (the user becomes a merchant), takings, the QR code, their transactions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import load_only

from drop.v1 import merchants_pb2
from drop_server.auth.principal import Principal
from drop_server.db.engine import Database
from drop_server.db.models import Merchant, MerchantDailyTotal, Transaction, User
from drop_server.domain import ids
from drop_server.domain.account_numbers import is_valid_account_number
from drop_server.domain.business_days import OSLO, is_business_day, next_business_day
from drop_server.domain.masking import customer_display_name
from drop_server.domain.organizations import is_valid_org_number
from drop_server.domain.pagination import PageInfo, decode_cursor, page_request
from drop_server.domain.payments import REJECTED, PaymentType, TransactionStatus
from drop_server.domain.users import Role, name_problem
from drop_server.errors import ApiError, FieldError, Messages
from drop_server.field_rules import maximum
from drop_server.services.listing import after_cursor, next_page

MAX_ADDRESS = 300
PAYOUT_TIME = time(6, 0)
PERIODS = ("today", "week", "month")
# The QR fee is charged once, to the payer (1 %, disclosed before paying). The merchant is
# charged nothing and paid every krone of the amount: fees 0, net revenue = revenue.
MERCHANT_FEE_PERCENT = Decimal("0")


def merchant_fee(amount: Decimal) -> Decimal:
    """What Drop charges the merchant on takings of `amount`."""
    return (amount * MERCHANT_FEE_PERCENT / 100).quantize(Decimal("0.01"), ROUND_HALF_UP)


def qr_value(merchant_id: str) -> str:
    return f"drop://pay/{merchant_id}"


@dataclass(frozen=True)
class MerchantForm:
    business_name: str | None
    org_number: str | None
    address: str | None
    bank_account: str | None


@dataclass(frozen=True)
class Dashboard:
    revenue: Decimal
    transaction_count: int
    fees: Decimal
    net_revenue: Decimal
    next_payout: Decimal
    payout_time: datetime


@dataclass(frozen=True)
class MerchantSale:
    transaction: Transaction
    customer_name: str


@dataclass(frozen=True)
class SalesPage:
    sales: list[MerchantSale]
    page: PageInfo
    next_cursor: str | None = None


def register_merchant(db: Database, principal: Principal, form: MerchantForm) -> Merchant:
    assert principal.user_id is not None
    required = {
        "businessName": form.business_name,
        "orgNumber": form.org_number,
        "bankAccount": form.bank_account,
    }
    missing = [
        FieldError(field, "Is required") for field, value in required.items() if value is None
    ]
    if missing:
        raise ApiError.bad_request(Messages.MISSING_FIELDS, missing)
    assert (
        form.business_name is not None
        and form.org_number is not None
        and form.bank_account is not None
    )
    org_number = form.org_number.replace(" ", "")
    account = form.bank_account.replace(" ", "").replace(".", "")
    address = (form.address or "").strip()
    checks = {
        "businessName": name_problem(form.business_name),
        "orgNumber": None
        if is_valid_org_number(org_number)
        else "Must be 9 digits with a valid MOD11 check digit",
        "address": f"Must be at most {MAX_ADDRESS} characters"
        if len(address) > MAX_ADDRESS
        else None,
        "bankAccount": None
        if is_valid_account_number(account)
        else "Must be 11 digits with a valid MOD11 check digit",
    }
    problems = [FieldError(field, message) for field, message in checks.items() if message]
    if problems:
        raise ApiError.validation(problems)
    try:
        with db.transaction() as session:
            user = session.get(User, principal.user_id, with_for_update=True)
            assert user is not None
            if session.scalar(select(Merchant.id).where(Merchant.user_id == user.id)) is not None:
                raise ApiError.conflict("You are already registered as a merchant")
            if (
                session.scalar(select(Merchant.id).where(Merchant.org_number == org_number))
                is not None
            ):
                raise ApiError.conflict("This organisation number is already registered")
            merchant = Merchant(
                id=ids.new_id("mer"),
                user_id=user.id,
                business_name=form.business_name.strip(),
                org_number=org_number,
                address=address,
                payout_account=account,
            )
            session.add(merchant)
            if user.role == Role.USER:
                user.role = Role.MERCHANT.value
            session.flush()
            session.refresh(merchant)
    except IntegrityError:
        raise ApiError.conflict("This organisation number is already registered") from None
    return merchant


def my_merchant(db: Database, principal: Principal) -> Merchant:
    """Merchant routes need the merchant role (403) and a merchant record."""
    if principal.role not in (Role.MERCHANT, Role.ADMIN):
        raise ApiError.forbidden("Merchant access required")
    with db.transaction() as session:
        merchant = session.scalars(
            select(Merchant).where(Merchant.user_id == principal.user_id)
        ).one_or_none()
    if merchant is None:
        raise ApiError.forbidden("Register as a merchant first")
    return merchant


def period_start(period: str, now: datetime) -> datetime:
    local = now.astimezone(OSLO)
    today = datetime.combine(local.date(), time(0, 0), tzinfo=OSLO)
    if period == "week":
        return today - timedelta(days=local.weekday())
    if period == "month":
        return today.replace(day=1)
    return today


def last_payout(now: datetime) -> datetime:
    """The most recent 06:00 Oslo on a business day at or before `now`."""
    local = now.astimezone(OSLO)
    day = local.date()
    while not (is_business_day(day) and datetime.combine(day, PAYOUT_TIME, tzinfo=OSLO) <= local):
        day -= timedelta(days=1)
    return datetime.combine(day, PAYOUT_TIME, tzinfo=OSLO)


def _takings(db: Database, merchant_id: str, since: datetime) -> tuple[Decimal, int]:
    """Completed QR payments to the merchant since `since`: whole Oslo days from the per-day
    totals (kept by a trigger), and only the rows of the day `since` falls in when it is not
    midnight (the payout at 06:00), so the cost follows one day's payments, not the history."""
    local = since.astimezone(OSLO)
    first_day = local.date()
    midnight = datetime.combine(first_day, time(0, 0), tzinfo=OSLO)
    whole_days_from = first_day if local == midnight else first_day + timedelta(days=1)
    daily = [
        MerchantDailyTotal.merchant_id == merchant_id,
        MerchantDailyTotal.type == PaymentType.QR_PAYMENT.value,
        MerchantDailyTotal.status == TransactionStatus.COMPLETED.value,
        MerchantDailyTotal.day >= whole_days_from,
    ]
    with db.transaction() as session:
        revenue, count = session.execute(
            select(
                func.coalesce(func.sum(MerchantDailyTotal.amount), 0),
                func.coalesce(func.sum(MerchantDailyTotal.count), 0),
            ).where(*daily)
        ).one()
        if whole_days_from != first_day:
            next_midnight = datetime.combine(whole_days_from, time(0, 0), tzinfo=OSLO)
            paid: list[ColumnElement[bool]] = [
                Transaction.merchant_id == merchant_id,
                Transaction.type == PaymentType.QR_PAYMENT.value,
                Transaction.status == TransactionStatus.COMPLETED.value,
                Transaction.created_at >= since,
                Transaction.created_at < next_midnight,
            ]
            part_revenue, part_count = session.execute(
                select(func.coalesce(func.sum(Transaction.amount), 0), func.count()).where(*paid)
            ).one()
            revenue += part_revenue
            count += part_count
    # Transaction.fee is the payer's fee, on top of the amount: never the merchant's.
    return Decimal(revenue), int(count)


def dashboard(
    db: Database, principal: Principal, period: str | None, now: datetime | None = None
) -> Dashboard:
    chosen = period or "today"
    if chosen not in PERIODS:
        raise ApiError.bad_request(
            Messages.INVALID_QUERY, [FieldError("period", "Must be today, week or month")]
        )
    merchant = my_merchant(db, principal)
    now = now or datetime.now(UTC)
    revenue, count = _takings(db, merchant.id, period_start(chosen, now))
    fees = merchant_fee(revenue)
    unpaid, _ = _takings(db, merchant.id, last_payout(now))
    payout_day = next_business_day(now.astimezone(OSLO).date())
    return Dashboard(
        revenue=revenue,
        transaction_count=count,
        fees=fees,
        net_revenue=revenue - fees,
        next_payout=unpaid - merchant_fee(unpaid),
        payout_time=datetime.combine(payout_day, PAYOUT_TIME, tzinfo=OSLO),
    )


def sales(
    db: Database,
    principal: Principal,
    page: int | None,
    limit: int | None,
    cursor: str | None = None,
) -> SalesPage:
    # At most the `maximum` of the request's `limit` in the .proto (shown in the OpenAPI too).
    most = int(maximum(merchants_pb2.ListMerchantTransactionsRequest, "limit"))
    request = page_request(page, limit, default_limit=20, max_limit=most)
    after = decode_cursor(cursor)
    merchant = my_merchant(db, principal)
    mine = and_(Transaction.merchant_id == merchant.id, Transaction.status != REJECTED)
    counted = and_(
        MerchantDailyTotal.merchant_id == merchant.id, MerchantDailyTotal.status != REJECTED
    )
    with db.transaction() as session:
        total = int(session.scalar(select(func.sum(MerchantDailyTotal.count)).where(counted)) or 0)
        query = (
            select(Transaction, User.first_name, User.last_name)
            .options(
                # What a sale shows, not every column of a transaction.
                load_only(
                    Transaction.id,
                    Transaction.amount,
                    Transaction.status,
                    Transaction.created_at,
                )
            )
            .join(User, User.id == Transaction.user_id)
            .where(mine)
            .order_by(Transaction.created_at.desc(), Transaction.id.desc())
            .limit(request.limit + 1)
        )
        if after is None:
            query = query.offset(request.offset)
        else:
            query = query.where(*after_cursor(Transaction.created_at, Transaction.id, after))
        found = [
            MerchantSale(tx, customer_display_name(first, last))
            for tx, first, last in session.execute(query).all()
        ]
    return SalesPage(
        *next_page(
            found,
            request,
            total,
            after is not None,
            lambda sale: (sale.transaction.created_at, sale.transaction.id),
        )
    )
