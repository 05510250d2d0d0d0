"""Reading what the server stored, for assertions after a browser played a course."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from lti_tool.db.models import User
from lti_tool.player.models import ScoState, UnitAttempt


def attempts_of(app: Any, user_sub: str) -> list[UnitAttempt]:
    with app.extensions["carecert"].db.session(readonly=True) as session:
        return list(
            session.scalars(
                select(UnitAttempt)
                .join(User, User.id == UnitAttempt.user_pk)
                .where(User.sub == user_sub)
                .order_by(UnitAttempt.id)
            )
        )


def sco_values(app: Any, attempt_id: int, item_id: str) -> dict[str, str]:
    with app.extensions["carecert"].db.session(readonly=True) as session:
        state = session.scalars(
            select(ScoState).where(ScoState.attempt_pk == attempt_id, ScoState.item_id == item_id)
        ).one()
        return dict(state.state["values"])
