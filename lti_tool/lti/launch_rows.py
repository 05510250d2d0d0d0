"""The login's and the launch's statements at the driver level (lti_tool.db.driver), once per dialect.

The statements themselves stay defined where they were (lti_tool.repo.launches, .registrations, .people);
this module compiles them once and runs them on the unit of work's DBAPI cursor, and hands back read-only
rows read by attribute like the models (`login.nonce`, `registration.issuer`, `user.sub`).
"""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Dialect, Engine, bindparam, select
from sqlalchemy.dialects import postgresql, sqlite

from lti_tool.db.driver import DriverStatement
from lti_tool.db.models import Deployment, LaunchSession, LoginState, utcnow
from lti_tool.repo import launches as launch_repo
from lti_tool.repo import people
from lti_tool.repo import registrations as registration_repo

_LOGIN_COLUMNS = tuple(column.key for column in LoginState.__table__.c if column.key not in ("id", "used_at"))
_LAUNCH_COLUMNS = tuple(column.key for column in LaunchSession.__table__.c if column.key != "id")


def _row(names: list[str], values: tuple | None) -> Any:
    return None if values is None else SimpleNamespace(**dict(zip(names, values, strict=True)))


class LaunchStatements:
    def __init__(self, dialect: Dialect):
        insert = postgresql.insert if dialect.name == "postgresql" else sqlite.insert
        self.login_registration = DriverStatement(registration_repo.LOGIN_REGISTRATION, dialect)
        self.insert_login_state = DriverStatement(
            launch_repo.INSERT_LOGIN_STATE, dialect, columns=_LOGIN_COLUMNS
        )
        self.login_for_launch = DriverStatement(launch_repo.LOGIN_FOR_LAUNCH, dialect)
        # The joined row split back into its tables' rows (login, registration, deployment), in that order.
        by_table: dict[str, tuple[list, list[int]]] = {}
        for index, column in enumerate(self.login_for_launch.columns):
            columns, indexes = by_table.setdefault(column.table.name, ([], []))
            columns.append(column)
            indexes.append(index)
        self._login_for_launch_tables = list(by_table.values())
        self.consume_login = DriverStatement(launch_repo.CONSUME_LOGIN, dialect)
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
            launch_repo.INSERT_LAUNCH_SESSION, dialect, columns=_LAUNCH_COLUMNS
        )

    def find_login_registration(self, cursor: Any, issuer: str, client_id: str) -> Any:
        """id, issuer, client_id, status and auth_login_url of a registration, or None."""
        found = self.login_registration.first(cursor, {"issuer": issuer, "client_id": client_id})
        return _row(self.login_registration.names, found)

    def find_login_for_launch(self, cursor: Any, state_hash: str, deployment_id: str) -> tuple | None:
        """(login, registration, deployment or None): launch_repo.find_login_for_launch at the driver."""
        found = self.login_for_launch.first(
            cursor, {"state_hash": state_hash, "deployment_id": deployment_id}
        )
        if found is None:
            return None
        login, registration, deployment = (
            _row([column.key for column in columns], tuple(found[index] for index in indexes))
            for columns, indexes in self._login_for_launch_tables
        )
        return login, registration, deployment if deployment_id and deployment.id is not None else None

    def create_login_state(
        self,
        cursor: Any,
        registration_id: int,
        *,
        login_params: dict[str, str],
        storage_target: str,
        lifetime_seconds: int,
    ) -> tuple[str, str]:
        """launch_repo.create_login_state at the driver: a fresh (state, nonce) pair bound in one row."""
        state, nonce, now = launch_repo.new_secret(), launch_repo.new_secret(), utcnow()
        params = {
            "registration_id": registration_id,
            "state_hash": launch_repo.token_hash(state),
            "nonce": nonce,
            "login_params": login_params,
            "storage_target": storage_target,
            "created_at": now,
            "expires_at": now + timedelta(seconds=lifetime_seconds),
        }
        self.insert_login_state.first(cursor, params)
        return state, nonce

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
