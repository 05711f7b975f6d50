"""Amounts, fees and totals of payments: exact decimals, fees rounded half-up to 2 places."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from drop_server.domain.money import round_money

LARGEST_AMOUNT = 1e12


class PaymentType(StrEnum):
    REMITTANCE = "remittance"
    QR_PAYMENT = "qr_payment"


class TransactionStatus(StrEnum):
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"


# Internal only: a payment the bank refused when asked. No money moved and the client was told
# 422, so it is listed nowhere; it stays for the audit trail.
REJECTED = "rejected"


def answered_status(kind: PaymentType) -> TransactionStatus:
    """What the payment routes answer once the bank has accepted a payment: a remittance is on
    its way, a QR payment is done."""
    if kind is PaymentType.REMITTANCE:
        return TransactionStatus.PROCESSING
    return TransactionStatus.COMPLETED


@dataclass(frozen=True)
class AmountRule:
    minimum: Decimal
    maximum: Decimal
    fee_percent: Decimal


RULES = {
    PaymentType.REMITTANCE: AmountRule(Decimal("100"), Decimal("50000"), Decimal("0.5")),
    PaymentType.QR_PAYMENT: AmountRule(Decimal("1"), Decimal("100000"), Decimal("1.0")),
}


def parse_amount(value: float) -> Decimal | None:
    """The exact decimal a client wrote, or None when it has more than 2 decimals or is not a
    finite number. JSON numbers arrive as doubles; their shortest repr is what was written."""
    # Anything this large is no payment, and would overflow the 28-digit decimal context.
    if not math.isfinite(value) or abs(value) >= LARGEST_AMOUNT:
        return None
    try:
        amount = Decimal(repr(value))
    except InvalidOperation:
        return None
    exponent = amount.normalize().as_tuple().exponent
    if not isinstance(exponent, int) or exponent < -2:
        return None
    return amount.quantize(Decimal("0.01"))


def amount_problem(kind: PaymentType, amount: Decimal | None) -> str | None:
    rule = RULES[kind]
    if amount is None:
        return "Must be a number with at most 2 decimals"
    if not rule.minimum <= amount <= rule.maximum:
        return f"Must be between {rule.minimum} and {rule.maximum}"
    return None


@dataclass(frozen=True)
class Charge:
    amount: Decimal
    fee: Decimal
    fee_percent: Decimal
    total: Decimal


def charge(kind: PaymentType, amount: Decimal) -> Charge:
    percent = RULES[kind].fee_percent
    fee = round_money(amount * percent / Decimal(100))
    return Charge(amount=amount, fee=fee, fee_percent=percent, total=amount + fee)


def receive_amount(amount: Decimal, rate: Decimal) -> Decimal:
    return round_money(amount * rate)
