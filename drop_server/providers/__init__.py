"""External parties Drop cannot reach from here (banks through AISP/PISP, the card issuer),
behind interfaces. These functions pick the implementation from configuration; nothing else
knows which runs."""

from __future__ import annotations

from decimal import Decimal

from drop_server.db.engine import Database
from drop_server.providers.bank import BankProvider
from drop_server.providers.card_issuer import CardIssuer, SandboxIssuer
from drop_server.providers.sandbox_bank import SandboxBank


def bank_provider(name: str, db: Database, *, reject_total: Decimal) -> BankProvider:
    if name == "sandbox":
        return SandboxBank(db, reject_total=reject_total)
    raise ValueError(f"unknown bank provider {name!r}")


def card_issuer(name: str) -> CardIssuer:
    if name == "sandbox":
        return SandboxIssuer()
    raise ValueError(f"unknown card issuer {name!r}")
