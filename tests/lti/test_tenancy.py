"""Tenants: a user, course, package or launch of one registration is never visible to another."""

from __future__ import annotations

import re
import uuid

from lti_tool.repo import packages as package_repo
from lti_tool.repo import people
from lti_tool.repo import registrations as registration_repo
from tests.lti.conftest import launch


def _two_registrations(tool):
    with tool.db.session() as session:
        regs = []
        for index in range(2):
            reg = registration_repo.add_registration(
                session,
                issuer="https://lms-shared.example",
                client_id=f"tenant-{index}-{uuid.uuid4().hex}",
                auth_login_url="https://lms-shared.example/auth",
                auth_token_url="https://lms-shared.example/token",
                key_set_url="https://lms-shared.example/jwks",
            )
            registration_repo.add_deployment(session, reg, "1")
            regs.append(reg)
        return regs


def test_same_sub_in_two_registrations_is_two_users(tool):
    first, second = _two_registrations(tool)
    with tool.db.session() as session:
        a = people.record_user(session, first, "user-42", {"name": "A"})
        b = people.record_user(session, second, "user-42", {"name": "B"})
        assert a.id != b.id
        assert people.find_user(session, first, "user-42").name == "A"
        assert people.get_user(session, second, a.id) is None


def test_context_of_one_registration_is_not_found_from_another(tool):
    first, second = _two_registrations(tool)
    with tool.db.session() as session:
        dep_first = registration_repo.find_deployment(session, first, "1")
        context = people.record_context(session, first, dep_first, "course-1", "C1", "Course")
        assert people.get_context(session, second, context.id) is None
        dep_second = registration_repo.find_deployment(session, second, "1")
        assert people.find_context(session, second, dep_second, "course-1") is None


def test_package_of_one_registration_is_not_found_from_another(tool):
    first, second = _two_registrations(tool)
    with tool.db.session() as session:
        package = package_repo.add_package(session, first, title="P", sha256="0" * 64, storage_path="x")
        assert package_repo.get_package(session, first, package.id) is not None
        assert package_repo.get_package(session, second, package.id) is None
        assert package_repo.list_packages(session, second) == []


def test_resource_link_of_one_registration_is_not_found_from_another(tool):
    first, second = _two_registrations(tool)
    with tool.db.session() as session:
        dep = registration_repo.find_deployment(session, first, "1")
        link = people.record_resource_link(session, first, dep, None, "link-9")
        assert people.get_resource_link(session, second, link.id) is None


def test_deployment_ids_are_per_registration(tool):
    first, second = _two_registrations(tool)
    with tool.db.session() as session:
        registration_repo.add_deployment(session, first, "only-first")
        assert registration_repo.find_deployment(session, second, "only-first") is None


def test_launch_token_of_one_registration_cannot_pick_another_registrations_package(app, platform, tool):
    from tests.lti.test_deep_linking import deep_link_launch

    first, _ = _two_registrations(tool)
    with tool.db.session() as session:
        foreign = package_repo.add_package(session, first, title="Foreign", sha256="1" * 64, storage_path="y")
    client = app.test_client()
    response, token = deep_link_launch(client, platform)
    assert "Foreign" not in response.get_data(as_text=True)
    chosen = client.post("/lti/deep-link/select", data={"lt": token, "unit": f"package:{foreign.id}"})
    assert chosen.status_code == 404


def test_launch_of_a_unit_of_another_registration_does_not_show_it(app, platform, tool):
    first, _ = _two_registrations(tool)
    with tool.db.session() as session:
        foreign = package_repo.add_package(
            session, first, title="Secret unit", sha256="2" * 64, storage_path="z"
        )
    custom = {"https://purl.imsglobal.org/spec/lti/claim/custom": {"unit": f"package:{foreign.id}"}}
    page = launch(app.test_client(), platform, overrides=custom).get_data(as_text=True)
    assert "Secret unit" not in page and re.search(r'data-launch-token="', page)


def test_every_table_holding_lms_data_carries_the_registration(app):
    """A table whose rows point at a registration's data (users, courses, links, packages, ...) must carry
    registration_id itself, so its queries can be scoped without a join. The app is built first, so every
    feature's models (player, grades, records) are loaded."""
    from lti_tool.db.models import Base

    tables = Base.metadata.sorted_tables
    tenant = {table.name for table in tables if "registration_id" in table.c} | {"registrations"}
    for table in tables:
        refers_to_lms_data = any(fk.column.table.name in tenant for fk in table.foreign_keys)
        if table.name != "registrations" and refers_to_lms_data:
            column = table.c.get("registration_id")
            assert column is not None and not column.nullable, table.name
    assert {"users", "contexts", "resource_links", "packages", "login_states", "launch_sessions"} <= tenant
