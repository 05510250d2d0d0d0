"""The issuer: the training provider running this tool, and the stable URLs where records are published.

One issuer per installation (the provider), whatever the number of LMS registrations: a worker's records are
the provider's statements, and the LMS is only where the training happened.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

DEFAULT_STANDARDS_URL = (
    "https://www.skillsforcare.org.uk/Developing-your-workforce/Care-Certificate/Care-Certificate.aspx"
)


@dataclass(frozen=True)
class Issuer:
    base_url: str  # the tool's public URL, no trailing slash
    name: str
    url: str = ""  # the provider's own web site
    email: str = ""
    standards_url: str = DEFAULT_STANDARDS_URL  # where the Care Certificate standards are described

    @property
    def id(self) -> str:
        return f"{self.base_url}/records/issuer"

    def achievement_url(self, achievement_key: str) -> str:
        return f"{self.base_url}/records/achievements/{achievement_key}"

    def key_url(self, key_name: str) -> str:
        return f"{self.base_url}/records/keys/{key_name}"

    def status_list_url(self, list_number: int) -> str:
        return f"{self.base_url}/records/status/{list_number}"

    def verify_url(self, credential_uuid: str = "") -> str:
        return f"{self.base_url}/verify" + (f"?credential={credential_uuid}" if credential_uuid else "")

    def profile(self) -> dict[str, Any]:
        """The OB 3.0 `Profile` of the issuer (embedded in credentials and published at its id)."""
        profile: dict[str, Any] = {"id": self.id, "type": ["Profile"], "name": self.name}
        if self.url:
            profile["url"] = self.url
        if self.email:
            profile["email"] = self.email
        return profile


def issuer_from_settings(settings: Mapping[str, Any]) -> Issuer:
    """Settings: RECORDS_ISSUER_NAME, RECORDS_ISSUER_URL, RECORDS_ISSUER_EMAIL, RECORDS_STANDARDS_URL
    (CARECERT_* in the environment), with BASE_URL for the published URLs."""
    return Issuer(
        base_url=str(settings["BASE_URL"]).rstrip("/"),
        name=str(settings.get("RECORDS_ISSUER_NAME") or "Care Certificate training provider"),
        url=str(settings.get("RECORDS_ISSUER_URL") or ""),
        email=str(settings.get("RECORDS_ISSUER_EMAIL") or ""),
        standards_url=str(settings.get("RECORDS_STANDARDS_URL") or DEFAULT_STANDARDS_URL),
    )
