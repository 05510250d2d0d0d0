"""An ASC-WDS training-file reader written from the bulk upload rules (not from our writer): it parses a file
back and lists every rule a row breaks, the way the upload would refuse it."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime

COLUMNS = [
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
UK_DATE = re.compile(r"^\d{2}/\d{2}/\d{4}$")


def _date(value: str) -> date | None:
    if not UK_DATE.match(value):
        return None
    try:
        return datetime.strptime(value, "%d/%m/%Y").date()
    except ValueError:
        return None


def row_problems(row: dict[str, str], known_categories: set[int], today: date) -> list[str]:
    problems = []
    for column in ("LOCALESTID", "UNIQUEWORKERID"):
        if not row[column] or len(row[column]) > 50:
            problems.append(f"{column} is required, at most 50 characters")
    if not row["CATEGORY"].isdigit() or int(row["CATEGORY"]) not in known_categories:
        problems.append("CATEGORY must be a known training category code")
    if len(row["TRAININGNAME"]) > 120:
        problems.append("TRAININGNAME is at most 120 characters")
    if row["ACCREDITED"] not in ("", "0", "1", "999"):
        problems.append("ACCREDITED must be 0, 1 or 999")
    if row["WHODELIVERED"] not in ("", "1", "2"):
        problems.append("WHODELIVERED must be 1 or 2")
    if row["PROVIDERNAME"] and row["WHODELIVERED"] != "2":
        problems.append("PROVIDERNAME only with WHODELIVERED 2")
    if row["HOWDELIVERED"] not in ("", "1", "2"):
        problems.append("HOWDELIVERED must be 1 or 2")
    if (
        row["VALIDITY"]
        and row["VALIDITY"] != "none"
        and not (row["VALIDITY"].isdigit() and int(row["VALIDITY"]) > 0)
    ):
        problems.append("VALIDITY must be months or none")
    completed = _date(row["DATECOMPLETED"])
    if row["DATECOMPLETED"] and (completed is None or completed > today):
        problems.append("DATECOMPLETED must be a past DD/MM/YYYY date")
    expiry = _date(row["EXPIRYDATE"]) if row["EXPIRYDATE"] else None
    if row["EXPIRYDATE"] and (expiry is None or (completed and expiry <= completed)):
        problems.append("EXPIRYDATE must be a DD/MM/YYYY date after DATECOMPLETED")
    if row["VALIDITY"] == "none" and row["EXPIRYDATE"]:
        problems.append("EXPIRYDATE must be empty for training that does not expire")
    if len(row["NOTES"]) > 1000:
        problems.append("NOTES is at most 1000 characters")
    return problems


def read_training_file(text: str, known_categories: set[int], today: date) -> tuple[list[dict], list[str]]:
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames != COLUMNS:
        return [], [f"the header must be exactly {','.join(COLUMNS)}"]
    rows, problems = [], []
    for line, row in enumerate(reader, start=2):
        rows.append(row)
        problems.extend(f"line {line}: {problem}" for problem in row_problems(row, known_categories, today))
    return rows, problems
