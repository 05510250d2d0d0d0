"""The tool's configuration: defaults, then an optional file, then CARECERT_* variables, then a mapping.

Every key is documented in DEFAULTS. Booleans and lists accept the usual string spellings, so the same keys
work from the environment (`CARECERT_COOKIE_SECURE=false`) and from Python (`{"COOKIE_SECURE": False}`).
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

ENV_PREFIX = "CARECERT_"

DEFAULTS: dict[str, Any] = {
    "BASE_URL": "http://127.0.0.1:8000",  # the tool's public URL, as the LMS and browsers reach it
    "DATA_DIR": ".data",  # SQLite database and uploaded packages live here
    "DATABASE_URL": "",  # empty: sqlite:///<DATA_DIR>/carecert.sqlite3
    "SECRET_KEY": "",  # empty: a random key kept in DATA_DIR/secret_key (stable across restarts)
    "LOG_LEVEL": "INFO",
    "REGISTRATION_AUTO_ACTIVATE": False,  # dynamic registrations wait for an admin unless True
    "ALLOW_UNKNOWN_DEPLOYMENTS": False,  # auto-add a deployment id seen for the first time
    "ASSESSOR_ROLES": [],  # extra role URIs that map to the assessor role
    "COOKIE_SECURE": True,  # False only for http:// test setups: browsers drop SameSite=None without Secure
    "AUTO_MIGRATE": True,  # apply Alembic migrations when the app starts
    "SQLITE_SYNCHRONOUS": "FULL",  # durability of SQLite commits (FULL or NORMAL)
    "CLOCK_LEEWAY_SECONDS": 60,  # platforms' clocks drift; 1EdTech suggests tolerating about a minute
    "LOGIN_STATE_LIFETIME_SECONDS": 600,  # how long a login may take before its launch arrives
    "LAUNCH_TOKEN_LIFETIME_SECONDS": 8 * 3600,  # a learner may keep a unit open for a working shift
    "PLATFORM_JWKS_CACHE_SECONDS": 3600,
    "JWKS_REFETCH_MAX_PER_MINUTE": 5,  # refetches on an unknown kid, per registration
    "HTTP_TIMEOUT_SECONDS": 10,
    "MAX_UPLOAD_BYTES": 512 * 1024 * 1024,
    "TEMPLATES_DIR": "",  # empty: the repository's templates/ (or the installed share folder)
    "STATIC_DIR": "",
    "CONFIG_FILE": "",  # optional JSON file with any of these keys
    "CONTENT_ORIGIN": "",  # e.g. https://content.example.org: serve SCO files from this separate origin
    "PLAYER_MAX_COMMIT_BYTES": 1024 * 1024,  # a commit with 64,000 characters of suspend_data is about 65 KB
    "PLAYER_AUTOSAVE_SECONDS": 10,  # the player commits this long after the SCO last changed something
    "CATALOGUE_SCORM_VERSION": "2004",  # the built-in catalogue's packages: "2004" or "1.2"
    "CATALOGUE_PROVISION_ON_START": True,  # build (or find) them when the app starts, not at the first picker
}

BOOL_KEYS = {
    "REGISTRATION_AUTO_ACTIVATE",
    "ALLOW_UNKNOWN_DEPLOYMENTS",
    "COOKIE_SECURE",
    "AUTO_MIGRATE",
    "CATALOGUE_PROVISION_ON_START",
}
INT_KEYS = {
    "CLOCK_LEEWAY_SECONDS",
    "LOGIN_STATE_LIFETIME_SECONDS",
    "LAUNCH_TOKEN_LIFETIME_SECONDS",
    "PLATFORM_JWKS_CACHE_SECONDS",
    "JWKS_REFETCH_MAX_PER_MINUTE",
    "HTTP_TIMEOUT_SECONDS",
    "MAX_UPLOAD_BYTES",
    "PLAYER_MAX_COMMIT_BYTES",
    "PLAYER_AUTOSAVE_SECONDS",
}
LIST_KEYS = {"ASSESSOR_ROLES"}


class ConfigError(ValueError):
    """A configuration value that cannot be used; the message names the key."""


def _as_bool(key: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"1", "true", "yes", "on"}:
        return True
    if text in {"0", "false", "no", "off", ""}:
        return False
    raise ConfigError(f"{key} must be true or false, not {value!r}")


def _as_int(key: str, value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{key} must be a whole number, not {value!r}") from exc


def _as_list(value: Any) -> list[str]:
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    text = str(value).strip()
    if text.startswith("["):
        return [str(v) for v in json.loads(text)]
    return [part.strip() for part in text.replace(",", " ").split() if part.strip()]


def _coerce(key: str, value: Any) -> Any:
    if key in BOOL_KEYS:
        return _as_bool(key, value)
    if key in INT_KEYS:
        return _as_int(key, value)
    if key in LIST_KEYS:
        return _as_list(value)
    return value


def _from_env(environ: Mapping[str, str]) -> dict[str, Any]:
    return {k[len(ENV_PREFIX) :]: v for k, v in environ.items() if k.startswith(ENV_PREFIX)}


def _from_file(path: str) -> dict[str, Any]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot read the configuration file {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"the configuration file {path} must hold one JSON object")
    return data


def _secret_key(data_dir: Path) -> str:
    # A random key kept beside the database, so several workers and restarts agree on it.
    key_file = data_dir / "secret_key"
    if key_file.exists():
        return key_file.read_text(encoding="utf-8").strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    key_file.write_text(key, encoding="utf-8")
    key_file.chmod(0o600)
    return key


def load_config(overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None) -> dict:
    """Merge defaults, the optional CONFIG_FILE, CARECERT_* variables and `overrides` (last wins)."""
    env_values = _from_env(os.environ if environ is None else environ)
    overrides = dict(overrides or {})
    config_file = overrides.get("CONFIG_FILE") or env_values.get("CONFIG_FILE") or ""
    merged: dict[str, Any] = dict(DEFAULTS)
    if config_file:
        merged.update(_from_file(config_file))
    merged.update(env_values)
    merged.update(overrides)
    config = {key: _coerce(key, value) for key, value in merged.items()}
    config["BASE_URL"] = str(config["BASE_URL"]).rstrip("/")
    data_dir = Path(config["DATA_DIR"]).expanduser().resolve()
    config["DATA_DIR"] = str(data_dir)
    if not config["DATABASE_URL"]:
        data_dir.mkdir(parents=True, exist_ok=True)
        config["DATABASE_URL"] = f"sqlite:///{data_dir / 'carecert.sqlite3'}"
    if not config["SECRET_KEY"]:
        config["SECRET_KEY"] = _secret_key(data_dir)
    if str(config["SQLITE_SYNCHRONOUS"]).upper() not in {"FULL", "NORMAL", "EXTRA"}:
        raise ConfigError("SQLITE_SYNCHRONOUS must be FULL, NORMAL or EXTRA")
    return config
