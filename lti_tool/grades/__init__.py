"""Grades back to the LMS (LTI AGS): the outbox the player writes to, and the worker that delivers it.

The player calls `queue_score_for_result` inside the transaction that stores a commit (GRADES_CONTRACT.md).
"""

from lti_tool.grades.queue import queue_score_for_result
from lti_tool.grades.scores import UnitScore

__all__ = ["UnitScore", "queue_score_for_result"]
