"""The bank as Drop sees it through PSD2: account information (AISP) and payment initiation
(PISP). Implementations: `sandbox_bank.SandboxBank`; a real Open Banking provider plugs in here."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Protocol


class PaymentOutcome(StrEnum):
    PENDING = "pending"
    COMPLETED = "completed"
    FAILED = "failed"


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


class PaymentInitiation(Protocol):
    def initiate(self, reference: str, debtor_account: str, amount: Decimal, creditor: str) -> str:
        """Starts a payment and returns the provider's payment id. Idempotent per `reference`
        (Drop's transaction id), so a retried call cannot pay twice."""
        ...

    def cancel(self, payment_id: str) -> None:
        """Withdraws a payment Drop could not record (compensation after a local failure)."""
        ...

    def reconcile(self, payment_id: str, reported: PaymentOutcome) -> None:
        """Checks a status report (callback) against the provider before Drop applies it."""
        ...


class BankProvider(AccountInformation, PaymentInitiation, Protocol):
    pass
