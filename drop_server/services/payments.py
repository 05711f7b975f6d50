"""Remittances, QR payments and the disclosure that precedes them.

A payment is one database transaction: lock the bank account row, check the cached balance
covers amount + fee, initiate through the PISP, decrement the balance, write the transaction,
its first event and the notifications. Any error rolls all of it back; a PISP payment that was
started but could not be recorded is cancelled with the PISP.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from drop_server.auth.principal import Principal
from drop_server.db.engine import Database
from drop_server.db.models import BankAccount, Merchant, Transaction, TransactionEvent, User
from drop_server.domain import ids
from drop_server.domain.corridors import BASE_CURRENCY, QR_ETA, Corridor, corridor
from drop_server.domain.payments import (
    Charge,
    PaymentType,
    TransactionStatus,
    amount_problem,
    charge,
    parse_amount,
    receive_amount,
)
from drop_server.domain.users import KycStatus
from drop_server.errors import ApiError, ErrorCode, FieldError, Messages
from drop_server.providers.bank import BankProvider, PaymentRejected
from drop_server.services import idempotency
from drop_server.services.bank_accounts import owned_account
from drop_server.services.notifications import notify
from drop_server.services.rates import rate_for
from drop_server.services.recipients import owned_recipient

Encoder = Callable[[Transaction], bytes]


@dataclass(frozen=True)
class RemittanceRequest:
    recipient_id: str | None
    amount: float | None
    currency: str | None
    bank_account_id: str | None


@dataclass(frozen=True)
class QrPaymentRequest:
    merchant_id: str | None
    amount: float | None


@dataclass(frozen=True)
class DisclosureRequest:
    type: str | None
    amount: float | None
    currency: str | None
    recipient_id: str | None


@dataclass(frozen=True)
class Disclosure:
    charge: Charge
    exchange_rate: Decimal
    receive_amount: Decimal
    receive_currency: str
    estimated_delivery: str


@dataclass(frozen=True)
class PaymentAnswer:
    """A fresh transaction, or the stored first answer to a retried request."""

    transaction: Transaction | None = None
    replay: bytes | None = None


def _amount(kind: PaymentType, value: float | None) -> tuple[Decimal | None, FieldError | None]:
    if value is None:
        return None, FieldError("amount", "Is required")
    amount = parse_amount(value)
    problem = amount_problem(kind, amount)
    return amount, FieldError("amount", problem) if problem else None


def _currency_problem(currency: str | None) -> FieldError | None:
    if currency is not None and currency.strip().upper() != BASE_CURRENCY:
        return FieldError("currency", f"Must be {BASE_CURRENCY}")
    return None


def _quote(session: Session, route: Corridor, amount: Decimal) -> Disclosure:
    rate = rate_for(session, route.currency)
    if rate is None:
        raise ApiError.validation(
            [FieldError("recipientId", f"Sending to {route.currency} is not supported")]
        )
    return Disclosure(
        charge=charge(PaymentType.REMITTANCE, amount),
        exchange_rate=rate.rate,
        receive_amount=receive_amount(amount, rate.rate),
        receive_currency=route.currency,
        estimated_delivery=route.eta,
    )


def disclose(db: Database, principal: Principal, request: DisclosureRequest) -> Disclosure:
    """The numbers the payment route would charge at this moment (same rules, same rate row)."""
    assert principal.user_id is not None
    problems = []
    kind = None
    if request.type is None:
        problems.append(FieldError("type", "Is required"))
    elif request.type not in (PaymentType.REMITTANCE, PaymentType.QR_PAYMENT):
        problems.append(FieldError("type", "Must be remittance or qr_payment"))
    else:
        kind = PaymentType(request.type)
    amount, amount_error = _amount(kind or PaymentType.QR_PAYMENT, request.amount)
    problems += [p for p in (amount_error, _currency_problem(request.currency)) if p]
    if kind is PaymentType.REMITTANCE and not request.recipient_id:
        problems.append(FieldError("recipientId", "Is required for a remittance"))
    if problems:
        raise ApiError.bad_request(Messages.INVALID_REQUEST, problems)
    assert amount is not None and kind is not None
    if kind is PaymentType.QR_PAYMENT:
        return Disclosure(charge(kind, amount), Decimal(1), amount, BASE_CURRENCY, QR_ETA)
    assert request.recipient_id is not None
    with db.transaction() as session:
        recipient = owned_recipient(session, principal.user_id, request.recipient_id)
        route = corridor(recipient.country)
        assert route is not None
        return _quote(session, route, amount)


def _paying_account(session: Session, user_id: str, account_id: str | None) -> BankAccount:
    if account_id:
        return owned_account(session, user_id, account_id, lock=True)
    account = session.scalars(
        select(BankAccount)
        .where(
            BankAccount.user_id == user_id,
            BankAccount.deleted_at.is_(None),
            BankAccount.is_primary.is_(True),
        )
        .with_for_update()
    ).one_or_none()
    if account is None:
        raise ApiError(ErrorCode.NO_BANK_ACCOUNT, "Link a bank account first")
    return account


def _initiate(
    bank: BankProvider, tx_id: str, account: BankAccount, total: Decimal, creditor: str
) -> str:
    if account.balance < total:
        raise ApiError(ErrorCode.INSUFFICIENT_BALANCE, "The balance does not cover amount and fee")
    try:
        return bank.initiate(tx_id, account.account_number, total, creditor)
    except PaymentRejected:
        raise ApiError.validation(
            [FieldError("amount", "Your bank rejected the payment")]
        ) from None


def _record(session: Session, tx: Transaction, account: BankAccount, note: str) -> None:
    account.balance -= tx.total
    session.add(tx)
    session.flush()
    session.add(TransactionEvent(transaction_id=tx.id, status=tx.status, note=note))


def _run_payment(
    db: Database,
    bank: BankProvider,
    user_id: str,
    kind: PaymentType,
    request: object,
    key: str | None,
    encode: Encoder,
    pay: Callable[[Session], Transaction],
) -> PaymentAnswer:
    started: list[str] = []
    try:
        with db.transaction() as session:
            if key is not None:
                claimed = idempotency.claim(
                    session, user_id, key, idempotency.fingerprint(kind.value, request)
                )
                if claimed.replay is not None:
                    return PaymentAnswer(replay=claimed.replay)
            tx = pay(session)
            started.append(tx.payment_id)
            session.flush()
            session.refresh(tx)
            if key is not None:
                idempotency.remember(session, user_id, key, encode(tx))
        return PaymentAnswer(transaction=tx)
    except BaseException:
        for payment_id in started:
            bank.cancel(payment_id)
        raise


def send_remittance(
    db: Database,
    bank: BankProvider,
    principal: Principal,
    request: RemittanceRequest,
    key: str | None,
    encode: Encoder,
) -> PaymentAnswer:
    assert principal.user_id is not None
    user_id = principal.user_id
    amount, amount_error = _amount(PaymentType.REMITTANCE, request.amount)
    problems = [p for p in (amount_error, _currency_problem(request.currency)) if p]
    if not request.recipient_id:
        problems.insert(0, FieldError("recipientId", "Is required"))
    if problems:
        raise ApiError.bad_request(Messages.INVALID_REQUEST, problems)
    assert amount is not None and request.recipient_id is not None
    key = idempotency.check_key(key)

    def pay(session: Session) -> Transaction:
        user = session.get(User, user_id)
        assert user is not None
        if user.kyc_status != KycStatus.APPROVED:
            raise ApiError(
                ErrorCode.KYC_REQUIRED, "Identity verification (KYC) must be approved first"
            )
        recipient = owned_recipient(session, user_id, str(request.recipient_id))
        route = corridor(recipient.country)
        assert route is not None
        quote = _quote(session, route, amount)
        account = _paying_account(session, user_id, request.bank_account_id)
        tx_id = ids.new_id("tx_rem")
        payment_id = _initiate(
            bank, tx_id, account, quote.charge.total, f"{recipient.name} {recipient.bank_account}"
        )
        tx = Transaction(
            id=tx_id,
            user_id=user_id,
            type=PaymentType.REMITTANCE.value,
            status=TransactionStatus.PROCESSING.value,
            bank_account_id=account.id,
            from_bank_name=account.bank_name,
            amount=quote.charge.amount,
            currency=BASE_CURRENCY,
            fee=quote.charge.fee,
            fee_percent=quote.charge.fee_percent,
            total=quote.charge.total,
            exchange_rate=quote.exchange_rate,
            receive_amount=quote.receive_amount,
            receive_currency=quote.receive_currency,
            recipient_id=recipient.id,
            recipient_name=recipient.name,
            recipient_country=recipient.country,
            payment_id=payment_id,
            reference=reference_for(tx_id),
        )
        _record(session, tx, account, "initiated with the PISP")
        notify(
            session,
            user_id,
            "remittance_created",
            "Money on its way",
            f"{quote.charge.amount} NOK to {recipient.name} is being sent ({route.eta}).",
        )
        return tx

    return _run_payment(db, bank, user_id, PaymentType.REMITTANCE, request, key, encode, pay)


def pay_merchant(
    db: Database,
    bank: BankProvider,
    principal: Principal,
    request: QrPaymentRequest,
    key: str | None,
    encode: Encoder,
) -> PaymentAnswer:
    assert principal.user_id is not None
    user_id = principal.user_id
    amount, amount_error = _amount(PaymentType.QR_PAYMENT, request.amount)
    problems = [p for p in (amount_error,) if p]
    if not request.merchant_id:
        problems.insert(0, FieldError("merchantId", "Is required"))
    if problems:
        raise ApiError.bad_request(Messages.INVALID_REQUEST, problems)
    assert amount is not None and request.merchant_id is not None
    key = idempotency.check_key(key)

    def pay(session: Session) -> Transaction:
        merchant = session.get(Merchant, request.merchant_id)
        if merchant is None:
            raise ApiError.not_found("Merchant not found")
        if merchant.user_id == user_id:
            raise ApiError.bad_request(
                "You cannot pay your own business", [FieldError("merchantId", "Is your own")]
            )
        account = _paying_account(session, user_id, None)
        payment = charge(PaymentType.QR_PAYMENT, amount)
        tx_id = ids.new_id("tx_qr")
        payment_id = _initiate(
            bank,
            tx_id,
            account,
            payment.total,
            f"{merchant.business_name} {merchant.payout_account}",
        )
        now = datetime.now(UTC)
        tx = Transaction(
            id=tx_id,
            user_id=user_id,
            type=PaymentType.QR_PAYMENT.value,
            status=TransactionStatus.COMPLETED.value,
            bank_account_id=account.id,
            from_bank_name=account.bank_name,
            amount=payment.amount,
            currency=BASE_CURRENCY,
            fee=payment.fee,
            fee_percent=payment.fee_percent,
            total=payment.total,
            merchant_id=merchant.id,
            merchant_name=merchant.business_name,
            payment_id=payment_id,
            reference=reference_for(tx_id),
            completed_at=now,
        )
        _record(session, tx, account, "paid at once")
        payer = session.get(User, user_id)
        assert payer is not None
        notify(
            session,
            user_id,
            "qr_payment_made",
            "Payment sent",
            f"You paid {payment.amount} NOK to {merchant.business_name}.",
        )
        notify(
            session,
            merchant.user_id,
            "qr_payment_received",
            "Payment received",
            f"{payer.first_name} {payer.last_name[:1]}. paid you {payment.amount} NOK.",
        )
        return tx

    return _run_payment(db, bank, user_id, PaymentType.QR_PAYMENT, request, key, encode, pay)


def reference_for(tx_id: str) -> str:
    """The reference printed on receipts and sent with the payment."""
    return "DROP-" + tx_id.rsplit("_", 1)[-1][:10].upper()
