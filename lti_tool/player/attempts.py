"""Unit attempts: the instructor's settings, which attempt a launch opens, and which attempt counts."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lti_tool.db.models import Package, ResourceLink, User, utcnow
from lti_tool.player.models import COUNTED_ATTEMPT_RULES, UnitAttempt, UnitSettings


@dataclass(frozen=True)
class AttemptSettings:
    max_attempts: int = 0  # 0: no limit
    new_attempt_after_completion: bool = False
    counted_attempt: str = "highest"  # one of COUNTED_ATTEMPT_RULES
    new_attempt_before_finishing: bool = False  # a learner may start again with the latest unfinished


class SettingsError(ValueError):
    """Settings an instructor entered that cannot be used; the message says which and why."""


def settings_for(session: Session, link: ResourceLink) -> AttemptSettings:
    row = _settings_row(session, link)
    if row is None:
        return AttemptSettings()
    return AttemptSettings(
        row.max_attempts,
        row.new_attempt_after_completion,
        row.counted_attempt,
        row.new_attempt_before_finishing,
    )


def _settings_row(session: Session, link: ResourceLink) -> UnitSettings | None:
    return session.scalars(
        select(UnitSettings).where(
            UnitSettings.registration_id == link.registration_id, UnitSettings.resource_link_pk == link.id
        )
    ).one_or_none()


def save_settings(session: Session, link: ResourceLink, wanted: AttemptSettings) -> AttemptSettings:
    if wanted.counted_attempt not in COUNTED_ATTEMPT_RULES:
        raise SettingsError(f"Which attempt counts must be one of: {', '.join(COUNTED_ATTEMPT_RULES)}.")
    if not 0 <= wanted.max_attempts <= 1000:
        raise SettingsError("Maximum attempts must be a whole number from 0 (no limit) to 1000.")
    row = _settings_row(session, link)
    if row is None:
        row = UnitSettings(registration_id=link.registration_id, resource_link_pk=link.id)
        session.add(row)
    row.max_attempts = wanted.max_attempts
    row.new_attempt_after_completion = wanted.new_attempt_after_completion
    row.counted_attempt = wanted.counted_attempt
    row.new_attempt_before_finishing = wanted.new_attempt_before_finishing
    row.updated_at = utcnow()
    session.flush()
    return wanted


def attempts_of(session: Session, user: User, link: ResourceLink) -> list[UnitAttempt]:
    return list(
        session.scalars(
            select(UnitAttempt)
            .where(
                UnitAttempt.registration_id == link.registration_id,
                UnitAttempt.user_pk == user.id,
                UnitAttempt.resource_link_pk == link.id,
            )
            .order_by(UnitAttempt.number)
        )
    )


@dataclass(frozen=True)
class Opening:
    attempt: UnitAttempt
    review: bool  # True: the attempt is finished and no new one may start; shown without saving
    reason: str = ""  # for the learner, when review is True
    attempts: tuple[UnitAttempt, ...] = ()  # all of the learner's attempts at the unit, oldest first


def is_finished(attempt: UnitAttempt) -> bool:
    return attempt.completion == "completed" or attempt.success in ("passed", "failed")


def start_or_resume_attempt(
    session: Session, user: User, link: ResourceLink, package: Package, settings: AttemptSettings
) -> Opening:
    """The attempt a learner's launch opens: the unfinished one, else a new one if the settings allow it,
    else the last one for review."""
    attempts = attempts_of(session, user, link)
    latest = attempts[-1] if attempts else None
    so_far = tuple(attempts)
    if latest is not None and latest.package_pk == package.id and not is_finished(latest):
        return Opening(latest, False, attempts=so_far)
    if latest is not None and latest.package_pk == package.id and not settings.new_attempt_after_completion:
        finished = "You have finished this unit. You can look through it again."
        return Opening(latest, True, finished, so_far)
    if settings.max_attempts and len(attempts) >= settings.max_attempts:
        used_up = "You have used all your attempts at this unit."
        return Opening(latest, True, used_up, so_far)  # type: ignore[arg-type]
    attempt = _add_attempt(session, user, link, package, (latest.number + 1) if latest else 1)
    if attempt is None:  # another launch of the same learner added it at the same moment
        return start_or_resume_attempt(session, user, link, package, settings)
    return Opening(attempt, False, attempts=(*so_far, attempt))


def _add_attempt(
    session: Session, user: User, link: ResourceLink, package: Package, number: int
) -> UnitAttempt | None:
    """A new attempt numbered `number`, or None when another request added that number first (the unique
    constraint on learner, activity and number decides; only that insert is undone)."""
    attempt = UnitAttempt(
        registration_id=link.registration_id,
        user_pk=user.id,
        resource_link_pk=link.id,
        package_pk=package.id,
        number=number,
        deliveries=0,
        current_item="",
        completion="not attempted",
        success="unknown",
        total_time_seconds=0.0,
    )
    try:
        with session.begin_nested():
            session.add(attempt)
            session.flush()
    except IntegrityError:
        return None
    return attempt


# -- a learner starting a new attempt themselves ---------------------------------------------------------
class NewAttemptRefused(ValueError):
    """A new attempt the settings do not allow now; `code` is stable, the message is for the learner."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class NewAttemptChoice:
    """What the learner may do about a new attempt: allowed or not (and why), and the numbers to show."""

    allowed: bool
    kept_number: int  # the attempt that is kept as it is (0: none yet)
    next_number: int
    attempts_left: int | None  # after the new one starts; None: no limit
    reason: str = ""  # for the learner when not allowed
    code: str = ""
    leaves_unfinished: bool = False  # allowed, and the kept attempt stays unfinished (the learner is told)


