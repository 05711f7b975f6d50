"""External parties Drop cannot reach from here (banks through AISP/PISP, the card issuer),
behind interfaces. These functions pick the implementation from configuration; nothing else
knows which runs."""

from __future__ import annotations

from decimal import Decimal

from drop_server.config import Settings
from drop_server.db.engine import Database
from drop_server.providers.bank import BankProvider
from drop_server.providers.card_issuer import CardIssuer, SandboxIssuer
from drop_server.providers.sandbox_bank import SandboxBank


def bank_provider(
    name: str, db: Database, *, reject_total: Decimal, database_url: str | None = None
) -> BankProvider:
    """`database_url`: the sandbox bank's own database; None shares Drop's (its own tables,
    its own transactions, never inside Drop's)."""
    if name == "sandbox":
        bank_db = db if database_url is None else Database(database_url, pool_size=4)
        return SandboxBank(bank_db, reject_total=reject_total)
    raise ValueError(f"unknown bank provider {name!r}")


def configured_bank(settings: Settings, db: Database) -> BankProvider:
    return bank_provider(
        settings.bank_provider,
        db,
        reject_total=settings.sandbox_reject_total,
        database_url=settings.sandbox_bank_database_url,
    )


def card_issuer(name: str) -> CardIssuer:
    if name == "sandbox":
        return SandboxIssuer()
    raise ValueError(f"unknown card issuer {name!r}")
