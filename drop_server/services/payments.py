"""Remittances, QR payments and the disclosure that precedes them.

A payment is first an intent, in one short transaction: check the request, lock the bank
account row, reserve amount + fee against the cached balance, write the transaction (with the
end-to-end reference the bank deduplicates by) and bind the Idempotency-Key to it; commit. Only
then is the bank asked, and its answer recorded in a second short transaction
(services.payment_intents). A failure in between leaves an intent that a retry with the same
key, or reconciliation, drives to the bank's answer: nothing is lost and nothing paid twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from drop_server.auth.principal import Principal
from drop_server.db.engine import Database
from drop_server.db.models import BankAccount, Merchant, Transaction, TransactionEvent, User
from drop_server.domain import ids
from drop_server.domain.corridors import BASE_CURRENCY, QR_ETA, Corridor, corridor
from drop_server.domain.payments import (
    REJECTED,
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
from drop_server.observability import metrics
from drop_server.providers.bank import BankProvider, PaymentOrder
from drop_server.services import idempotency, payment_intents
from drop_server.services.bank_accounts import owned_account
from drop_server.services.rates import rate_for
from drop_server.services.recipients import owned_recipient


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
    """The payment (the servicer answers with it as first accepted: see `answered_status`), or
    the encoded first answer stored for a key from before payments became intents."""

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


def _reserve(session: Session, account: BankAccount, total: Decimal) -> None:
    """Holds `total` against the cached balance under the account's row lock: concurrent
    payments queue here and can never overdraw it."""
    if account.balance < total:
        raise ApiError(ErrorCode.INSUFFICIENT_BALANCE, "The balance does not cover amount and fee")
    account.balance -= total


def _write_intent(session: Session, tx: Transaction, account: BankAccount) -> None:
    _reserve(session, account, tx.total)
    session.add(tx)
    session.flush()
    session.add(TransactionEvent(transaction_id=tx.id, status=tx.status, note="intent recorded"))


def _run_payment(
    db: Database,
    bank: BankProvider,
    user_id: str,
    kind: PaymentType,
    request: object,
    key: str | None,
    prepare: Callable[[Session, str], Transaction],
) -> PaymentAnswer:
    """Records the intent (or finds the one a retry with this key started) and commits, then
    drives it with the bank. See services.payment_intents for the states."""
    try:
        answer = _pay(db, bank, user_id, kind, request, key, prepare)
    except ApiError as error:
        metrics.PAYMENTS.labels(kind.value, error.code.value).inc()
        raise
    outcome = answer.transaction.status if answer.transaction is not None else "replayed"
    metrics.PAYMENTS.labels(kind.value, outcome).inc()
    return answer


def _pay(
    db: Database,
    bank: BankProvider,
    user_id: str,
    kind: PaymentType,
    request: object,
    key: str | None,
    prepare: Callable[[Session, str], Transaction],
) -> PaymentAnswer:
    order: PaymentOrder | None = None
    with payment_intents.outcome_unknown_on_database_fault(), db.transaction() as session:
        if key is None:
            tx = prepare(session, "")
            tx_id, order = tx.id, payment_intents.order_for(session, tx)
        else:
            claimed = idempotency.claim(
                session, user_id, key, idempotency.fingerprint(kind.value, request)
            )
            if claimed.replay is not None:
                return PaymentAnswer(replay=claimed.replay)
            if claimed.transaction_id is not None:
                tx_id = claimed.transaction_id
            else:
                tx = prepare(session, claimed.end_to_end_id(user_id))
                tx_id, order = tx.id, payment_intents.order_for(session, tx)
                idempotency.bind(session, user_id, key, tx_id)
    # A new intent's order is known already; a retry's is read back (its state may have moved).
    tx = payment_intents.drive(db, bank, tx_id, order)
    if tx.payment_id is None and tx.status == TransactionStatus.FAILED.value:
        # Reconciliation found the bank never had it and barred its reference.
        raise ApiError.conflict(
            "This payment could not be completed and no money moved; "
            "send it again with a new Idempotency-Key"
        )
    if tx.status == REJECTED:
        raise payment_intents.bank_refused()
    return PaymentAnswer(transaction=tx)


def send_remittance(
    db: Database,
    bank: BankProvider,
    principal: Principal,
    request: RemittanceRequest,
    key: str | None,
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

    def prepare(session: Session, end_to_end_id: str) -> Transaction:
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
            end_to_end_id=end_to_end_id or tx_id,
            reference=reference_for(tx_id),
        )
        _write_intent(session, tx, account)
        return tx

    return _run_payment(db, bank, user_id, PaymentType.REMITTANCE, request, key, prepare)


def pay_merchant(
    db: Database,
    bank: BankProvider,
    principal: Principal,
    request: QrPaymentRequest,
    key: str | None,
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

    def prepare(session: Session, end_to_end_id: str) -> Transaction:
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
        tx = Transaction(
            id=tx_id,
            user_id=user_id,
            type=PaymentType.QR_PAYMENT.value,
            status=TransactionStatus.PROCESSING.value,
            bank_account_id=account.id,
            from_bank_name=account.bank_name,
            amount=payment.amount,
            currency=BASE_CURRENCY,
            fee=payment.fee,
            fee_percent=payment.fee_percent,
            total=payment.total,
            merchant_id=merchant.id,
            merchant_name=merchant.business_name,
            end_to_end_id=end_to_end_id or tx_id,
            reference=reference_for(tx_id),
        )
        _write_intent(session, tx, account)
        return tx

    return _run_payment(db, bank, user_id, PaymentType.QR_PAYMENT, request, key, prepare)


def reference_for(tx_id: str) -> str:
    """The reference printed on receipts and sent with the payment."""
    return "DROP-" + tx_id.rsplit("_", 1)[-1][:10].upper()
