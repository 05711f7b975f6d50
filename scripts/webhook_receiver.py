"""A webhook receiver for trying Drop's webhooks on one machine (README walk-through): prints
every delivery with whether its signature verifies, and answers 200 (or 500 to the first
`--fail` deliveries, to watch the retries). Standard library only.

    python3 scripts/webhook_receiver.py --port 9000 --secret whsec_...
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import hmac
import json
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOLERANCE_SECONDS = 300


def verified(secret: str, timestamp: str, signature: str, body: bytes) -> bool:
    """README "Webhooks": HMAC-SHA256 of `<timestamp>.<raw body>`, compared in constant time,
    and a timestamp close to now (a replayed request is refused)."""
    expected = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    try:
        fresh = abs(time.time() - int(timestamp)) <= TOLERANCE_SECONDS
    except ValueError:
        return False
    return fresh and hmac.compare_digest(expected.hexdigest(), signature)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=9000)
    parser.add_argument("--secret", required=True, help="the whsec_... shown at registration")
    parser.add_argument("--fail", type=int, default=0, help="answer 500 to this many first")
    args = parser.parse_args(argv)
    answered = [0]

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length") or 0))
            good = verified(
                args.secret,
                self.headers.get("x-webhook-timestamp", ""),
                self.headers.get("x-webhook-signature", ""),
                body,
            )
            answered[0] += 1
            status = 500 if answered[0] <= args.fail else (200 if good else 401)
            event = json.loads(body or b"{}")
            print(
                f"{event.get('id')} {event.get('type')} signature "
                f"{'verified' if good else 'WRONG'} -> {status}\n"
                f"  {json.dumps(event.get('data'), ensure_ascii=False)}",
                flush=True,
            )
            self.send_response(status)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, format: str, *values: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    print(f"receiving webhooks on http://127.0.0.1:{args.port}/", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
