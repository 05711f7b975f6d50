"""The fault proxy itself does what the fault tests rely on, against the real PostgreSQL."""

from __future__ import annotations

import time
from collections.abc import Iterator

import psycopg
import pytest

from tests.support.fault_proxy import FaultProxy, unix_socket_of


@pytest.fixture
def proxy(postgres_url: str) -> Iterator[FaultProxy]:
    with FaultProxy(unix_socket_of(postgres_url)) as proxy:
        yield proxy


def connect(url: str, timeout: int = 5) -> psycopg.Connection:
    return psycopg.connect(url, connect_timeout=timeout, autocommit=False)


def test_passes_queries_through(proxy: FaultProxy, postgres_url: str) -> None:
    with connect(proxy.database_url(postgres_url)) as conn:
        assert conn.execute("SELECT 1 + 1").fetchone() == (2,)


def test_a_lost_commit_ack_still_commits(proxy: FaultProxy, postgres_url: str) -> None:
    with connect(postgres_url) as direct:
        direct.execute("CREATE TABLE IF NOT EXISTS proxy_probe (id text PRIMARY KEY)")
        direct.commit()
    proxy.lose_commit_acks(every=1)
    conn = connect(proxy.database_url(postgres_url))
    conn.execute("INSERT INTO proxy_probe VALUES ('lost-ack')")
    with pytest.raises(psycopg.OperationalError):
        conn.commit()
    conn.close()
    assert proxy.commits_lost == 1
    with connect(postgres_url) as direct:
        found = direct.execute("SELECT id FROM proxy_probe WHERE id = 'lost-ack'").fetchall()
    assert found == [("lost-ack",)]


def test_reset_breaks_open_connections(proxy: FaultProxy, postgres_url: str) -> None:
    conn = connect(proxy.database_url(postgres_url))
    conn.execute("SELECT 1")
    proxy.reset()
    with pytest.raises(psycopg.OperationalError):
        conn.execute("SELECT 1")
    conn.close()


def test_refuse_then_accept(proxy: FaultProxy, postgres_url: str) -> None:
    url = proxy.database_url(postgres_url)
    proxy.refuse()
    with pytest.raises(psycopg.OperationalError, match="refused"):
        connect(url)
    proxy.accept()
    with connect(url) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)


def test_blackhole_hangs_until_healed(proxy: FaultProxy, postgres_url: str) -> None:
    url = proxy.database_url(postgres_url)
    open_conn = connect(url)
    proxy.blackhole()
    started = time.monotonic()
    with pytest.raises(psycopg.OperationalError):
        connect(url, timeout=1)
    assert time.monotonic() - started >= 0.9
    proxy.heal()
    with pytest.raises(psycopg.OperationalError):
        open_conn.execute("SELECT 1")  # cut off by the partition: reset on heal
    open_conn.close()
    with connect(url) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)
