"""A small unit in the catalogue's format, for the builder's tests (the real units live in the catalogue)."""

from __future__ import annotations

import copy
from typing import Any

_UNIT: dict[str, Any] = {
    "id": "u99",
    "version": 3,
    "title": "Test unit: washing hands",
    "summary": "You will know when and how to wash your hands at work.",
    "standards": [15],
    "guided_learning_hours": None,
    "credits": None,
    "awarding_body_refs": {"NCFE CACHE": "", "City & Guilds": "", "Pearson": "", "Highfield": "", "TQUK": ""},
    "asc_wds_training_category": None,
    "observation": {"required": True, "outcomes": ["LO2"], "guidance": "Watch the learner wash their hands."},
    "learning_outcomes": [
        {"id": "LO1", "text": "Know when to wash your hands."},
        {"id": "LO2", "text": "Know how to wash your hands well."},
    ],
    "pages": [
        {
            "id": "p01",
            "title": "Why clean hands matter",
            "outcome": "LO1",
            "blocks": [
                {"type": "paragraph", "text": "Germs spread on hands. Clean hands keep people safe."},
                {"type": "list", "items": ["Before care", "After care", "After touching bins"]},
            ],
        },
        {
            "id": "p02",
            "title": "When to wash",
            "outcome": "LO1",
            "blocks": [
                {
                    "type": "example",
                    "title": "At work",
                    "text": "Sam helps Mrs Khan to eat. Sam washes first.",
                },
                {"type": "tip", "text": "Wash before and after every care task."},
            ],
        },
        {
            "id": "p03",
            "title": "How to wash",
            "outcome": "LO2",
            "blocks": [
                {"type": "paragraph", "text": "Use soap and water. Rub for at least 20 seconds."},
                {
                    "type": "check_yourself",
                    "question": "How long should you rub?",
                    "answer": "At least 20 seconds.",
                },
            ],
        },
    ],
    "assessment": {
        "pass_mark": 75,
        "questions_per_attempt": 4,
        "bank": [
            {
                "id": "q01",
                "type": "choice",
                "outcome": "LO1",
                "scenario": None,
                "prompt": "When should you wash your hands?",
                "options": [
                    {"id": "a", "text": "Only at the end of the day", "correct": False},
                    {"id": "b", "text": "Before and after each care task", "correct": True},
                    {"id": "c", "text": "Only when they look dirty", "correct": False},
                ],
                "feedback": {
                    "correct": "Yes. Germs you cannot see spread between tasks.",
                    "incorrect": "Wash before and after each task: germs are not always visible.",
                },
            },
            {
                "id": "q02",
                "type": "true-false",
                "outcome": "LO2",
                "scenario": None,
                "prompt": "Rubbing your hands for five seconds is enough.",
                "options": [
                    {"id": "true", "text": "True", "correct": False},
                    {"id": "false", "text": "False", "correct": True},
                ],
                "feedback": {
                    "correct": "Right. Rub for at least 20 seconds.",
                    "incorrect": "Five seconds is too short. Rub for at least 20 seconds.",
                },
            },
            {
                "id": "q03",
                "type": "scenario",
                "outcome": "LO1",
                "scenario": "You have just emptied a commode. Mr Jones asks for a drink.",
                "prompt": "What do you do first?",
                "options": [
                    {"id": "a", "text": "Get the drink straight away", "correct": False},
                    {"id": "b", "text": "Wash your hands, then get the drink", "correct": True},
                ],
                "feedback": {
                    "correct": "Yes. Clean hands first, so germs do not reach his cup.",
                    "incorrect": "Wash your hands first: germs from the commode could reach his cup.",
                },
            },
            {
                "id": "q04",
                "type": "choice",
                "outcome": "LO2",
                "scenario": None,
                "prompt": "What should you use to wash dirty hands?",
                "options": [
                    {"id": "a", "text": "Soap and water", "correct": True},
                    {"id": "b", "text": "Water only", "correct": False},
                ],
                "feedback": {
                    "correct": "Yes. Soap lifts dirt and germs off the skin.",
                    "incorrect": "Water alone does not lift germs. Use soap and water.",
                },
            },
            {
                "id": "q05",
                "type": "true-false",
                "outcome": "LO1",
                "scenario": None,
                "prompt": "You should wash your hands after taking off gloves.",
                "options": [
                    {"id": "true", "text": "True", "correct": True},
                    {"id": "false", "text": "False", "correct": False},
                ],
                "feedback": {
                    "correct": "Right. Gloves can have tiny holes.",
                    "incorrect": "Gloves can have tiny holes, so wash your hands after taking them off.",
                },
            },
        ],
    },
}


def make_unit(**changes: Any) -> dict[str, Any]:
    """A fresh copy of the fixture unit, with top-level fields replaced by ``changes``."""
    unit = copy.deepcopy(_UNIT)
    unit.update(changes)
    return unit


def correct_option(unit: dict[str, Any], question_id: str) -> str:
    question = next(q for q in unit["assessment"]["bank"] if q["id"] == question_id)
    return next(option["id"] for option in question["options"] if option["correct"])


def wrong_option(unit: dict[str, Any], question_id: str) -> str:
    question = next(q for q in unit["assessment"]["bank"] if q["id"] == question_id)
    return next(option["id"] for option in question["options"] if not option["correct"])
