"""The learning content reads at about age 11 (UK Year 6/7).

Target band, per unit, over all prose on the content pages:
- Flesch Reading Ease >= 65 ("plain English": 60-70 suits readers of 13-15, 70-80 readers of about 12).
- Flesch-Kincaid grade <= 7.0 (US grade 6-7 is reading age 11-12: grade + 5 gives the age).
Care words the learner must know (safeguarding, dementia, capacity, confidentiality) are long, which the
formulas count against us; the band leaves room for them while every other word stays short.
Run with -s to see the per-unit table.
"""

from __future__ import annotations

import pytest

from lti_tool.catalogue import load_catalogue
from tests.catalogue.readability import Readability, measure, page_passages, question_passages, syllables_in

MIN_FLESCH_READING_EASE = 65.0
MAX_FLESCH_KINCAID_GRADE = 7.0

# A hand-checked sample of everyday and care words with their spoken syllables.
KNOWN_SYLLABLES = {
    "care": 1,
    "cares": 1,
    "washes": 2,
    "places": 2,
    "asked": 1,
    "needed": 2,
    "wanted": 2,
    "table": 2,
    "whole": 1,
    "simple": 2,
    "agreed": 2,
    "carried": 2,
    "values": 2,
    "going": 2,
    "saying": 2,
    "seeing": 2,
    "media": 3,
    "radio": 3,
    "video": 3,
    "usual": 3,
    "language": 2,
    "situation": 4,
    "information": 4,
    "safeguarding": 4,
    "manager": 3,
    "medicine": 3,
    "resident": 3,
    "capacity": 4,
    "decision": 3,
    "respect": 2,
    "privacy": 3,
    "dignity": 3,
    "nutrition": 3,
    "hydration": 3,
    "equality": 4,
    "person": 2,
    "worker": 2,
    "family": 3,
    "hospital": 3,
    "report": 2,
    "record": 2,
    "gloves": 1,
    "hands": 1,
    "water": 2,
    "choice": 1,
    "choose": 1,
    "abuse": 2,
    "neglect": 2,
    "danger": 2,
    "wellbeing": 3,
    "people": 2,
    "2014": 4,
    "999": 3,
    "the": 1,
    "a": 1,
    "you": 1,
    "every": 2,
    "centre": 2,
    "more": 1,
}

CHECK_TEXT = ["The cat sat on the mat.", "It was so good."]


def test_syllable_counter_matches_at_least_nine_in_ten_hand_checked_words():
    wrong = {
        word: syllables_in(word) for word, count in KNOWN_SYLLABLES.items() if syllables_in(word) != count
    }
    assert len(wrong) <= len(KNOWN_SYLLABLES) // 10, f"miscounted: {wrong}"


def test_measure_counts_sentences_words_and_syllables():
    result = measure(CHECK_TEXT + ["A list item with no stop"])
    assert (result.sentences, result.words, result.syllables) == (3, 16, 17)  # "item" has two syllables


def test_flesch_formulas_give_the_published_values_for_a_one_syllable_text():
    # 10 words, 2 sentences, 10 syllables: 206.835 - 1.015*5 - 84.6*1 = 117.16; 0.39*5 + 11.8 - 15.59 = -1.84
    result = measure(CHECK_TEXT)
    assert round(result.flesch_reading_ease, 2) == 117.16
    assert round(result.flesch_kincaid_grade, 2) == -1.84


def test_long_words_and_sentences_score_as_harder():
    easy = measure(["You wash your hands. You dry them well."])
    hard = measure(
        ["Practitioners must demonstrate comprehensive understanding of organisational accountability."]
    )
    assert easy.flesch_reading_ease > hard.flesch_reading_ease
    assert easy.flesch_kincaid_grade < hard.flesch_kincaid_grade


@pytest.fixture(scope="module")
def readability_by_unit() -> dict[str, dict[str, Readability]]:
    """Per unit, the measures of its content pages and of its question bank; prints the table (-s)."""
    scores = {
        unit["id"]: {"pages": measure(page_passages(unit)), "questions": measure(question_passages(unit))}
        for unit in load_catalogue()
    }
    print(
        f"\n{'unit':<6}{'words':>7}{'words/sent':>12}{'Flesch':>8}{'FK grade':>10}"
        f"{'check Flesch':>14}{'check FK':>10}"
    )
    for unit_id, score in scores.items():
        pages, questions = score["pages"], score["questions"]
        print(
            f"{unit_id:<6}{pages.words:>7}{pages.words / pages.sentences:>12.1f}"
            f"{pages.flesch_reading_ease:>8.1f}{pages.flesch_kincaid_grade:>10.1f}"
            f"{questions.flesch_reading_ease:>14.1f}{questions.flesch_kincaid_grade:>10.1f}"
        )
    return scores


def _outside_band(readability_by_unit, part: str) -> dict[str, tuple[float, float]]:
    return {
        unit_id: (round(score[part].flesch_reading_ease, 1), round(score[part].flesch_kincaid_grade, 1))
        for unit_id, score in readability_by_unit.items()
        if score[part].flesch_reading_ease < MIN_FLESCH_READING_EASE
        or score[part].flesch_kincaid_grade > MAX_FLESCH_KINCAID_GRADE
    }


def test_every_units_content_pages_read_within_the_target_band(readability_by_unit):
    too_hard = _outside_band(readability_by_unit, "pages")
    assert not too_hard, (
        f"(Flesch, FK grade) outside >= {MIN_FLESCH_READING_EASE} / <= {MAX_FLESCH_KINCAID_GRADE}: {too_hard}"
    )


def test_every_units_knowledge_check_reads_within_the_target_band(readability_by_unit):
    # A learner who can read the pages must be able to read the questions and feedback too.
    too_hard = _outside_band(readability_by_unit, "questions")
    assert not too_hard, (
        f"(Flesch, FK grade) outside >= {MIN_FLESCH_READING_EASE} / <= {MAX_FLESCH_KINCAID_GRADE}: {too_hard}"
    )
