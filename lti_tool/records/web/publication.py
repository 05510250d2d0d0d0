"""Stable public URLs of the issuer's documents: the Profile, each Achievement, each key (JWK or Multikey),
the controller document with every key, and the signed Bitstring Status Lists; and the same documents of
each provider with its own issuer profile, under /records/providers/{registration id}/."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import abort

from lti_tool.app import services
from lti_tool.catalogue import CatalogueError, load_unit
from lti_tool.records import providers, store
from lti_tool.records.data_integrity import add_proof
from lti_tool.records.issuer import Issuer
from lti_tool.records.jsonld import OB_V3, VC_V2
from lti_tool.records.ob3 import unit_achievement
from lti_tool.records.passport import QUALIFICATION_KEY, qualification_achievement
from lti_tool.records.status_list import status_list_credential
from lti_tool.records.web.common import blueprint, current_issuer, json_response


def _provider(registration_id: int) -> Issuer:
    """A provider's issuer (404 when that registration has no issuer profile of its own)."""
    with services().db.session(readonly=True) as session:
        found = providers.provider_issuer(session, current_issuer(), registration_id)
    if found is None:
        abort(404)
    return found


def _profile(issuer: Issuer):  # type: ignore[no-untyped-def]
    return json_response({"@context": [VC_V2, OB_V3], **issuer.profile()})


def _achievement(issuer: Issuer, key: str):  # type: ignore[no-untyped-def]
    if key == QUALIFICATION_KEY:
        return json_response({"@context": [VC_V2, OB_V3], **qualification_achievement(issuer)})
    try:
        unit = load_unit(key)
    except CatalogueError:
        abort(404)
    return json_response({"@context": [VC_V2, OB_V3], **unit_achievement(unit, issuer)})


def _controller_document(issuer: Issuer):  # type: ignore[no-untyped-def]
    with services().db.session() as session:
        store.signing_keys(session, issuer)  # publish the keys before the first credential needs them
        return json_response(store.controller_document(session, issuer))


def _published_key(issuer: Issuer, name: str):  # type: ignore[no-untyped-def]
    with services().db.session(readonly=True) as session:
        key = store.published_key(session, issuer, name[:128])
    if key is None:
        abort(404)
    return json_response(key)


@blueprint.route("/records/issuer", methods=["GET"])
def issuer_profile():  # type: ignore[no-untyped-def]
    return _profile(current_issuer())


@blueprint.route("/records/achievements/<key>", methods=["GET"])
def achievement(key: str):  # type: ignore[no-untyped-def]
    return _achievement(current_issuer(), key)


@blueprint.route("/records/keys", methods=["GET"])
def controller_document():  # type: ignore[no-untyped-def]
    return _controller_document(current_issuer())


@blueprint.route("/records/keys/<name>", methods=["GET"])
def published_key(name: str):  # type: ignore[no-untyped-def]
    return _published_key(current_issuer(), name)


# A provider's own issuer (providers.py): the same documents under its URLs, with its profile.
@blueprint.route("/records/providers/<int:registration_id>/issuer", methods=["GET"])
def provider_profile(registration_id: int):  # type: ignore[no-untyped-def]
    return _profile(_provider(registration_id))


@blueprint.route("/records/providers/<int:registration_id>/achievements/<key>", methods=["GET"])
def provider_achievement(registration_id: int, key: str):  # type: ignore[no-untyped-def]
    return _achievement(_provider(registration_id), key)


@blueprint.route("/records/providers/<int:registration_id>/keys", methods=["GET"])
def provider_controller_document(registration_id: int):  # type: ignore[no-untyped-def]
    return _controller_document(_provider(registration_id))


@blueprint.route("/records/providers/<int:registration_id>/keys/<name>", methods=["GET"])
def provider_published_key(registration_id: int, name: str):  # type: ignore[no-untyped-def]
    return _published_key(_provider(registration_id), name)


@blueprint.route("/records/status/<int:list_number>", methods=["GET"])
def status_list(list_number: int):  # type: ignore[no-untyped-def]
    issuer = current_issuer()
    now = datetime.now(UTC).replace(microsecond=0)
    with services().db.session() as session:
        if not store.status_list_exists(session, list_number):
            abort(404)
        document = status_list_credential(
            issuer, list_number, store.revoked_indexes(session, list_number), now
        )
        keys = store.signing_keys(session, issuer)
    response = json_response(add_proof(document, keys.ed25519_private, keys.ed25519_method, now))
    response.headers["Cache-Control"] = "public, max-age=300"  # a revocation shows within five minutes
    return response