def new_attempt_choice(attempts: list[UnitAttempt], settings: AttemptSettings) -> NewAttemptChoice:
    """Whether a learner may start a new attempt: attempts remain and the latest one is finished. An
    unfinished attempt carries on instead, so its progress is never left behind by mistake, unless the
    instructor lets learners start again before finishing."""
    latest = attempts[-1] if attempts else None
    kept = latest.number if latest else 0
    used = len(attempts)
    left = None if not settings.max_attempts else max(settings.max_attempts - used - 1, 0)
    if settings.max_attempts and used >= settings.max_attempts:
        return NewAttemptChoice(
            False,
            kept,
            kept + 1,
            0,
            f"You have used all {settings.max_attempts} of your attempts.",
            "ATTEMPT-LIMIT-REACHED",
        )
    unfinished = latest is not None and not is_finished(latest)
    if unfinished and settings.new_attempt_before_finishing:
        return NewAttemptChoice(True, kept, kept + 1, left, leaves_unfinished=True)
    if latest is None or unfinished:
        return NewAttemptChoice(
            False,
            kept,
            kept + 1,
            left,
            "Finish your current attempt first, then you can start a new one.",
            "ATTEMPT-NOT-FINISHED",
        )
    return NewAttemptChoice(True, kept, kept + 1, left)


def start_new_attempt(
    session: Session,
    user: User,
    link: ResourceLink,
    package: Package,
    settings: AttemptSettings,
    after_number: int,
) -> UnitAttempt:
    """Start the learner's next attempt, kept attempts untouched. `after_number` is the attempt the learner
    saw as their latest when they confirmed: a second submission of the same form starts nothing more."""
    attempts = attempts_of(session, user, link)
    latest_number = attempts[-1].number if attempts else 0
    if after_number != latest_number:
        raise NewAttemptRefused(
            "ATTEMPT-ALREADY-STARTED", f"Attempt {latest_number} has already started. Carry on with it."
        )
    choice = new_attempt_choice(attempts, settings)
    if not choice.allowed:
        raise NewAttemptRefused(choice.code, choice.reason)
    attempt = _add_attempt(session, user, link, package, choice.next_number)
    if attempt is None:
        raise NewAttemptRefused(
            "ATTEMPT-ALREADY-STARTED", f"Attempt {choice.next_number} has already started. Carry on with it."
        )
    return attempt


def _score_key(attempt: UnitAttempt) -> tuple[float, int, int]:
    completed = 1 if attempt.completion == "completed" else 0
    passed = 1 if attempt.success == "passed" else 0
    score = attempt.score_scaled if attempt.score_scaled is not None else -2.0
    return (score, passed, completed)


def counted_attempt(attempts: list[UnitAttempt], rule: str) -> UnitAttempt | None:
    """The attempt whose result goes to the gradebook: the highest scored (ties: passed, then completed,
    then the earlier one), the last, or the first."""
    if not attempts:
        return None
    ordered = sorted(attempts, key=lambda a: a.number)
    if rule == "first":
        return ordered[0]
    if rule == "last":
        return ordered[-1]
    best = ordered[0]
    for attempt in ordered[1:]:
        if _score_key(attempt) > _score_key(best):
            best = attempt
    return best
