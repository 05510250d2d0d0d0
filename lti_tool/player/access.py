"""The commit path's lookups, kept to the columns it needs: a commit arrives on every slide of a course.

A launch token is checked with one indexed query (its hash, unexpired, registration active), and a package's
course is parsed once per process: package folders are named by their content's hash and never change.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from lti_tool.db.models import LaunchSession, Package, Registration, utcnow
from lti_tool.player.course import Course, CourseUnavailable, load_course
from lti_tool.repo.launches import token_hash

MAX_TOKEN_LENGTH = 128


@dataclass(frozen=True)
class PlayerLaunch:
    """What the player needs of a launch session (the claims stay in the database)."""

    registration_id: int
    user_pk: int
    resource_link_pk: int | None
    role: str


# Built once: building the statement cost as much as running it.
_LAUNCH_BY_TOKEN = (
    select(
        LaunchSession.registration_id,
        LaunchSession.user_pk,
        LaunchSession.resource_link_pk,
        LaunchSession.role,
        LaunchSession.expires_at,
    )
    .join(Registration, Registration.id == LaunchSession.registration_id)
    .where(LaunchSession.token_hash == bindparam("token_hash"), Registration.status == "active")
)


def launch_for_token(session: Session, token: str) -> PlayerLaunch | None:
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    # A Core statement of columns: the session's connection runs it without the ORM's execution layers.
    found = session.connection().execute(_LAUNCH_BY_TOKEN, {"token_hash": token_hash(token)})
    row = found.one_or_none()
    if row is None or row.expires_at <= utcnow():
        return None
    return PlayerLaunch(row.registration_id, row.user_pk, row.resource_link_pk, row.role)


_courses: dict[tuple[str, int], Course] = {}
_lock = threading.Lock()


def course_of_package(session: Session, package_pk: int, data_dir: str) -> Course:
    """The course of a package row, cached by database and primary key; CourseUnavailable when it cannot be
    read."""
    key = (str(session.get_bind().url), package_pk)
    with _lock:
        found = _courses.get(key)
    if found is not None:
        return found
    storage_path = session.scalar(select(Package.storage_path).where(Package.id == package_pk))
    if storage_path is None:
        raise CourseUnavailable("the package was removed")
    course = load_course(Path(data_dir) / storage_path)
    with _lock:
        _courses[key] = course
    return course
