"""Logged exceptions keep their types and frames and lose their messages."""

from __future__ import annotations

import io
import logging

from drop_server.log_format import FORMAT, ScrubbingFormatter

# Built at run time: the traceback's source lines must not be what shows the data.
EMAIL = "@".join(["kari", "example.no"])
ACCOUNT = " ".join(["NO93", "8601", "1117", "947"])


def test_an_exception_is_logged_without_its_message() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(ScrubbingFormatter(FORMAT))
    logger = logging.getLogger("drop.test.scrubbing")
    logger.addHandler(handler)
    try:
        try:
            raise KeyError(f"Key (email)=({EMAIL}) already exists")
        except KeyError as cause:
            raise ValueError(f"account {ACCOUNT}") from cause
    except ValueError:
        logger.exception("clearing failed")
    finally:
        logger.removeHandler(handler)
    text = stream.getvalue()
    assert "clearing failed" in text
    assert "builtins.ValueError" in text and "builtins.KeyError" in text
    assert "test_an_exception_is_logged_without_its_message" in text  # the frames
    assert EMAIL not in text and ACCOUNT not in text
