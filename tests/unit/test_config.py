from __future__ import annotations

from pathlib import Path

import pytest

from drop_server.config import ConfigError, Mode, load_settings


def test_development_defaults(tmp_path: Path) -> None:
    settings = load_settings({"DROP_DATA_DIR": str(tmp_path)})
    assert settings.mode is Mode.DEVELOPMENT
    assert (settings.host, settings.http_port, settings.grpc_port) == ("127.0.0.1", 8080, 50051)
    assert settings.embedded_database and settings.password_login
    assert len(settings.jwt_secret) >= 32


def test_dev_secret_is_generated_once_and_kept_private(tmp_path: Path) -> None:
    first = load_settings({"DROP_DATA_DIR": str(tmp_path)}).jwt_secret
    assert load_settings({"DROP_DATA_DIR": str(tmp_path)}).jwt_secret == first
    assert (tmp_path / "dev-jwt-secret").stat().st_mode & 0o077 == 0


def test_production_refuses_to_start_without_a_secret(tmp_path: Path) -> None:
    env = {
        "DROP_ENV": "production",
        "DROP_DATA_DIR": str(tmp_path),
        "DATABASE_URL": "postgresql://x/y",
        "DROP_BANKID_ISSUER": "https://auth.bankid.example",
        "DROP_BANKID_CLIENT_SECRET": "s3cret",
        "DROP_WEBHOOK_SECRETS_KEY": "w" * 40,
    }
    with pytest.raises(ConfigError, match="DROP_JWT_SECRET"):
        load_settings(env)
    with pytest.raises(ConfigError, match="DROP_JWT_SECRET"):
        load_settings({**env, "DROP_JWT_SECRET": "short"})
    assert not (tmp_path / "dev-jwt-secret").exists()
    assert load_settings({**env, "DROP_JWT_SECRET": "p" * 40}).production


def test_webhook_secrets_key_and_private_targets(tmp_path: Path) -> None:
    production = {
        "DROP_ENV": "production",
        "DROP_DATA_DIR": str(tmp_path),
        "DATABASE_URL": "postgresql://x/y",
        "DROP_BANKID_ISSUER": "https://auth.bankid.example",
        "DROP_BANKID_CLIENT_SECRET": "s3cret",
        "DROP_JWT_SECRET": "p" * 40,
    }
    with pytest.raises(ConfigError, match="DROP_WEBHOOK_SECRETS_KEY"):
        load_settings(production)
    with pytest.raises(ConfigError, match="DROP_WEBHOOK_SECRETS_KEY"):
        load_settings({**production, "DROP_WEBHOOK_SECRETS_KEY": "short"})
    keyed = {**production, "DROP_WEBHOOK_SECRETS_KEY": "w" * 40}
    assert load_settings(keyed).webhook_secrets_key == "w" * 40
    with pytest.raises(ConfigError, match="DROP_WEBHOOK_ALLOW_PRIVATE"):
        load_settings({**keyed, "DROP_WEBHOOK_ALLOW_PRIVATE": "1"})
    # Development: a random key kept in the data directory, the same for every process.
    development = load_settings({"DROP_DATA_DIR": str(tmp_path), "DROP_WEBHOOK_ALLOW_PRIVATE": "1"})
    assert len(development.webhook_secrets_key) >= 32 and development.webhook_allow_private
    assert load_settings({"DROP_DATA_DIR": str(tmp_path)}).webhook_secrets_key == (
        development.webhook_secrets_key
    )
    assert development.webhook_retry_base_seconds == 60.0
    with pytest.raises(ConfigError, match="DROP_WEBHOOK_RETRY_BASE_SECONDS"):
        load_settings({"DROP_DATA_DIR": str(tmp_path), "DROP_WEBHOOK_RETRY_BASE_SECONDS": "0"})


def test_production_needs_a_database_url(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="DATABASE_URL"):
        load_settings(
            {"DROP_ENV": "production", "DROP_JWT_SECRET": "p" * 40, "DROP_DATA_DIR": str(tmp_path)}
        )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DROP_ENV", "staging"),
        ("DROP_HTTP_PORT", "http"),
        ("DROP_GRPC_PORT", "70000"),
        ("DROP_WORKERS", "0"),
        ("DROP_PASSWORD_LOGIN", "maybe"),
        ("DROP_LOG_LEVEL", "LOUD"),
        ("DATABASE_URL", "mysql://x"),
        ("DROP_GRPC_PORT", "8080"),
        ("DROP_CORS_ORIGINS", "*"),
        ("DROP_CORS_ORIGINS", "app.example.no"),
        # Envoy closes a stream idle for 60 s: heartbeats must come sooner.
        ("DROP_STREAM_HEARTBEAT_SECONDS", "60"),
        ("DROP_STREAM_HEARTBEAT_SECONDS", "0"),
    ],
)
def test_bad_values_are_refused_with_the_variable_named(
    tmp_path: Path, name: str, value: str
) -> None:
    with pytest.raises(ConfigError):
        load_settings({"DROP_DATA_DIR": str(tmp_path), name: value})


def test_password_login_switch(tmp_path: Path) -> None:
    assert not load_settings(
        {"DROP_DATA_DIR": str(tmp_path), "DROP_PASSWORD_LOGIN": "false"}
    ).password_login


def test_production_needs_a_real_bankid_issuer(tmp_path: Path) -> None:
    base = {
        "DROP_ENV": "production",
        "DROP_JWT_SECRET": "p" * 40,
        "DROP_DATA_DIR": str(tmp_path),
        "DATABASE_URL": "postgresql://x/y",
    }
    with pytest.raises(ConfigError, match="DROP_BANKID_ISSUER"):
        load_settings(base)
    with pytest.raises(ConfigError, match="DROP_BANKID_CLIENT_SECRET"):
        load_settings({**base, "DROP_BANKID_ISSUER": "https://auth.bankid.example"})


def test_bankid_defaults_to_the_local_sandbox(tmp_path: Path) -> None:
    settings = load_settings({"DROP_DATA_DIR": str(tmp_path), "DROP_HTTP_PORT": "9000"})
    assert settings.bankid_issuer is None
    assert settings.bankid_redirect_uri == "http://127.0.0.1:9000/api/auth/bankid/callback"
    assert settings.app_url == "/"


def test_cors_origins_none_by_default_and_listed_exactly(tmp_path: Path) -> None:
    assert load_settings({"DROP_DATA_DIR": str(tmp_path)}).cors_origins == ()
    listed = load_settings(
        {
            "DROP_DATA_DIR": str(tmp_path),
            "DROP_CORS_ORIGINS": " https://app.drop.no/, http://localhost:5173 ,",
        }
    )
    assert listed.cors_origins == ("https://app.drop.no", "http://localhost:5173")
