"""The commit path's lookups, kept to the columns it needs: a commit arrives on every slide of a course.

A launch token is checked with one indexed query (its hash, unexpired, registration active: commit_rows, on
the connection that reads the attempt), and a package's course is parsed once per process: package folders
are named by their content's hash and never change.

The commit endpoint also keeps a token's launch facts for a few seconds (LaunchCache): they never change
(registration, learner, activity), launch sessions are only ever removed after they expire, and the expiry
is checked on every use. The one rule the cache delays is a registration switched off by an admin: its
learners' commits are refused at most LAUNCH_CACHE_SECONDS later.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from lti_tool.db import Database
from lti_tool.db.kept import KeptRows
from lti_tool.db.models import Package, utcnow
from lti_tool.player.course import Course, CourseUnavailable, load_course

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


def _unexpired(expires_at: datetime) -> bool:
    return utcnow() < expires_at


class LaunchCache(KeptRows):
    """Launch facts by (database URL, token), each kept `seconds` after it was read and never past the
    token's expiry (its tag)."""

    def __init__(self, seconds: float = LAUNCH_CACHE_SECONDS, entries: int = LAUNCH_CACHE_ENTRIES) -> None:
        super().__init__(seconds, entries, _unexpired)


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
