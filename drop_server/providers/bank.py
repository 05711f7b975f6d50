"""The bank as Drop sees it through PSD2: account information (AISP) and payment initiation
(PISP). Implementations: `sandbox_bank.SandboxBank`; a real Open Banking provider plugs in here."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Protocol, runtime_checkable


class PaymentOutcome(StrEnum):
    PENDING = "pending"
    COMPLETED = "completed"
    FAILED = "failed"

    @property
    def final(self) -> bool:
        return self is not PaymentOutcome.PENDING


@dataclass(frozen=True)
class BankAccountInfo:
    account_number: str
    bank_name: str
    balance: Decimal
    currency: str


@dataclass(frozen=True)
class Consent:
    """The result of asking a bank for access. Either the accounts are linked at once
    (`accounts`), or the user must approve at the bank first (`redirect_url`)."""

    consent_id: str | None
    accounts: list[BankAccountInfo]
    redirect_url: str | None = None


class UnknownBank(Exception):
    pass


class PaymentRejected(Exception):
    """The bank refused to initiate the payment; no money moved."""


class AccountInformation(Protocol):
    supported_banks: tuple[str, ...]

    def link_accounts(self, owner_reference: str, bank_name: str) -> Consent: ...

    def read_balance(self, consent_id: str | None, account_number: str) -> Decimal: ...

    def read_payments(self, consent_id: str | None, account_number: str) -> list[BankPayment]:
        """The payments out of the account, as its statement shows them (the ledger check)."""
        ...


@dataclass(frozen=True)
class PaymentOrder:
    """What Drop asks the bank to pay. `reference` is the end-to-end id: the same on every retry
    of one payment, so the bank carries out each reference at most once."""

    reference: str
    debtor_account: str
    amount: Decimal
    creditor: str


@dataclass(frozen=True)
class BankPayment:
    """The bank's own record of a payment, as its status API reports it."""

    payment_id: str
    reference: str
    status: PaymentOutcome
    amount: Decimal


class BankUnavailable(Exception):
    """The bank could not be asked, or its answer was lost: the outcome is unknown."""


class PaymentInitiation(Protocol):
    def initiate(self, order: PaymentOrder) -> BankPayment:
        """Starts a payment, or returns the one already started under `order.reference`.
        Raises PaymentRejected when the bank refuses (again, on every retry of that reference)
        and BankUnavailable when the outcome is unknown."""
        ...

    def payment_status(self, reference: str) -> BankPayment | None:
        """The bank's record for a reference, or None when it never received one."""
        ...

    def cancel(self, reference: str) -> BankPayment:
        """Cancels the initiation under `reference` unless the bank already has the payment: a
        reference it never received is barred for good (an initiation still on its way is
        refused when it arrives); a payment it has is returned as it stands, for the bank, not
        Drop, decides those. Reconciliation calls this for payments the bank did not list."""
        ...

    def list_payments(self, references: list[str]) -> dict[str, BankPayment]:
        """The bank's records for many references at once (reconciliation)."""
        ...


@runtime_checkable
class ClearingSimulation(Protocol):
    """A sandbox bank's own clearing, driven from outside: what decides a pending payment at a
    real bank. A real provider does not offer it; its callbacks report what already happened."""

    def clear(self, reference: str, outcome: PaymentOutcome) -> BankPayment: ...


class BankProvider(AccountInformation, PaymentInitiation, Protocol):
    pass
