"""Webhook rules: URLs, refused addresses, the envelope's bytes, the signature and retries."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from datetime import UTC, datetime, timedelta

import pytest

from drop_server.domain import webhooks


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://shop.example.no/hooks", None),
        ("http://198.51.100.7:8080/h?x=1", None),
        ("ftp://shop.example.no/", "Must be an http or https URL"),
        ("javascript:alert(1)", "Must be an http or https URL"),
        ("https://", "Must name a host"),
        ("https://user:pw@shop.example.no/", "Must not contain credentials"),
        ("https://shop.example.no/#frag", "Must not contain a fragment"),
        ("https://shop.example.no:99999/", "Must be a valid URL"),
        ("https://shop.example.no/a b", "Must not contain spaces or control characters"),
        ("https://x.no/" + "a" * 2048, "Must be at most 2048 characters"),
    ],
)
def test_url_rules(url: str, problem: str | None) -> None:
    assert webhooks.url_problem(url) == problem


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.0.1", "169.254.169.254", "100.64.0.1",
        "0.0.0.0",  # noqa: S104 (an address refused, not bound)
        "224.0.0.1", "255.255.255.255", "::1", "::", "fe80::1", "fc00::1", "ff02::1",
        "::ffff:127.0.0.1", "::ffff:10.0.0.1", "2002:7f00:1::", "64:ff9b::a00:1",
    ],
)  # fmt: skip
def test_private_loopback_link_local_and_the_like_are_refused(address: str) -> None:
    assert webhooks.address_refused(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:4700:4700::1111", "8.8.8.8"])
def test_public_addresses_are_allowed(address: str) -> None:
    assert not webhooks.address_refused(ipaddress.ip_address(address))


def test_envelope_is_compact_json_in_a_fixed_order_and_signed_over_timestamp_and_body() -> None:
    at = datetime(2026, 2, 23, 12, 0, 0, 123456, tzinfo=UTC)
    body = webhooks.envelope(42, "payment.received", {"amount": 129, "name": "Bašić"}, at)
    assert (
        body
        == (
            '{"id":"evt_42","type":"payment.received","data":{"amount":129,"name":"Bašić"},'
            '"timestamp":"2026-02-23T12:00:00.123Z","version":"1"}'
        ).encode()
    )
    secret = "whsec_test"
    expected = hmac.new(secret.encode(), b"1767225600." + body, hashlib.sha256).hexdigest()
    assert webhooks.signature(secret, 1767225600, body) == expected
    assert webhooks.signature(secret, 1767225601, body) != expected


def test_retry_schedule() -> None:
    delays = [webhooks.retry_delay(n, 60) for n in range(1, 7)]
    assert delays == [
        timedelta(minutes=1),
        timedelta(minutes=5),
        timedelta(minutes=30),
        timedelta(hours=2),
        timedelta(hours=8),
        None,
    ]
    assert webhooks.MAX_ATTEMPTS == 6
    assert sum((d for d in delays if d), timedelta()) < webhooks.GIVE_UP_AFTER


def test_event_types() -> None:
    assert webhooks.event_types_problem(["payment.received"]) is None
    assert webhooks.event_types_problem([]) is not None
    assert webhooks.event_types_problem(["payment.sent"]) is not None


def test_the_walk_through_receiver_verifies_drops_signatures() -> None:
    import importlib.util
    import time as clock
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "scripts" / "webhook_receiver.py"
    spec = importlib.util.spec_from_file_location("webhook_receiver", path)
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    body = b'{"id":"evt_1","type":"payment.received"}'
    now = int(clock.time())
    signed = webhooks.signature("whsec_test", now, body)
    assert script.verified("whsec_test", str(now), signed, body)
    assert not script.verified("whsec_other", str(now), signed, body)
    # A well-signed request from an hour ago is a replay.
    old = webhooks.signature("whsec_test", now - 3600, body)
    assert not script.verified("whsec_test", str(now - 3600), old, body)
