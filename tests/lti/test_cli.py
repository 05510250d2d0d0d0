"""The carecert commands: db upgrade, platform add/list/show/activate, keys rotate/retire, admin token."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from lti_tool.cli import main


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.setenv("CARECERT_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("CARECERT_BASE_URL", "https://tool.example")
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(main, list(args), catch_exceptions=False)

    return invoke


PLATFORM = [
    "platform",
    "add",
    "--issuer",
    "https://moodle.example",
    "--client-id",
    "abc",
    "--deployment-id",
    "1",
    "--auth-login-url",
    "https://moodle.example/mod/lti/auth.php",
    "--auth-token-url",
    "https://moodle.example/mod/lti/token.php",
    "--key-set-url",
    "https://moodle.example/mod/lti/certs.php",
]


def test_db_upgrade_reports_the_revision(run):
    from lti_tool.db.migrate import head_revision

    result = run("db", "upgrade")
    assert result.exit_code == 0 and f"revision {head_revision()}" in result.output


def test_platform_add_then_list(run):
    assert run(*PLATFORM).exit_code == 0
    listed = run("platform", "list").output
    assert "https://moodle.example" in listed and "client=abc" in listed and "deployments=[1]" in listed


def test_platform_add_twice_is_a_clear_error(run):
    run(*PLATFORM)
    result = run(*PLATFORM)
    assert result.exit_code == 1 and "already has a registration" in result.output


def test_platform_add_with_bad_url_explains(run):
    args = list(PLATFORM)
    args[args.index("--key-set-url") + 1] = "certs.php"
    result = run(*args)
    assert result.exit_code == 1 and "Public keyset URL must be an http(s) URL" in result.output


def test_platform_show_prints_the_tools_urls(run):
    output = run("platform", "show").output
    assert "https://tool.example/lti/login" in output and "https://tool.example/lti/jwks" in output


def test_keys_rotate_then_retire_the_old_key(run):
    run("keys", "rotate")
    first = run("keys", "list").output.split()[0]
    run("keys", "rotate")
    listing = run("keys", "list").output
    assert listing.count("\n") == 2 and first in listing
    assert run("keys", "retire", first).exit_code == 0
    assert first not in run("keys", "list").output


def test_admin_token_prints_a_token(run):
    result = run("admin", "token", "--label", "ops")
    assert result.exit_code == 0 and result.output.startswith("cca_")


def test_serve_is_offered(run):
    result = run("serve", "--help")
    assert result.exit_code == 0 and "--workers" in result.output and "--bind" in result.output


def test_db_purge_removes_expired_logins(run, tmp_path):
    from datetime import timedelta

    from lti_tool.config import load_config
    from lti_tool.db import Database
    from lti_tool.db.models import LoginState, utcnow

    run(*PLATFORM)
    db = Database(load_config(environ={"CARECERT_DATA_DIR": str(tmp_path)})["DATABASE_URL"])
    with db.session() as session:
        old = utcnow() - timedelta(days=3)
        session.add(
            LoginState(registration_id=1, state_hash="a" * 64, nonce="n", login_params={}, expires_at=old)
        )
        session.add(
            LoginState(
                registration_id=1, state_hash="b" * 64, nonce="n", login_params={}, expires_at=utcnow()
            )
        )
    result = run("db", "purge")
    with db.session() as session:
        remaining = session.query(LoginState).count()
    db.dispose()
    assert "removed 1" in result.output and remaining == 1
