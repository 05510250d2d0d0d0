"""The ASC-WDS bulk upload files: the training file (one row per achieved unit) and, for the whole
certificate, the staff-file qualification fields. Layout and codes as the Adult Social Care Workforce Data
Set takes them (training file columns of November 2025):

LOCALESTID, UNIQUEWORKERID, CATEGORY, TRAININGNAME, ACCREDITED, WHODELIVERED, PROVIDERNAME, HOWDELIVERED,
VALIDITY, DATECOMPLETED, EXPIRYDATE, NOTES — dates DD/MM/YYYY.

Codes (from the ASC-WDS bulk upload format): ACCREDITED 1 yes, 0 no, 999 don't know; WHODELIVERED 1 in-house
staff, 2 external provider; PROVIDERNAME the provider's code in ASC-WDS's training provider list (only with
WHODELIVERED 2); HOWDELIVERED 1 face to face, 2 e-learning; VALIDITY months, or "none" for training that does
not expire; CATEGORY one of the training category codes in `ascwds_categories.yaml` (with its source).
Staff file: L2CARECERT "1;YYYY" (completed, year; ASC-WDS ignores a year before 2024 or in the future) and
QUALACH01 "158;YYYY": in ASC-WDS's qualification list, bulk upload code 158 is the certificate-group entry
"Level 2 Adult Social Care Certificate" (SopraSteria-SFC backend/migrations/20240903124901-addNewQuals.js and
backend/reference/qualifications.js; still configurable: RECORDS_ASCWDS_QUALIFICATION_CODE).
The provider's own workplace and worker ids come from the mapping an admin uploads (`parse_workforce_ids`).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import yaml

TRAINING_COLUMNS = [
    "LOCALESTID",
    "UNIQUEWORKERID",
    "CATEGORY",
    "TRAININGNAME",
    "ACCREDITED",
    "WHODELIVERED",
    "PROVIDERNAME",
    "HOWDELIVERED",
    "VALIDITY",
    "DATECOMPLETED",
    "EXPIRYDATE",
    "NOTES",
]
STAFF_COLUMNS = ["LOCALESTID", "UNIQUEWORKERID", "L2CARECERT", "QUALACH01", "QUALACH01NOTES"]
ACCREDITED_CODES = {"1", "0", "999"}
WHO_DELIVERED_CODES = {"1", "2"}
HOW_DELIVERED_CODES = {"1", "2"}
MAX_ID_LENGTH = 50
MAX_TRAINING_NAME = 120
MAX_NOTES = 1000


class AscWdsError(ValueError):
    """A mapping file or a setting that cannot be used; the message says which row or key."""


@dataclass(frozen=True)
class TrainingOptions:
    """The provider's answers that ASC-WDS asks for each row (RECORDS_ASCWDS_* settings)."""

    categories: dict[str, int]  # unit id -> CATEGORY code
    accredited: str = "0"  # our e-learning units are not accredited on their own
    who_delivered: str = "2"  # the training provider is external to the employer
    provider_code: str = ""  # the provider's code in ASC-WDS's list, when it has one
    how_delivered: str = "2"  # e-learning
    validity: str = "none"  # the certificate does not expire
    qualification_code: str = "158"


FIRST_L2CARECERT_YEAR = 2024  # the certificate began in 2024; ASC-WDS drops an earlier year


