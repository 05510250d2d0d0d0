"""The player's tables: per-unit attempt settings, unit attempts, and each SCO's run-time state in an attempt.

Every row carries its registration (TenantMixin), like the rest of the tool's data. A unit is a resource link
(the activity in the LMS course); an attempt belongs to one learner on one resource link and plays one
package.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from lti_tool.db.models import Base, TenantMixin, utcnow

COUNTED_ATTEMPT_RULES = ("highest", "last", "first")


class UnitSettings(TenantMixin, Base):
    """An instructor's attempt settings for one activity (resource link). No row: the defaults."""

    __tablename__ = "player_unit_settings"
    __table_args__ = (UniqueConstraint("resource_link_pk", name="uq_player_unit_settings_link"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_link_pk: Mapped[int] = mapped_column(ForeignKey("resource_links.id", ondelete="CASCADE"))
    max_attempts: Mapped[int] = mapped_column(Integer, default=0)  # 0: no limit
    new_attempt_after_completion: Mapped[bool] = mapped_column(Boolean, default=False)
    # Learners may start again before finishing (Moodle's "always" new attempt, chosen by the learner here):
    # off by default so progress is never left behind by a mistaken click.
    new_attempt_before_finishing: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    counted_attempt: Mapped[str] = mapped_column(String(16), default="highest")  # COUNTED_ATTEMPT_RULES
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class UnitAttempt(TenantMixin, Base):
    """One learner's attempt at one unit, with the unit result recomputed on every commit."""

    __tablename__ = "player_attempts"
    __table_args__ = (
        UniqueConstraint("user_pk", "resource_link_pk", "number", name="uq_player_attempts_user_link_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_pk: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    resource_link_pk: Mapped[int] = mapped_column(ForeignKey("resource_links.id", ondelete="CASCADE"))
    package_pk: Mapped[int] = mapped_column(ForeignKey("packages.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)  # 1, 2, ... per learner and activity
    deliveries: Mapped[int] = mapped_column(Integer, default=0)  # SCO deliveries so far (stale-tab guard)
    current_item: Mapped[str] = mapped_column(String(255), default="")  # last delivered item, for resume
    sequencing_state: Mapped[str | None] = mapped_column(String, nullable=True)  # scorm-again's, 2004 only
    completion: Mapped[str] = mapped_column(String(16), default="not attempted")
    success: Mapped[str] = mapped_column(String(16), default="unknown")
    score_scaled: Mapped[float | None] = mapped_column(Float, nullable=True)
    total_time_seconds: Mapped[float] = mapped_column(Float, default=0.0)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class ScoState(TenantMixin, Base):
    """One SCO's run-time data in one attempt (scorm.runtime.Attempt.to_json()) and its commit bookkeeping."""

    __tablename__ = "player_sco_states"
    __table_args__ = (UniqueConstraint("attempt_pk", "item_id", name="uq_player_sco_states_attempt_item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_pk: Mapped[int] = mapped_column(ForeignKey("player_attempts.id", ondelete="CASCADE"))
    item_id: Mapped[str] = mapped_column(String(255))  # the manifest item's identifier
    state: Mapped[dict] = mapped_column(JSON)
    result: Mapped[dict | None] = mapped_column(JSON, nullable=True)  # AttemptResult.to_dict()
    delivery: Mapped[int] = mapped_column(Integer, default=0)  # the delivery whose commits are accepted
    last_sequence: Mapped[int] = mapped_column(Integer, default=0)  # scorm-again's commitSequence
    last_body_hash: Mapped[str] = mapped_column(String(64), default="")
    ended: Mapped[bool] = mapped_column(Boolean, default=False)  # the SCO terminated its last session
    suspended: Mapped[bool] = mapped_column(Boolean, default=False)
    session_count: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
