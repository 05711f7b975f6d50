"""The `drop` command: serve, migrate, admin."""

from __future__ import annotations

import argparse
import logging
import os
import sys

from drop_server.config import ConfigError, Role, Settings, load_settings
from drop_server.errors import ApiError
from drop_server.log_format import (
    FORMAT,
    JsonFormatter,
    RequestContextFilter,
    ScrubbingFormatter,
    use_json,
)


def configure_logging(level: str, log_format: str = "auto") -> None:
    handler = logging.StreamHandler(sys.stderr)
    # Exceptions are logged as types and frames only: no message can carry data to the log.
    if use_json(log_format, sys.stderr):
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(ScrubbingFormatter(FORMAT))
    handler.addFilter(RequestContextFilter())
    logging.basicConfig(level=level, handlers=[handler])
    for noisy in ("pgserver", "alembic"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLevelName(level)))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="drop", description="Drop payments backend")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser(
        "serve", help="start PostgreSQL (embedded unless DATABASE_URL), the gRPC workers and Envoy"
    )
    serve.add_argument(
        "--role",
        choices=["all", "api", "jobs"],
        default=None,
        help="api: gRPC workers + Envoy; jobs: the job queue's workers; all (default): both",
    )
    commands.add_parser("migrate", help="upgrade the database schema")
    commands.add_parser("seed-demo", help="create the demo users, accounts, recipients and history")
    commands.add_parser(
        "reconcile",
        help="resolve open payments with the bank and print ledger differences (exit 1 if any)",
    )
    commands.add_parser("worker", help=argparse.SUPPRESS)
    commands.add_parser("jobs-worker", help=argparse.SUPPRESS)
    commands.add_parser("streams", help=argparse.SUPPRESS)
    commands.add_parser("jobs", help="the job queue: waiting, running and failed jobs (JSON)")
    admin = commands.add_parser("admin", help="operator bootstrap").add_subparsers(
        dest="admin_command", required=True
    )
    promote = admin.add_parser("promote", help="give an existing user the admin role")
    promote.add_argument("email")
    create_key = admin.add_parser(
        "create-api-key", help="create an API key (printed once, stored hashed)"
    )
    create_key.add_argument(
        "--scope",
        required=True,
        action="append",
        choices=["admin", "support", "compliance", "finance", "settlement", "rates"],
        help="repeat for several scopes",
    )
    create_key.add_argument("--label", default=None)
    return parser


def _admin(settings: Settings, args: argparse.Namespace) -> int:
    from drop_server.db import migrate
    from drop_server.db.engine import Database
    from drop_server.services import admin_users, api_keys
    from drop_server.supervisor import database_url_for

    with database_url_for(settings) as database_url:
        migrate.upgrade(database_url)
        db = Database(database_url, pool_size=1)
        try:
            if args.admin_command == "promote":
                user = admin_users.promote_to_admin(db, args.email)
                print(f"{user.email} ({user.id}) is now an admin")
            else:
                issued = api_keys.create_api_key(db, args.scope, args.label)
                scopes = ", ".join(issued.row.scopes)
                print(f"API key {issued.row.id} (scopes {scopes}); shown once, store it now:")
                print(issued.key)
        except ApiError as error:
            print(f"drop admin: {error.message}", file=sys.stderr)
            return 1
        finally:
            db.dispose()
    return 0


def _seed_demo(settings: Settings) -> int:
    from drop_server.db import migrate
    from drop_server.db.engine import Database
    from drop_server.providers import configured_bank
    from drop_server.services.demo import seed_demo
    from drop_server.supervisor import database_url_for

    with database_url_for(settings) as database_url:
        migrate.upgrade(database_url)
        db = Database(database_url, pool_size=2)
        try:
            bank = configured_bank(settings, db)
            world = seed_demo(db, bank, settings.jwt_secret)
        finally:
            db.dispose()
    state = "created" if world.created else "already there"
    print(
        f"demo data {state}: {world.user_email} and {world.merchant_email}, "
        f"password {world.password}"
    )
    return 0


def _reconcile(settings: Settings) -> int:
    import json
    from datetime import timedelta

    from drop_server.db.engine import Database
    from drop_server.providers import configured_bank
    from drop_server.services import reconciliation
    from drop_server.supervisor import database_url_for

    with database_url_for(settings) as database_url:
        db = Database(database_url, pool_size=2)
        try:
            bank = configured_bank(settings, db)
            after = timedelta(seconds=settings.reconcile_after_seconds)
            resolved = reconciliation.resolve_open_payments(db, bank, after)
            differences = reconciliation.report_ledger(db, bank)
        finally:
            db.dispose()
    report = {
        "resolvedIntents": resolved.intents,
        "settled": resolved.settled,
        "ledgerDifferences": [
            {"bankAccountId": d.bank_account_id, "kind": d.kind, "detail": d.detail}
            for d in differences
        ],
    }
    print(json.dumps(report))
    return 1 if differences else 0


def _jobs(settings: Settings) -> int:
    import json
    from dataclasses import asdict

    from drop_server.db.engine import Database
    from drop_server.jobs.stats import queue_stats
    from drop_server.supervisor import database_url_for

    with database_url_for(settings) as database_url:
        db = Database(database_url, pool_size=1)
        try:
            print(json.dumps(asdict(queue_stats(db))))
        finally:
            db.dispose()
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
    except ConfigError as error:
        print(f"drop: configuration error: {error}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level, settings.log_format)

    if args.command == "serve":
        from dataclasses import replace

        from drop_server.supervisor import serve

        if args.role is not None:
            settings = replace(settings, role=Role(args.role))
        return serve(settings)
    if args.command == "worker":
        from drop_server.server import run_worker

        run_worker(settings, os.environ["DATABASE_URL"])
        return 0
    if args.command == "jobs-worker":
        from drop_server.jobs.worker import run_jobs_worker

        run_jobs_worker(settings, os.environ["DATABASE_URL"])
        return 0
    if args.command == "streams":
        from drop_server.streams.process import run_streams

        run_streams(settings, os.environ["DATABASE_URL"])
        return 0
    if args.command == "jobs":
        return _jobs(settings)
    if args.command == "seed-demo":
        return _seed_demo(settings)
    if args.command == "reconcile":
        return _reconcile(settings)
    if args.command == "migrate":
        from drop_server.db import migrate
        from drop_server.supervisor import database_url_for

        with database_url_for(settings) as database_url:
            migrate.upgrade(database_url)
        print("database is up to date")
        return 0
    return _admin(settings, args)


if __name__ == "__main__":
    sys.exit(main())
