"""The issuer: the training provider whose statements the credentials are, and the stable URLs where its
records are published.

By default one issuer per installation (`{BASE_URL}/records/issuer`, from the RECORDS_ISSUER_* settings).
An installation serving several providers gives a registration (an LMS of one provider) its own issuer
profile (`providers.py`): credentials learners of that LMS earn are then issued by
`{BASE_URL}/records/providers/{registration id}/issuer`, with that provider's name, URL and email. The
signing keys stay the installation's; each provider publishes them under its own URLs, as verification
methods that it controls. Status lists and the /verify page stay installation-wide.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
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
    provider: int | None = None  # the registration with its own issuer profile; None: the installation's

    @property
    def root(self) -> str:
        """Where this issuer's documents live."""
        if self.provider is None:
            return f"{self.base_url}/records"
        return f"{self.base_url}/records/providers/{self.provider}"

    @property
    def id(self) -> str:
        return f"{self.root}/issuer"

    def achievement_url(self, achievement_key: str) -> str:
        return f"{self.root}/achievements/{achievement_key}"

    def key_url(self, key_name: str) -> str:
        return f"{self.root}/keys/{key_name}"

    def for_provider(self, registration_id: int, name: str, url: str = "", email: str = "") -> Issuer:
        """The issuer of one provider's registration, on this installation's base URL and standards."""
        return replace(self, provider=registration_id, name=name or self.name, url=url, email=email)

    def installation(self) -> Issuer:
        """The installation-wide issuer (status lists, xAPI activity ids, the verification page)."""
        return self if self.provider is None else replace(self, provider=None)

    def provider_of(self, url: str) -> int | None:
        """The registration whose provider URL space `url` is in (an issuer id, key or achievement URL)."""
        prefix = f"{self.base_url}/records/providers/"
        number = url[len(prefix) :].split("/", 1)[0] if url.startswith(prefix) else ""
        return int(number) if number.isdigit() and len(number) < 12 else None

    def status_list_url(self, list_number: int) -> str:  # installation-wide: one set of lists
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
