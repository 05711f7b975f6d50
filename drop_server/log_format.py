"""Log formatting that never prints an exception's message: a database driver's message can
quote the data it choked on (a key value, a row, an account number), and logs must not hold
personal data. Types and stack frames are enough to find the bug; the request id ties the
line to the call."""

from __future__ import annotations

import logging
import traceback
from types import TracebackType

FORMAT = "%(asctime)s %(levelname)s [%(process)d] %(name)s: %(message)s"
ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def scrubbed_traceback(error: BaseException) -> str:
    """Exception types and stack frames of `error` and what caused it, without messages."""
    parts: list[str] = []
    current: BaseException | None = error
    while current is not None and len(parts) < 5:
        frames = "".join(traceback.format_tb(current.__traceback__))
        parts.append(f"{type(current).__module__}.{type(current).__qualname__}\n{frames}")
        current = current.__cause__ or current.__context__
    return "caused by ".join(parts).rstrip("\n")


class ScrubbingFormatter(logging.Formatter):
    def formatException(self, ei: ExcInfo) -> str:  # type: ignore[override]
        return scrubbed_traceback(ei[1])
