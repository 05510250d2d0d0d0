"""The commit path's driver-level pieces: timestamps written as SQLAlchemy writes them, and a single SCO's
unit result kept by its inputs."""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy.dialects import postgresql, sqlite

from lti_tool.player.commit_rows import CommitStatements
from lti_tool.player.course import build_course
from lti_tool.player.models import ScoState
from lti_tool.player.results import ScoFacts, compute_unit_result
from scorm.manifest import read_manifest
from scorm.runtime import AttemptResult

MOMENTS = [
    datetime(2026, 11, 22, 18, 40, 1, 123456, tzinfo=UTC),
    datetime(2026, 11, 22, 18, 40, 1, tzinfo=UTC),  # no microseconds: still written with six digits
    datetime(2026, 3, 29, 1, 30, 0, 5, tzinfo=timezone(timedelta(hours=2))),  # another offset: as UTC
]


@pytest.mark.parametrize("dialect", [sqlite.dialect(), postgresql.dialect()], ids=["sqlite", "postgresql"])
@pytest.mark.parametrize("moment", MOMENTS)
def test_commit_timestamps_are_what_the_column_type_writes(dialect, moment: datetime) -> None:
    column_type = ScoState.__table__.c.updated_at.type.dialect_impl(dialect)
    written_by_the_type = (column_type.bind_processor(dialect) or (lambda value: value))(moment)
    assert CommitStatements(dialect).timestamp(moment) == written_by_the_type


def test_a_naive_commit_timestamp_is_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        CommitStatements(sqlite.dialect()).timestamp(datetime(2026, 1, 1, 12, 0))


def facts(completion: str, score: float | None) -> ScoFacts:
    result = AttemptResult(completion, "unknown", score, None, None, None, 60.0, "PT1M")
    return ScoFacts("item_1", result.to_dict(), ended=False, suspended=True, session_count=1)


@pytest.fixture
def course(corpus):  # type: ignore[no-untyped-def]
    with zipfile.ZipFile(corpus / "packages" / "golf12_RuntimeBasicCalls.zip") as package:
        manifest = read_manifest(package.read("imsmanifest.xml")).manifest
    return build_course(manifest)


def test_a_single_scos_unit_result_follows_its_result_when_kept(course) -> None:  # type: ignore[no-untyped-def]
    assert len(course.tracked_ids) == 1
    first = compute_unit_result(course, [facts("incomplete", None)])
    assert compute_unit_result(course, [facts("incomplete", None)]) == first
    moved = compute_unit_result(course, [facts("completed", 0.8)])
    assert (moved.completion, moved.score_scaled) == ("completed", 0.8)
    assert compute_unit_result(course, [facts("incomplete", None)]) == first
