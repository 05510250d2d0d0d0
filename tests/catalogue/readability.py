"""Readability measures for the catalogue's learning content, written for these tests.

Flesch Reading Ease = 206.835 - 1.015 * (words / sentences) - 84.6 * (syllables / words)
Flesch-Kincaid grade = 0.39 * (words / sentences) + 11.8 * (syllables / words) - 15.59
(Flesch 1948; Kincaid et al. 1975). The syllable counter is a heuristic on written English: vowel groups,
minus a silent final e, plus the endings that add a syllable. It is right for most everyday words, which is
what the measures assume anyway.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

WORD = re.compile(r"[A-Za-z][A-Za-z']*|[0-9]+")
SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)")
VOWEL_GROUP = re.compile(r"[aeiouy]+")
FINAL_STOP = re.compile(r"[.!?][\"')]*$")

# Words the rules get wrong that turn up in care writing; the count is the spoken one.
SYLLABLE_EXCEPTIONS = {
    "people": 2,
    "everyone": 3,
    "someone": 2,
    "something": 2,
    "sometimes": 2,
    "somewhere": 2,
    "anyone": 3,
    "whenever": 3,
    "area": 3,
    "areas": 3,
    "idea": 3,
    "ideas": 3,
    "being": 2,
    "create": 2,
    "created": 3,
    "really": 2,
    "every": 2,
    "different": 3,
    "business": 2,
    "evening": 2,
    "quiet": 2,
    "science": 2,
    "diet": 2,
    "violence": 3,
    "client": 2,
    "experience": 4,
    "area's": 3,
    "cooperate": 4,
    "reuse": 2,
    "toileting": 3,
    "toilet": 2,
    "dementia": 4,
    "aphasia": 4,
    "naturally": 4,
    "usually": 4,
    "actually": 4,
    "individual": 5,
    "individuals": 5,
    "social": 2,
    "special": 2,
    "official": 3,
    "gp": 2,
    "cqc": 3,
    "nhs": 3,
    "aed": 3,
    "ppe": 3,
    "dols": 1,
    "whistleblowing": 4,
    "wheelchair": 2,
    "wellbeing": 3,
    "lifeline": 2,
    "likely": 2,
    "safely": 2,
    "careful": 2,
    "carefully": 3,
    "homecare": 2,
    "caregiver": 3,
    "more": 1,
    "before": 2,
    "sure": 1,
    "one": 1,
    "once": 1,
    "does": 1,
    "done": 1,
    "gone": 1,
    "come": 1,
    "some": 1,
    "give": 1,
    "live": 1,
    "lives": 1,
    "move": 1,
    "moves": 1,
    "have": 1,
    "were": 1,
    "where": 1,
    "there": 1,
    "here": 1,
}


def syllables_in(word: str) -> int:
    """Estimate the spoken syllables of one word (digits count one per digit, as read aloud)."""
    word = word.lower().strip("'")
    if word.isdigit():
        return len(word)
    word = word.removesuffix("'s")
    if word in SYLLABLE_EXCEPTIONS:
        return SYLLABLE_EXCEPTIONS[word]
    if len(word) <= 3:
        return 1
    count = len(VOWEL_GROUP.findall(word)) - _silent_endings(word) + _split_vowel_pairs(word)
    return max(count, 1)


def _silent_endings(word: str) -> int:
    """Vowel groups at the end of a word that are written but not spoken."""
    if len(VOWEL_GROUP.findall(word)) < 2:
        return 0
    # A final e is mostly silent (make, care), but not in -le or -re after a consonant (table, centre).
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")):
        return 0 if word.endswith("re") and word[-3] not in "aeiouy" else 1
    if word.endswith("le") and word[-3] in "aeiouy":
        return 1
    # -ed is silent except after t or d (asked, moved but needed, wanted).
    if word.endswith("ed") and word[-3] not in "td" and not word.endswith(("eed", "ied")):
        return 1
    # -es is silent unless after a hissing sound (cares but washes, places, pages).
    hissing_or_spoken = ("ses", "zes", "ches", "shes", "ges", "ces", "xes", "ees", "ies", "ues")
    if word.endswith("es") and not word.endswith(hissing_or_spoken):
        return 1
    return 0


def _split_vowel_pairs(word: str) -> int:
    """Vowel pairs spoken as two syllables: media, radio (not -tion), video, usual (not guard, language)."""
    pairs = len(re.findall(r"[^tcsg]i[ao]|eo(?!u)|[^gq]ua(?!r)|uo", word))
    # The i of -ing after a vowel runs into it in writing but not in speech (going, saying, seeing).
    if re.search(r"[aeiouy]ing$", word):
        pairs += 1
    return pairs


@dataclass(frozen=True)
class Readability:
    sentences: int
    words: int
    syllables: int

    @property
    def flesch_reading_ease(self) -> float:
        return 206.835 - 1.015 * (self.words / self.sentences) - 84.6 * (self.syllables / self.words)

    @property
    def flesch_kincaid_grade(self) -> float:
        return 0.39 * (self.words / self.sentences) + 11.8 * (self.syllables / self.words) - 15.59


def measure(passages: list[str]) -> Readability:
    """Measure passages of prose; each passage ends a sentence even without a full stop (list items, tips)."""
    sentences = words = syllables = 0
    for passage in passages:
        passage = passage.strip()
        passage_words = WORD.findall(passage)
        if not passage_words:
            continue
        sentences += len(SENTENCE_END.findall(passage))
        if not FINAL_STOP.search(passage):
            sentences += 1
        words += len(passage_words)
        syllables += sum(syllables_in(word) for word in passage_words)
    if not words:
        raise ValueError("no words to measure")
    return Readability(sentences=sentences, words=words, syllables=syllables)


def page_passages(unit: dict) -> list[str]:
    """The prose a learner reads on a unit's content pages (headings and titles are not prose)."""
    passages: list[str] = []
    for page in unit["pages"]:
        for block in page["blocks"]:
            if block["type"] == "list":
                passages.extend(block["items"])
            elif block["type"] == "check_yourself":
                passages.extend([block["question"], block["answer"]])
            else:
                passages.append(block["text"])
    return passages


def question_passages(unit: dict) -> list[str]:
    """The prose of a unit's knowledge check: situations, prompts, options and feedback."""
    passages: list[str] = []
    for question in unit["assessment"]["bank"]:
        if question.get("scenario"):
            passages.append(question["scenario"])
        passages.append(question["prompt"])
        passages.extend(option["text"] for option in question["options"])
        passages.extend(question["feedback"].values())
    return passages
