"""Log formatting that never prints an exception's message: a database driver's message can
quote the data it choked on (a key value, a row, an account number), and logs must not hold
personal data. Types and stack frames are enough to find the bug; the request id ties the
line to the call."""

from __future__ import annotations

import json
import logging
import traceback
from types import TracebackType

FORMAT = "%(asctime)s %(levelname)s [%(process)d] %(name)s: %(message)s"
LOG_FORMATS = ("auto", "json", "text")
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


class JsonFormatter(ScrubbingFormatter):
    """One JSON object per line: time, level, logger, process, message, and the fields of the
    call being served (request id, method, code, latency, user id) when there is one. The
    message is the format string filled in by our own code; exceptions are scrubbed as above."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "pid": record.process,
            "message": record.getMessage(),
        }
        for key in CALL_FIELDS:
            value = getattr(record, key, None)
            if value is not None:
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)  # type: ignore[arg-type]
        return json.dumps(entry, ensure_ascii=False, default=str)


# Fields a log record may carry about the call it was written in (see RequestContextFilter).
CALL_FIELDS = ("request_id", "method", "code", "latency_ms", "user_id", "client_ip")


class RequestContextFilter(logging.Filter):
    """Puts the current call's request id (and user, once known) on every record written while
    serving it, from any logger."""

    def filter(self, record: logging.LogRecord) -> bool:
        from drop_server.api.call import maybe_current_call

        call = maybe_current_call()
        if call is not None:
            if getattr(record, "request_id", None) is None:
                record.request_id = call.request_id
            if getattr(record, "method", None) is None:
                record.method = call.method
            principal = call.principal
            if getattr(record, "user_id", None) is None and principal is not None:
                record.user_id = principal.user_id
        return True


def use_json(choice: str, stream: object) -> bool:
    """DROP_LOG_FORMAT: json, text, or auto (text on a terminal, JSON otherwise)."""
    if choice == "json":
        return True
    if choice == "text":
        return False
    isatty = getattr(stream, "isatty", None)
    return not (callable(isatty) and isatty())
