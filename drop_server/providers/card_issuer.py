"""The card-issuing partner (a Stripe Issuing or similar): Drop asks it to issue and manage
cards and keeps only its token, the last four digits and the expiry."""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Protocol

import bcrypt


@dataclass(frozen=True)
class IssuedCard:
    token: str
    last4: str
    expiry_month: int
    expiry_year: int


class CardIssuer(Protocol):
    def issue(self, owner_reference: str, kind: str) -> IssuedCard: ...

    def set_status(self, token: str, status: str) -> None: ...

    def order_physical(self, token: str, address: str) -> str: ...

    def set_pin(self, token: str, pin: str) -> None: ...

    def set_limit(self, token: str, limit_type: str, amount: Decimal) -> None: ...


def luhn_check_digit(body: str) -> str:
    total = 0
    for position, digit in enumerate(reversed(body)):
        value = int(digit)
        if position % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return str((10 - total % 10) % 10)


def is_luhn_valid(number: str) -> bool:
    return number.isdigit() and luhn_check_digit(number[:-1]) == number[-1]


# A test BIN range no real card uses.
TEST_BIN = "400000"


class SandboxIssuer:
    """Keeps full numbers and CVVs in its own vault: this process's memory, as a real issuer
    keeps them in its PCI vault. They never reach Drop's database, responses or logs."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._vault: dict[str, tuple[str, str]] = {}
        self._pins: dict[str, bytes] = {}
        self.limits: dict[tuple[str, str], Decimal] = {}

    def issue(self, owner_reference: str, kind: str) -> IssuedCard:
        body = TEST_BIN + "".join(secrets.choice("0123456789") for _ in range(9))
        number = body + luhn_check_digit(body)
        cvv = f"{secrets.randbelow(1000):03d}"
        token = f"ictok_{secrets.token_hex(12)}"
        with self._lock:
            self._vault[token] = (number, cvv)
        now = datetime.now(UTC)
        return IssuedCard(
            token=token, last4=number[-4:], expiry_month=now.month, expiry_year=now.year + 3
        )

    def set_status(self, token: str, status: str) -> None:
        return  # the sandbox authorises nothing, so a status needs no bookkeeping here

    def order_physical(self, token: str, address: str) -> str:
        return f"icord_{secrets.token_hex(8)}"

    def set_pin(self, token: str, pin: str) -> None:
        with self._lock:
            self._pins[token] = bcrypt.hashpw(pin.encode(), bcrypt.gensalt())

    def set_limit(self, token: str, limit_type: str, amount: Decimal) -> None:
        with self._lock:
            self.limits[(token, limit_type)] = amount

    def reveal(self, token: str) -> tuple[str, str]:
        """The full number and CVV, as the issuer's own card-details view would show them to
        the cardholder. Drop never calls this; tests use it to prove the number stays out."""
        with self._lock:
            return self._vault[token]
