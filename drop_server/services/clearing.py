"""The sandbox bank's clearing (the `drop.sandbox_clearing` job, every second): it completes
the bank's pending payments after DROP_SANDBOX_SETTLE_SECONDS and reports each to Drop as a
PISP callback would, so a newcomer sees a remittance go from `processing` to `completed`."""

from __future__ import annotations

import logging
from datetime import timedelta

from drop_server.db.engine import Database
from drop_server.providers.sandbox_bank import SandboxBank
from drop_server.services.settlement import apply_bank_report

log = logging.getLogger(__name__)


def clear_once(db: Database, bank: SandboxBank, delay: timedelta) -> int:
    cleared = bank.clear_due(delay)
    # Cleared at the bank but not yet here (a crash in between) is what reconciliation finds.
    for payment in cleared:
        apply_bank_report(db, payment)
    return len(cleared)