@cache
def _bundled_categories() -> dict[str, Any]:
    text = resources.files("lti_tool.records").joinpath("ascwds_categories.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def training_category_names() -> dict[int, str]:
    """ASC-WDS's bulk upload training category codes and their names."""
    return {int(code): str(name) for code, name in _bundled_categories()["training_categories"].items()}


def default_categories() -> dict[str, int | None]:
    """The bundled category code of each catalogue unit."""
    return {unit: entry.get("category") for unit, entry in _bundled_categories()["units"].items()}


def options_from_settings(settings: Mapping[str, Any]) -> TrainingOptions:
    categories = dict(default_categories())
    override = settings.get("RECORDS_ASCWDS_CATEGORIES") or {}
    if isinstance(override, str):
        try:
            override = json.loads(override)
        except ValueError as error:
            raise AscWdsError(f"RECORDS_ASCWDS_CATEGORIES is not JSON: {error}") from None
    if not isinstance(override, dict):
        raise AscWdsError("RECORDS_ASCWDS_CATEGORIES must map unit ids to category codes")
    known = training_category_names()
    for unit_id, code in override.items():
        if not str(code).isdigit():
            raise AscWdsError(
                f"RECORDS_ASCWDS_CATEGORIES: the code for {unit_id} must be a number, not {code!r}"
            )
        if int(code) not in known:
            raise AscWdsError(
                f"RECORDS_ASCWDS_CATEGORIES: {code} (for {unit_id}) is not an ASC-WDS training category code;"
                " `carecert records ascwds-categories` lists them"
            )
        categories[str(unit_id)] = int(code)
    options = TrainingOptions(
        categories={unit: code for unit, code in categories.items() if code is not None},
        accredited=str(settings.get("RECORDS_ASCWDS_ACCREDITED", "0")),
        who_delivered=str(settings.get("RECORDS_ASCWDS_WHO_DELIVERED", "2")),
        provider_code=str(settings.get("RECORDS_ASCWDS_PROVIDER_CODE", "") or ""),
        how_delivered=str(settings.get("RECORDS_ASCWDS_HOW_DELIVERED", "2")),
        validity=str(settings.get("RECORDS_ASCWDS_VALIDITY", "none")),
        qualification_code=str(settings.get("RECORDS_ASCWDS_QUALIFICATION_CODE", "158")),
    )
    _check_options(options)
    return options


@dataclass(frozen=True)
class UnitCategory:
    unit_id: str
    code: int | None
    name: str  # the category's name in ASC-WDS ("" when the unit has no code)


def unit_categories(options: TrainingOptions) -> list[UnitCategory]:
    """Each catalogue unit with the category it is exported under (for the admin page and the CLI)."""
    names = training_category_names()
    units = sorted(set(default_categories()) | set(options.categories))
    return [
        UnitCategory(unit, options.categories.get(unit), names.get(options.categories.get(unit, -1), ""))
        for unit in units
    ]


def _check_options(options: TrainingOptions) -> None:
    if options.accredited not in ACCREDITED_CODES:
        raise AscWdsError("RECORDS_ASCWDS_ACCREDITED must be 1 (yes), 0 (no) or 999 (don't know)")
    if options.who_delivered not in WHO_DELIVERED_CODES:
        raise AscWdsError("RECORDS_ASCWDS_WHO_DELIVERED must be 1 (in-house staff) or 2 (external provider)")
    if options.how_delivered not in HOW_DELIVERED_CODES:
        raise AscWdsError("RECORDS_ASCWDS_HOW_DELIVERED must be 1 (face to face) or 2 (e-learning)")
    if options.validity != "none" and not (options.validity.isdigit() and int(options.validity) > 0):
        raise AscWdsError("RECORDS_ASCWDS_VALIDITY must be a number of months or 'none'")


def uk_date(day: date) -> str:
    return day.strftime("%d/%m/%Y")


@dataclass(frozen=True)
class WorkforceIds:
    local_establishment_id: str
    unique_worker_id: str


@dataclass(frozen=True)
class AchievedUnit:
    unit_id: str
    title: str
    completed_on: date
    notes: str = ""


def _clean(text: str, limit: int) -> str:
    return " ".join(str(text).split())[:limit]


def training_rows(
    ids: WorkforceIds, units: list[AchievedUnit], options: TrainingOptions
) -> list[dict[str, str]]:
    """The training-file rows of one worker. Raises AscWdsError for a unit with no category code."""
    missing = sorted({u.unit_id for u in units if u.unit_id not in options.categories})
    if missing:
        raise AscWdsError(
            "no ASC-WDS training category is set for "
            + ", ".join(missing)
            + ': set RECORDS_ASCWDS_CATEGORIES, e.g. {"u01": 21}'
            + " (`carecert records ascwds-categories` lists the codes)"
        )
    return [
        {
            "LOCALESTID": ids.local_establishment_id,
            "UNIQUEWORKERID": ids.unique_worker_id,
            "CATEGORY": str(options.categories[unit.unit_id]),
            "TRAININGNAME": _clean(unit.title, MAX_TRAINING_NAME),
            "ACCREDITED": options.accredited,
            "WHODELIVERED": options.who_delivered,
            "PROVIDERNAME": options.provider_code if options.who_delivered == "2" else "",
            "HOWDELIVERED": options.how_delivered,
            "VALIDITY": options.validity,
            "DATECOMPLETED": uk_date(unit.completed_on),
            "EXPIRYDATE": "",
            "NOTES": _clean(unit.notes, MAX_NOTES),
        }
        for unit in units
    ]


def staff_row(ids: WorkforceIds, achieved_on: date, options: TrainingOptions) -> dict[str, str]:
    """The staff-file fields that record the whole Level 2 Adult Social Care Certificate."""
    year = str(achieved_on.year) if achieved_on.year >= FIRST_L2CARECERT_YEAR else ""
    return {
        "LOCALESTID": ids.local_establishment_id,
        "UNIQUEWORKERID": ids.unique_worker_id,
        "L2CARECERT": f"1;{year}",
        "QUALACH01": f"{options.qualification_code};{achieved_on.year}",
        "QUALACH01NOTES": "",
    }


def write_csv(columns: list[str], rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def parse_workforce_ids(text: str) -> dict[str, WorkforceIds]:
    """The admin's mapping CSV: a column `lms_user_id` or `email` (or both), and LOCALESTID, UNIQUEWORKERID.
    Returns learner keys ("sub:<LMS user id>", "email:<lower-cased email>") -> ids; errors name the row."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    headers = {(h or "").strip().upper() for h in reader.fieldnames or []}
    if not {"LOCALESTID", "UNIQUEWORKERID"} <= headers or not headers & {"LMS_USER_ID", "EMAIL"}:
        raise AscWdsError("the mapping needs columns lms_user_id or email, LOCALESTID and UNIQUEWORKERID")
    found: dict[str, WorkforceIds] = {}
    for line, row in enumerate(reader, start=2):
        values = {(k or "").strip().upper(): (v or "").strip() for k, v in row.items() if k}
        ids = WorkforceIds(values.get("LOCALESTID", ""), values.get("UNIQUEWORKERID", ""))
        if not ids.local_establishment_id or not ids.unique_worker_id:
            raise AscWdsError(f"line {line}: LOCALESTID and UNIQUEWORKERID are both required")
        if len(ids.local_establishment_id) > MAX_ID_LENGTH or len(ids.unique_worker_id) > MAX_ID_LENGTH:
            raise AscWdsError(f"line {line}: an id is longer than {MAX_ID_LENGTH} characters")
        sub, email = values.get("LMS_USER_ID", ""), values.get("EMAIL", "").lower()
        if not sub and not email:
            raise AscWdsError(f"line {line}: give the learner's lms_user_id or email")
        if sub:
            found[f"sub:{sub}"] = ids
        if email:
            found[f"email:{email}"] = ids
    return found
