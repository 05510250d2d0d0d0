"""Manual registration of an LMS (admin page and `carecert platform add`): check the values, then store
them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from lti_tool.db.models import Registration
from lti_tool.repo import registrations as registration_repo

URL_FIELDS = ("issuer", "auth_login_url", "auth_token_url", "key_set_url")
LABELS = {
    "issuer": "Issuer (platform ID)",
    "client_id": "Client ID",
    "deployment_ids": "Deployment ID(s)",
    "auth_login_url": "Authentication request URL",
    "auth_token_url": "Access token URL",
    "key_set_url": "Public keyset URL",
}


class RegistrationInvalid(ValueError):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("; ".join(errors))


@dataclass
class ManualRegistration:
    issuer: str
    client_id: str
    auth_login_url: str
    auth_token_url: str
    key_set_url: str
    deployment_ids: list[str] = field(default_factory=list)
    auth_audience: str = ""
    name: str = ""

    @classmethod
    def from_mapping(cls, form: Mapping[str, str]) -> ManualRegistration:
        def text(key: str) -> str:
            value = form.get(key, "")
            return value.strip() if isinstance(value, str) else ""

        deployments = [d for d in text("deployment_ids").replace(",", " ").split() if d]
        return cls(
            issuer=text("issuer").rstrip("/") if text("issuer").count("/") > 2 else text("issuer"),
            client_id=text("client_id"),
            auth_login_url=text("auth_login_url"),
            auth_token_url=text("auth_token_url"),
            key_set_url=text("key_set_url"),
            deployment_ids=deployments,
            auth_audience=text("auth_audience"),
            name=text("name"),
        )

    def problems(self) -> list[str]:
        errors = []
        for name in URL_FIELDS:
            value = getattr(self, name)
            if not value:
                errors.append(f"{LABELS[name]} is required.")
            elif urlsplit(value).scheme not in ("http", "https") or not urlsplit(value).netloc:
                errors.append(f"{LABELS[name]} must be an http(s) URL, not {value!r}.")
            elif len(value) > 1024:
                errors.append(f"{LABELS[name]} is longer than 1024 characters.")
        if not self.client_id or len(self.client_id) > 255:
            errors.append(f"{LABELS['client_id']} is required (at most 255 characters).")
        if not self.deployment_ids:
            errors.append(
                f"{LABELS['deployment_ids']}: give at least one (Moodle shows it in the tool's details)."
            )
        errors += [
            f"Deployment ID {d[:40]!r}… is longer than 255 characters."
            for d in self.deployment_ids
            if len(d) > 255
        ]
        return errors


def register_manually(session: Session, values: ManualRegistration) -> Registration:
    errors = values.problems()
    if errors:
        raise RegistrationInvalid(errors)
    try:
        registration = registration_repo.add_registration(
            session,
            issuer=values.issuer,
            client_id=values.client_id,
            auth_login_url=values.auth_login_url,
            auth_token_url=values.auth_token_url,
            key_set_url=values.key_set_url,
            auth_audience=values.auth_audience,
            name=values.name[:255],
        )
    except registration_repo.RegistrationExists as exists:
        raise RegistrationInvalid([str(exists)]) from exists
    for deployment_id in values.deployment_ids:
        registration_repo.add_deployment(session, registration, deployment_id)
    return registration
