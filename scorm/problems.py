"""Problems found in a package: a stable code, a severity, a message for a person, and a place."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"  # the package is refused
    WARNING = "warning"  # imported, but someone should know


@dataclass(frozen=True)
class Problem:
    code: str  # stable, documented in scorm/validation/CODES.md, e.g. "PKG-003"
    severity: Severity
    message: str  # plain language, says what is wrong and, where possible, what to do
    location: str = ""  # "imsmanifest.xml:42", "content/x.html", or "" for the whole package

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def to_dict(self) -> dict[str, str]:
        data = asdict(self)
        data["severity"] = str(self.severity)
        return data

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        return f"{where}{self.severity} {self.code}: {self.message}"


class PackageRefused(Exception):
    """Raised when a package cannot be used; carries every problem found so far."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems) or "package refused")
