"""Configuration from defaults, a file, CARECERT_* variables and a mapping; the Flask app it builds."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from lti_tool.app import create_app
from lti_tool.config import ConfigError, load_config


def test_environment_variables_are_read_and_typed(tmp_path):
    config = load_config(
        environ={
            "CARECERT_DATA_DIR": str(tmp_path),
            "CARECERT_COOKIE_SECURE": "false",
            "CARECERT_ASSESSOR_ROLES": "urn:a, urn:b",
            "CARECERT_CLOCK_LEEWAY_SECONDS": "30",
            "CARECERT_BASE_URL": "https://tool.example/",
        }
    )
    assert config["COOKIE_SECURE"] is False and config["ASSESSOR_ROLES"] == ["urn:a", "urn:b"]
    assert config["CLOCK_LEEWAY_SECONDS"] == 30 and config["BASE_URL"] == "https://tool.example"


def test_mapping_overrides_environment_which_overrides_the_file(tmp_path):
    file = tmp_path / "carecert.json"
    file.write_text(json.dumps({"LOG_LEVEL": "DEBUG", "BASE_URL": "https://from-file"}))
    config = load_config(
        {"BASE_URL": "https://from-mapping"},
        environ={
            "CARECERT_CONFIG_FILE": str(file),
            "CARECERT_DATA_DIR": str(tmp_path),
            "CARECERT_LOG_LEVEL": "ERROR",
        },
    )
    assert config["BASE_URL"] == "https://from-mapping" and config["LOG_LEVEL"] == "ERROR"


def test_default_database_is_sqlite_in_the_data_folder_with_a_kept_secret_key(tmp_path):
    first = load_config({"DATA_DIR": str(tmp_path)}, environ={})
    second = load_config({"DATA_DIR": str(tmp_path)}, environ={})
    assert first["DATABASE_URL"] == f"sqlite:///{tmp_path / 'carecert.sqlite3'}"
    assert first["SECRET_KEY"] == second["SECRET_KEY"] and len(first["SECRET_KEY"]) > 30


def test_bad_boolean_names_the_key(tmp_path):
    with pytest.raises(ConfigError, match="COOKIE_SECURE"):
        load_config({"DATA_DIR": str(tmp_path), "COOKIE_SECURE": "perhaps"}, environ={})


def test_sqlite_database_runs_in_wal_mode_with_a_busy_timeout(tmp_path):
    app = create_app({"DATA_DIR": str(tmp_path)})
    with app.extensions["carecert"].db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
    app.extensions["carecert"].db.dispose()


def test_app_uses_the_repository_templates_and_static_folders(tmp_path):
    from lti_tool.app import REPO_ROOT

    app = create_app({"DATA_DIR": str(tmp_path)})
    assert app.template_folder == str(REPO_ROOT / "templates")
    assert app.static_folder == str(REPO_ROOT / "static")
    app.extensions["carecert"].db.dispose()


def test_configured_templates_folder_wins(tmp_path):
    folder = tmp_path / "my-templates"
    folder.mkdir()
    app = create_app({"DATA_DIR": str(tmp_path), "TEMPLATES_DIR": str(folder)})
    assert app.template_folder == str(folder)
    app.extensions["carecert"].db.dispose()


def test_bookkeeping_commits_skip_the_disk_wait_and_learner_data_keeps_it(tmp_path):
    from lti_tool.db import Database

    db = Database(f"sqlite:///{tmp_path / 'x.sqlite3'}", "FULL")
    with db.session(durable=False) as session:
        assert session.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL
    with db.session() as session:
        assert session.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
    db.dispose()


def test_postgresql_bookkeeping_commits_do_not_wait_for_the_wal_flush(database_url):
    from lti_tool.db import Database

    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only: SQLite is covered above")
    db = Database(database_url)
    with db.session(durable=False) as session:
        assert session.execute(text("SHOW synchronous_commit")).scalar() == "off"
    with db.session() as session:
        assert session.execute(text("SHOW synchronous_commit")).scalar() == "on"
    db.dispose()
