"""A database of its own on the suite's PostgreSQL, migrated to head."""

from __future__ import annotations

import uuid

import psycopg

from drop_server.db import migrate


def fresh_database(postgres_url: str, prefix: str = "db") -> str:
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(postgres_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    base, _, query = postgres_url.partition("?")
    url = f"{base.rsplit('/', 1)[0]}/{name}?{query}"
    migrate.upgrade(url)
    return url
