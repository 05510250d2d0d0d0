"""Line items: the launch's one when it named one; otherwise found or created once per resource link, however
many workers ask at the same time; /scores inserted before a query string."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from lti_tool.db.models import Context, LaunchSession, ResourceLink
from lti_tool.grades import UnitScore
from lti_tool.grades.ags import AgsClient, TokenSource, pooled_http_session, scores_url
from lti_tool.grades.lineitems import UNIT_TAG, ensure_line_item
from lti_tool.lti.claims import AGS_ENDPOINT


def test_scores_go_into_the_path_before_the_query_string():
    assert scores_url("https://lms.example/mod/lti/services.php/2/lineitems/7/lineitem?type_id=1") == (
        "https://lms.example/mod/lti/services.php/2/lineitems/7/lineitem/scores?type_id=1"
    )
    assert scores_url("https://lms.example/items/7/") == "https://lms.example/items/7/scores"


def _link_without_line_item(world) -> tuple[int, str]:
    """An activity added without our deep-linking response: its launches carry only the container URL."""
    platform_link = world.platform.add_resource_link("Added by hand")
    with world.db.session() as session:
        context = session.scalars(
            select(Context).where(Context.registration_id == world.registration_id)
        ).one()
        link = ResourceLink(
            registration_id=world.registration_id,
            deployment_pk=context.deployment_pk,
            context_pk=context.id,
            resource_link_id=platform_link.id,
            title="Added by hand",
        )
        session.add(link)
        session.flush()
        session.add(
            LaunchSession(
                registration_id=world.registration_id,
                token_hash="x" * 64,
                deployment_pk=context.deployment_pk,
                user_pk=world.users["learner1"],
                context_pk=context.id,
                resource_link_pk=link.id,
                message_type="LtiResourceLinkRequest",
                role="learner",
                claims={AGS_ENDPOINT: {"lineitems": world.platform.lineitems_url(), "scope": []}},
                expires_at=datetime.now(UTC) + timedelta(hours=1),
            )
        )
        return link.id, platform_link.id


def _items_for(world, platform_link_id):
    return [item for item in world.platform.line_items.values() if item.resource_link_id == platform_link_id]


def _ensure(world, link_pk, owner):
    from lti_tool.db.models import Registration

    with world.db.session(readonly=True) as session:
        registration = session.get(Registration, world.registration_id)
    http = pooled_http_session(4)
    tokens = TokenSource(world.db, registration, http, 10)
    return ensure_line_item(
        world.db, AgsClient(http), tokens, world.registration_id, link_pk, owner, world.clock.now
    )


def test_a_line_item_is_created_once_for_concurrent_callers(world):
    link_pk, platform_link_id = _link_without_line_item(world)
    results = []

    def ask(n):
        for _ in range(200):
            lookup = _ensure(world, link_pk, f"worker-{n}")
            if not lookup.wait:
                results.append(lookup)
                return
            world.clock.sleep(0)  # another caller is creating it: ask again

    threads = [threading.Thread(target=ask, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    [item] = _items_for(world, platform_link_id)
    assert item.tag == UNIT_TAG and item.score_maximum == 100
    assert len(results) == 6 and {r.url for r in results} == {world.platform.lineitem_url(item)}


def test_an_existing_line_item_with_our_tag_is_found_not_created(world):
    link_pk, platform_link_id = _link_without_line_item(world)
    existing = world.platform.add_line_item("Unit", 100, resource_link_id=platform_link_id, tag=UNIT_TAG)
    lookup = _ensure(world, link_pk, "worker-1")
    assert lookup.url == world.platform.lineitem_url(existing)
    assert len(_items_for(world, platform_link_id)) == 1


def test_scores_of_an_activity_without_a_launch_line_item_reach_the_created_one(world):
    link_pk, platform_link_id = _link_without_line_item(world)
    world.queue("learner1", UnitScore("completed", "passed", 0.6, 1), link_pk=link_pk)
    world.worker().run_until_idle()
    [item] = _items_for(world, platform_link_id)
    assert world.entry("learner1", item.id).score_given == 60.0
