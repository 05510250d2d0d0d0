"""The ceilings the server enforces on what a browser may store.

The specifications give *smallest permitted maximums* (SPM): an LMS must store at least that much. They are
floors, not ceilings: real Storyline 1.2 courses write far more than 1.2's 4,096 characters of
``suspend_data``, and a question's description or learner response is often longer than 250 characters.
Refusing them loses learners' progress. But an untrusted browser must not store megabytes either, so every
value and every attempt has a ceiling, with several times the SPM as headroom. Values above a ceiling are
refused with 351 (2004) / 405 (1.2) and a diagnostic naming the ceiling.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Ceilings:
    # SPM 250/255 elements: identifiers, 1.2 strings, descriptions, timestamps, vocabularies.
    short_text: int = 4_096
    # SPM 1,000-4,096 elements: 2004 location, comments, learner responses, launch data, 1.2 comments.
    long_text: int = 65_536
    # suspend_data: SPM 4,096 (1.2) and 64,000 (2004); both versions get 4 x the 2004 floor.
    suspend_data: int = 262_144
    # records per top-level collection (SPM: 250 interactions/objectives, 100 comments).
    records: int = 1_000
    # records per nested collection (interaction objectives, correct responses; SPM 10).
    nested_records: int = 250
    # characters in all stored values of one attempt together: the last line against a hostile browser.
    attempt_chars: int = 2_097_152


DEFAULT_CEILINGS = Ceilings()
