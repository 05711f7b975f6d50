"""What a task runs against in this process: set once by the jobs worker (or a test)."""

from __future__ import annotations

from dataclasses import dataclass

from drop_server.config import Settings
from drop_server.db.engine import Database
from drop_server.providers.bank import BankProvider
from drop_server.providers.sandbox_bank import SandboxBank


@dataclass(frozen=True)
class JobScope:
    settings: Settings
    db: Database
    bank: BankProvider

    @property
    def sandbox_bank(self) -> SandboxBank | None:
        return self.bank if isinstance(self.bank, SandboxBank) else None


_scope: JobScope | None = None


def install(scope: JobScope) -> None:
    global _scope
    _scope = scope


def current() -> JobScope:
    if _scope is None:
        raise RuntimeError("no job scope installed in this process")
    return _scope
