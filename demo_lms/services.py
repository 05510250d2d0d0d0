"""AGS (line items, scores, results) and NRPS (memberships) on lti1p3platform's service classes.

The library authenticates the bearer token and dispatches; storage, validation, paging and the stricter Moodle
score rules are ours. Each operation requires its own scope (the library would accept any AGS scope for all).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lti1p3platform.exceptions import LineItemNotFoundException, LtiServiceException
from lti1p3platform.membership import Context
from lti1p3platform.score import UpdateScoreStatus
from lti1p3platform.service_connector import AssignmentsGradesService, NamesRoleProvisioningService, TPage

from demo_lms.gradebook import ScoreRefused
from demo_lms.models import LineItem

if TYPE_CHECKING:
    from demo_lms.platform import DemoPlatform


def page_of(items: list[Any], page: int, limit: int | None) -> TPage:
    if not limit:
        return {"content": items, "has_next": False, "next": None}
    start = (page - 1) * limit
    return {"content": items[start : start + limit], "has_next": start + limit < len(items), "next": None}


def line_item_json(platform: DemoPlatform, item: LineItem) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": platform.lineitem_url(item),
        "label": item.label,
        "scoreMaximum": item.score_maximum,
    }
    optional = {
        "resourceLinkId": item.resource_link_id,
        "resourceId": item.resource_id,
        "tag": item.tag,
        "startDateTime": item.start,
        "endDateTime": item.end,
    }
    body.update({name: value for name, value in optional.items() if value is not None})
    return body


def _label_and_maximum(data: Any) -> tuple[str, float]:
    if not isinstance(data, dict):
        raise LtiServiceException("the line item must be a JSON object", 400)
    label, maximum = data.get("label"), data.get("scoreMaximum")
    if not isinstance(label, str) or not label.strip():
        raise LtiServiceException("label is required", 400)
    if isinstance(maximum, bool) or not isinstance(maximum, int | float) or not 0 < maximum < float("inf"):
        raise LtiServiceException("scoreMaximum must be a number greater than 0", 400)
    return label, float(maximum)


class DemoAgsService(AssignmentsGradesService):
    def __init__(
        self, request: Any, platform_config: Any, platform: DemoPlatform, required_scopes: list[str]
    ):
        super().__init__(request, platform_config, platform.lineitems_url())
        self.platform = platform
        self.required_scopes = required_scopes

    @property
    def allowed_scopes(self) -> list[str]:
        return self.required_scopes

    def _item(self, line_item_id: str) -> LineItem:
        item = self.platform.line_items.get(line_item_id)
        if item is None:
            raise LineItemNotFoundException(line_item_id)
        return item

    def find_lineitems(
        self,
        page: int = 1,
        limit: int | None = None,
        line_item_id: str | None = None,
        resource_link_id: str | None = None,
        resource_id: str | None = None,
        tag: str | None = None,
        **_ignored: Any,
    ) -> TPage:
        wanted = {"resource_link_id": resource_link_id, "resource_id": resource_id, "tag": tag}
        items = [
            item
            for item in self.platform.line_items.values()
            if all(value is None or getattr(item, name) == value for name, value in wanted.items())
        ]
        return page_of([line_item_json(self.platform, item) for item in items], page, limit)

    def find_lineitem(self, line_item_id: str) -> Any:
        return line_item_json(self.platform, self._item(line_item_id))

    def create_lineitem(self, creation_data: Any) -> Any:
        label, maximum = _label_and_maximum(creation_data)
        link_id = creation_data.get("resourceLinkId")
        if link_id is not None and link_id not in self.platform.resource_links:
            raise LtiServiceException(f"unknown resourceLinkId {link_id!r}", 400)
        item = self.platform.add_line_item(
            label,
            maximum,
            resource_link_id=link_id,
            resource_id=creation_data.get("resourceId"),
            tag=creation_data.get("tag"),
            client_id=self.platform_config.tool.client_id,
        )
        return line_item_json(self.platform, item)

    def update_lineitem(self, update_data: Any) -> Any:
        item = self._item(update_data["id"])
        item.label, item.score_maximum = _label_and_maximum(update_data)
        item.tag = update_data.get("tag", item.tag)
        item.resource_id = update_data.get("resourceId", item.resource_id)
        return line_item_json(self.platform, item)

    def delete_lineitem(self, line_item_id: str) -> None:
        self._item(line_item_id)
        with self.platform.lock:
            del self.platform.line_items[line_item_id]

    def update_score(self, line_item_id: str, score: Any) -> UpdateScoreStatus:
        item = self._item(line_item_id)
        user_id = score.get("userId") if isinstance(score, dict) else None
        user = self.platform.users.get(user_id) if isinstance(user_id, str) else None
        with self.platform.lock:
            try:
                self.platform.gradebook.receive(item, user, score)
            except ScoreRefused as refusal:
                message = refusal.reason if refusal.body is None else refusal.body
                raise LtiServiceException(message, refusal.status) from refusal
        return UpdateScoreStatus.SUCCESS

    def get_results(
        self, line_item_id: str, page: int = 1, limit: int | None = None, user_id: str | None = None, **_: Any
    ) -> TPage:
        item = self._item(line_item_id)
        line_item_url = self.platform.lineitem_url(item)
        results = [
            {
                "id": f"{line_item_url.split('?')[0]}/results/{entry.user_id}",
                "scoreOf": line_item_url,
                "userId": entry.user_id,
                "resultScore": entry.grade,
                "resultMaximum": item.score_maximum,
                "comment": entry.comment,
            }
            for entry in self.platform.gradebook.results_for(item.id)
            if user_id is None or entry.user_id == user_id
        ]
        return page_of(results, page, limit)


class DemoNrpsService(NamesRoleProvisioningService):
    def __init__(self, request: Any, platform_config: Any, platform: DemoPlatform) -> None:
        super().__init__(request, platform_config, platform.memberships_url())
        self.platform = platform

    def get_context_by_id(self) -> Context:
        course = self.platform.course
        return Context(id=course.id, label=course.label, title=course.title)

    def is_resource_link_valid(self, context_id: str, resource_link_id: str) -> bool:
        link = self.platform.resource_links.get(resource_link_id)
        return link is not None and link.client_id == self.platform_config.tool.client_id

    def get_member_data_page(
        self,
        page: int = 1,
        limit: int | None = None,
        role: str | None = None,
        since: str | None = None,
        **_: Any,
    ) -> TPage:
        members = [
            {
                "user_id": user.id,
                "roles": [user.role],  # short names, as Moodle answers
                "status": "Active",
                "name": user.name,
                "given_name": user.given_name,
                "family_name": user.family_name,
                "email": user.email,
            }
            for user in self.platform.users.values()
            if role is None or role in (user.role, user.role_uris[0])
        ]
        return page_of(members, page, limit)
