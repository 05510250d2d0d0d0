"""The ASC-WDS export from the database: the admin's workforce-id mapping, and the training and staff files
for the learners of one LMS (or one course) with their current unit credentials."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from lti_tool.db.models import User, utcnow
from lti_tool.records import store
from lti_tool.records.ascwds import (
    STAFF_COLUMNS,
    TRAINING_COLUMNS,
    AchievedUnit,
    TrainingOptions,
    WorkforceIds,
    staff_row,
    training_rows,
    write_csv,
)
from lti_tool.records.models import IssuedRecord, WorkforceId
from lti_tool.records.passport import UNITS_IN_QUALIFICATION


def save_workforce_ids(session: Session, registration_id: int, mapping: dict[str, WorkforceIds]) -> int:
    """Insert or update the uploaded ids; returns how many learner keys were stored."""
    existing = {
        row.learner_key: row
        for row in session.scalars(select(WorkforceId).where(WorkforceId.registration_id == registration_id))
    }
    for key, ids in mapping.items():
        row = existing.get(key)
        if row is None:
            row = WorkforceId(registration_id=registration_id, learner_key=key)
            session.add(row)
        row.local_establishment_id, row.unique_worker_id = ids.local_establishment_id, ids.unique_worker_id
        row.uploaded_at = utcnow()
    session.flush()
    return len(mapping)


def workforce_ids_for(session: Session, registration_id: int, user: User) -> WorkforceIds | None:
    keys = [f"sub:{user.sub}"] + ([f"email:{user.email.lower()}"] if user.email else [])
    rows = {
        row.learner_key: row
        for row in session.scalars(
            select(WorkforceId).where(
                WorkforceId.registration_id == registration_id, WorkforceId.learner_key.in_(keys)
            )
        )
    }
    for key in keys:  # the LMS user id wins over an email
        if key in rows:
            return WorkforceIds(rows[key].local_establishment_id, rows[key].unique_worker_id)
    return None


@dataclass
class AscWdsExport:
    training_csv: str
    staff_csv: str
    problems: list[str] = field(default_factory=list)  # learners left out, and why


def export(
    session: Session, registration_id: int, options: TrainingOptions, user_pks: list[int]
) -> AscWdsExport:
    training, staff, problems = [], [], []
    for user_pk in user_pks:
        user = session.get(User, user_pk)
        if user is None or user.registration_id != registration_id:
            continue
        records = store.current_unit_records(session, registration_id, user_pk)
        if not records:
            continue
        ids = workforce_ids_for(session, registration_id, user)
        if ids is None:
            problems.append(
                f"{user.name or user.sub}: no ASC-WDS workplace and worker id in the uploaded mapping"
            )
            continue
        units = [_achieved(record) for _, record in sorted(records.items())]
        training.extend(training_rows(ids, units, options))
        if len(records) == UNITS_IN_QUALIFICATION:
            staff.append(staff_row(ids, max(u.completed_on for u in units), options))
    return AscWdsExport(write_csv(TRAINING_COLUMNS, training), write_csv(STAFF_COLUMNS, staff), problems)


def _achieved(record: IssuedRecord) -> AchievedUnit:
    achieved = record.achieved_at or record.issued_at
    return AchievedUnit(
        unit_id=record.unit_id,
        title=record.title,
        completed_on=achieved.date(),
        notes=f"Verify: credential {record.credential_uuid}",
    )
