"""The commit path's lookups, kept to the columns it needs: a commit arrives on every slide of a course.

A launch token is checked with one indexed query (its hash, unexpired, registration active), and a package's
course is parsed once per process: package folders are named by their content's hash and never change.

The commit endpoint also keeps a token's launch facts for a few seconds (LaunchCache): they never change
(registration, learner, activity), launch sessions are only ever removed after they expire, and the expiry
is checked on every use. The one rule the cache delays is a registration switched off by an admin: its
learners' commits are refused at most LAUNCH_CACHE_SECONDS later.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from lti_tool.db import Database
from lti_tool.db.models import LaunchSession, Package, Registration, utcnow
from lti_tool.player.course import Course, CourseUnavailable, load_course
from lti_tool.repo.launches import token_hash

MAX_TOKEN_LENGTH = 128
LAUNCH_CACHE_SECONDS = 5.0
LAUNCH_CACHE_ENTRIES = 20_000


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


def _launch_and_expiry(session: Session, token: str) -> tuple[PlayerLaunch, datetime] | None:
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    # A Core statement of columns: the session's connection runs it without the ORM's execution layers.
    found = session.connection().execute(_LAUNCH_BY_TOKEN, {"token_hash": token_hash(token)})
    row = found.one_or_none()
    if row is None or row.expires_at <= utcnow():
        return None
    return PlayerLaunch(row.registration_id, row.user_pk, row.resource_link_pk, row.role), row.expires_at


class LaunchCache:
    """Launch facts by token, each kept `seconds` after it was read and never past the token's expiry.

    Only found launches are kept: an unknown or refused token is looked up every time."""

    def __init__(self, seconds: float = LAUNCH_CACHE_SECONDS, entries: int = LAUNCH_CACHE_ENTRIES) -> None:
        self.seconds = seconds
        self.entries = entries
        self._found: dict[tuple[str, str], tuple[PlayerLaunch, datetime, float]] = {}

    def launch_for_token(self, db: Database, token: str) -> PlayerLaunch | None:
        key = (db.url, token)
        kept = self._found.get(key)
        if kept is not None:
            launch, expires_at, read_at = kept
            if time.monotonic() - read_at < self.seconds and utcnow() < expires_at:
                return launch
            self._found.pop(key, None)
        with db.session(readonly=True) as session:
            found = _launch_and_expiry(session, token)
        if found is None:
            return None
        if len(self._found) >= self.entries:
            self._found.clear()  # a burst of launches: start again rather than track ages
        self._found[key] = (*found, time.monotonic())
        return found[0]


launch_cache = LaunchCache()


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
    return _load_course(session, key, data_dir)


def course_for(db: Database, package_pk: int, data_dir: str) -> Course:
    """course_of_package, with a session of its own only when the course is not cached yet."""
    key = (str(db.engine.url), package_pk)
    found = _courses.get(key)
    if found is not None:
        return found
    with db.session(readonly=True) as session:
        return _load_course(session, key, data_dir)


def _load_course(session: Session, key: tuple[str, int], data_dir: str) -> Course:
    package_pk = key[1]
    storage_path = session.scalar(select(Package.storage_path).where(Package.id == package_pk))
    if storage_path is None:
        raise CourseUnavailable("the package was removed")
    course = load_course(Path(data_dir) / storage_path)
    with _lock:
        _courses[key] = course
    return course
