"""How long an account refuses password sign-in after failed attempts, whatever address they
came from: the per-IP limit at the edge cannot stop a guesser spread over many addresses."""

from __future__ import annotations

# Failures allowed before the account locks; a successful sign-in starts the count again.
FREE_FAILURES = 5
FIRST_LOCK_SECONDS = 30
MAX_LOCK_SECONDS = 15 * 60


def lock_seconds(failures: int) -> int:
    """The lock after `failures` failed attempts in a row: none for the first few, then 30 s,
    doubling with every further failure, at most 15 minutes."""
    if failures < FREE_FAILURES:
        return 0
    return int(min(MAX_LOCK_SECONDS, FIRST_LOCK_SECONDS * 2 ** (failures - FREE_FAILURES)))
