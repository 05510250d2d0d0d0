"""The launch's statements at the driver level (lti_tool.db.driver), once per dialect.

The statements themselves stay defined where they were (lti_tool.repo.launches, .registrations, .people);
this module compiles them once and runs them on the unit of work's DBAPI cursor, and hands back read-only
rows read by attribute like the models (`registration.issuer`, `deployment.id`, `user.sub`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Dialect, Engine, bindparam, select
from sqlalchemy.dialects import postgresql, sqlite

from lti_tool.db.driver import DriverStatement
from lti_tool.db.models import Deployment, LaunchSession, utcnow
from lti_tool.json_text import dump_json
from lti_tool.repo import launches as launch_repo
from lti_tool.repo import people
from lti_tool.repo import registrations as registration_repo

_LAUNCH_COLUMNS = tuple(column.key for column in LaunchSession.__table__.c if column.key != "id")
_REGISTRATION_WIDTH = len(registration_repo.LOGIN_COLUMNS)


def _row(names: list[str], values: tuple | None) -> Any:
    return None if values is None else SimpleNamespace(**dict(zip(names, values, strict=True)))


def _claims_processor(dialect: Dialect) -> Callable[[dict], Any]:
    # orjson, with json for what it refuses (lti_tool.json_text): the claims were read with NaN and Infinity
    # refused (lti_tool.lti.id_token), so orjson never meets the one value it writes differently.
    if dialect.name == "postgresql":
        from psycopg.types.json import Json  # what SQLAlchemy's psycopg JSON type sends, with our dumps

        return lambda claims: Json(claims, dumps=dump_json)
    return dump_json


class LaunchStatements:
    def __init__(self, dialect: Dialect):
        insert = postgresql.insert if dialect.name == "postgresql" else sqlite.insert
        self._dialect, self._insert = dialect, insert
        self._inserts_of_kept_rows: dict[frozenset[str], DriverStatement] = {}
        self.launch_registration = DriverStatement(registration_repo.LAUNCH_REGISTRATION, dialect)
        self.used_state = DriverStatement(launch_repo.USED_STATE, dialect)
        self.upsert_user = DriverStatement(people._user_upsert(dialect.name, insert, True), dialect)
        self.upsert_context = DriverStatement(people._context_upsert(dialect.name, insert, True), dialect)
        self.upsert_link = DriverStatement(people._link_upsert(dialect.name, insert, True), dialect)
        deployments = Deployment.__table__
        self.add_deployment_if_missing = DriverStatement(
            insert(deployments)
            .values(
                registration_id=bindparam("registration_id"),
                deployment_id=bindparam("deployment_id"),
                auto_added=True,
                created_at=bindparam("created_at"),
            )
            .on_conflict_do_nothing(
                index_elements=[deployments.c.registration_id, deployments.c.deployment_id]
            ),
            dialect,
        )
        self.deployment = DriverStatement(
            select(*deployments.c).where(
                deployments.c.registration_id == bindparam("registration_id"),
                deployments.c.deployment_id == bindparam("deployment_id"),
            ),
            dialect,
        )
        self.insert_launch_session = DriverStatement(
            launch_repo.record_launch_session(insert),
            dialect,
            columns=_LAUNCH_COLUMNS,
            bind_processors={"claims": _claims_processor(dialect)},
        )

    def insert_launch_session_of_kept(self, kept: frozenset[str]) -> DriverStatement:
        """The launch session's insert that checks the `kept` rows ("user", "context", "link") still exist
        (lti_tool.repo.launches.record_launch_session_of_kept_rows), compiled once per set of kinds."""
        found = self._inserts_of_kept_rows.get(kept)
        if found is None:
            statement = launch_repo.record_launch_session_of_kept_rows(
                self._insert, self._dialect.name, _LAUNCH_COLUMNS, kept
            )
            found = DriverStatement(
                statement, self._dialect, bind_processors={"claims": _claims_processor(self._dialect)}
            )
            self._inserts_of_kept_rows[kept] = found
        return found

    def find_launch_registration(self, cursor: Any, registration_id: int, deployment_id: str) -> tuple:
        """(registration or None, the deployment of it named `deployment_id` or None), in one query:
        id, issuer, client_id, status and auth_login_url of the registration, every deployment column."""
        found = self.launch_registration.first(
            cursor, {"registration_id": registration_id, "deployment_id": deployment_id}
        )
        if found is None:
            return None, None
        names = self.launch_registration.names
        registration = _row(names[:_REGISTRATION_WIDTH], found[:_REGISTRATION_WIDTH])
        deployment = _row(names[_REGISTRATION_WIDTH:], found[_REGISTRATION_WIDTH:])
        return registration, deployment if deployment_id and deployment.id is not None else None

    def login_used_at(self, cursor: Any, state: str) -> datetime | None:
        """When the login of a state was used (its launch session opened), or None when it has not been."""
        found = self.used_state.first(cursor, {"state_hash": launch_repo.token_hash(state)})
        return found[0] if found is not None else None

    def add_deployment(self, cursor: Any, registration_id: int, deployment_id: str) -> Any:
        """A deployment a launch names, added as `auto_added` (ALLOW_UNKNOWN_DEPLOYMENTS); the row already
        there when another launch added it first."""
        params = {"registration_id": registration_id, "deployment_id": deployment_id}
        self.add_deployment_if_missing.execute(cursor, {**params, "created_at": utcnow()})
        return _row(self.deployment.names, self.deployment.first(cursor, params))

    def upsert(self, statement: DriverStatement, cursor: Any, params: dict[str, Any]) -> Any:
        return _row(statement.names, statement.first(cursor, params))


_statements: dict[str, LaunchStatements] = {}


def statements_for(engine: Engine) -> LaunchStatements:
    found = _statements.get(engine.dialect.name)
    if found is None:
        found = _statements[engine.dialect.name] = LaunchStatements(engine.dialect)
    return found
