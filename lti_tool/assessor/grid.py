"""The course grid: learners × units with status, score, attempts, last activity, sign-off and grade sync.

Results come from the player (`lti_tool.player.results.unit_results_for_context`, GRADES_CONTRACT.md). Where
the player has none (not installed, or results from elsewhere) the grid shows the last counted result grades
recorded itself (`grade_states`), with the counted attempt's number as the attempt count.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lti_tool.db.models import LaunchSession, ResourceLink, User
from lti_tool.grades.models import GradeState, OutboxScore, RosterMember, UnitSignoff
from lti_tool.grades.queue import signoff_required

try:
    from lti_tool.player.results import unit_results_for_context
except ImportError:  # pragma: no cover - the player is a separate feature
    unit_results_for_context = None


@dataclass
class Result:
    completion: str = "not attempted"
    success: str = "unknown"
    score_scaled: float | None = None
    attempts: int = 0
    last_activity: datetime | None = None


@dataclass
class Cell:
    unit_pk: int
    result: Result
    signoff: UnitSignoff | None
    signoff_required: bool
    sync_status: str = ""  # of the newest score: queued, sending, sent, failed (or "" when none)
    sync_at: datetime | None = None

    @property
    def status(self) -> str:
        result = self.result
        if result.success == "failed":
            return "Failed"
        if result.completion == "completed" or result.success == "passed":
            if self.signoff_required and self.signoff is None:
                return "Awaiting sign-off"
            return "Achieved" if self.signoff_required else "Completed"
        if result.completion == "incomplete" or result.attempts:
            return "In progress"
        return "Not started"

    @property
    def score(self) -> float | None:
        scaled = self.result.score_scaled
        return None if scaled is None else round(max(0.0, scaled) * 100, 1)


@dataclass
class Unit:
    pk: int
    title: str
    signoff_required: bool


@dataclass
class Row:
    learner_pk: int
    name: str
    sub: str
    cells: list[Cell] = field(default_factory=list)


@dataclass
class Grid:
    units: list[Unit]
    rows: list[Row]


def context_units(session: Session, registration_id: int, context_pk: int) -> list[Unit]:
    links = session.scalars(
        select(ResourceLink)
        .where(ResourceLink.registration_id == registration_id, ResourceLink.context_pk == context_pk)
        .order_by(ResourceLink.id)
    )
    return [
        Unit(
            link.id,
            link.title or link.unit_ref or link.resource_link_id,
            signoff_required(session, registration_id, link.id),
        )
        for link in links
    ]


def _results(
    session: Session, registration_id: int, context_pk: int, unit_pks: list[int]
) -> dict[tuple, Result]:
    """The player's results where it has them; grades' own record of the counted result otherwise."""
    states = session.scalars(
        select(GradeState).where(
            GradeState.registration_id == registration_id, GradeState.resource_link_pk.in_(unit_pks)
        )
    )
    results = {
        (s.user_pk, s.resource_link_pk): Result(
            s.completion, s.success, s.score_scaled, s.attempt_number, s.result_at
        )
        for s in states
    }
    if unit_results_for_context is not None:
        for r in unit_results_for_context(session, registration_id=registration_id, context_id=context_pk):
            results[(r.user_id, r.resource_link_id)] = Result(
                r.completion, r.success, r.score_scaled, r.attempts, r.last_activity
            )
    return results


def learners(session: Session, registration_id: int, context_pk: int, with_results: set[int]) -> list[User]:
    """Learners from the roster (NRPS), from learner launches in the course, and anyone with a result."""
    rostered = select(RosterMember.user_pk).where(
        RosterMember.registration_id == registration_id,
        RosterMember.context_pk == context_pk,
        RosterMember.role == "learner",
        RosterMember.status == "Active",
    )
    launched = (
        select(LaunchSession.user_pk)
        .distinct()
        .where(
            LaunchSession.registration_id == registration_id,
            LaunchSession.context_pk == context_pk,
            LaunchSession.role == "learner",
        )
    )
    ids = set(session.scalars(rostered)) | set(session.scalars(launched)) | with_results
    if not ids:
        return []
    users = session.scalars(select(User).where(User.registration_id == registration_id, User.id.in_(ids)))
    return sorted(users, key=lambda u: (u.family_name or u.name or u.sub).lower())


def _latest_syncs(session: Session, registration_id: int, unit_pks: list[int]) -> dict[tuple, OutboxScore]:
    newest = (
        select(func.max(OutboxScore.id))
        .where(OutboxScore.registration_id == registration_id, OutboxScore.resource_link_pk.in_(unit_pks))
        .group_by(OutboxScore.user_pk, OutboxScore.resource_link_pk)
    )
    rows = session.scalars(select(OutboxScore).where(OutboxScore.id.in_(newest)))
    return {(row.user_pk, row.resource_link_pk): row for row in rows}


def _signoffs(session: Session, registration_id: int, unit_pks: list[int]) -> dict[tuple, UnitSignoff]:
    rows = session.scalars(
        select(UnitSignoff).where(
            UnitSignoff.registration_id == registration_id,
            UnitSignoff.resource_link_pk.in_(unit_pks),
            UnitSignoff.undone_at.is_(None),
        )
    )
    return {(row.user_pk, row.resource_link_pk): row for row in rows}


def course_grid(session: Session, registration_id: int, context_pk: int) -> Grid:
    units = context_units(session, registration_id, context_pk)
    unit_pks = [unit.pk for unit in units]
    results = _results(session, registration_id, context_pk, unit_pks)
    syncs = _latest_syncs(session, registration_id, unit_pks)
    signoffs = _signoffs(session, registration_id, unit_pks)
    rows = []
    for user in learners(session, registration_id, context_pk, {user_pk for user_pk, _ in results}):
        row = Row(
            user.id,
            user.name or " ".join(filter(None, (user.given_name, user.family_name))) or user.sub,
            user.sub,
        )
        for unit in units:
            key = (user.id, unit.pk)
            sync = syncs.get(key)
            row.cells.append(
                Cell(
                    unit.pk,
                    results.get(key, Result()),
                    signoffs.get(key),
                    unit.signoff_required,
                    sync.status if sync else "",
                    sync.updated_at if sync else None,
                )
            )
        rows.append(row)
    return Grid(units, rows)


def grid_csv(grid: Grid) -> str:
    """One line per learner and unit: spreadsheet-friendly rather than a wide matrix."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "learner",
            "learner_id",
            "unit",
            "status",
            "score",
            "attempts",
            "last_activity",
            "signed_off_by",
            "observed_on",
            "grade_sync",
        ]
    )
    titles = {unit.pk: unit.title for unit in grid.units}
    for row in grid.rows:
        for cell in row.cells:
            writer.writerow(
                [
                    _safe(row.name),
                    _safe(row.sub),
                    _safe(titles[cell.unit_pk]),
                    cell.status,
                    "" if cell.score is None else cell.score,
                    cell.result.attempts,
                    cell.result.last_activity.isoformat() if cell.result.last_activity else "",
                    _safe(cell.signoff.assessor_name) if cell.signoff else "",
                    cell.signoff.observed_on.isoformat() if cell.signoff else "",
                    cell.sync_status,
                ]
            )
    return out.getvalue()


def _safe(text: str) -> str:
    # A name from the LMS starting with = + - @ would run as a formula in a spreadsheet (CSV injection).
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
