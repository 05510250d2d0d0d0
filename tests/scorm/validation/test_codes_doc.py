"""Every code is documented once in CODES.md with the severity the code really has."""

from __future__ import annotations

import re
from pathlib import Path

import scorm
from scorm.validation import RULES

SCORM_ROOT = Path(scorm.__file__).parent
DOC = (SCORM_ROOT / "validation" / "CODES.md").read_text()
DOC_ROWS = dict(re.findall(r"^\| (CP-\d{3}) \| (error|warning) \|", DOC, flags=re.MULTILINE))


def test_every_registered_rule_is_documented_with_its_severity():
    for rule in RULES:
        assert DOC_ROWS.get(rule.code) == str(rule.severity), rule.code


def test_codes_are_unique_in_the_registry_and_the_document():
    assert len({r.code for r in RULES}) == len(RULES)
    assert len(re.findall(r"^\| CP-\d{3} \|", DOC, flags=re.MULTILINE)) == len(DOC_ROWS)


def test_every_code_used_in_the_source_is_documented():
    used = set()
    for folder in ("manifest", "validation", "inspect"):
        for path in (SCORM_ROOT / folder).glob("*.py"):
            used |= set(re.findall(r'"(CP-\d{3})"', path.read_text()))
    assert used - set(DOC_ROWS) == set()
    assert len(used) > 40
