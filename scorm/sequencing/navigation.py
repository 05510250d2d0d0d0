"""The player's table of contents and LMS-side navigation.

SCORM 2004: the sequencer (scorm-again, fed by ``build_sequencing_settings``) decides which
requests are valid; this model gives the tree, launch URLs, hideLMSUI and whether a parent allows
choice at all. SCORM 1.2 has no sequencer: the LMS offers choice of any visible launchable item
whose ``adlcp:prerequisites`` hold, and previous/next in document order (CAM 1.2 2.3.2.5).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from scorm.manifest.model import Item, Manifest
from scorm.sequencing.activity_tree import find_organization
from scorm.sequencing.definition_json import HIDE_LMS_UI_TOKENS
from scorm.sequencing.prerequisites import prerequisites_met


@dataclass(frozen=True)
class TocEntry:
    identifier: str
    title: str
    depth: int  # among visible entries: children of a hidden item sit at its level
    parent: str | None  # nearest visible ancestor item, None at the top
    launch: str | None  # package-relative launch URL with the item's parameters, None for a heading
    is_sco: bool
    visible: bool
    status: str | None  # the caller's status for it (1.2 lesson_status or 2004 completion), if any
    allowed: bool | None  # 1.2: may be chosen now; 2004: None (ask the sequencer)
    choice_by_parent: bool  # 2004 control mode choice of the parent (SN 3.2.1); always True in 1.2
    hide_lms_ui: tuple[str, ...] = ()  # effective adlnav:hideLMSUI (the item's and its ancestors')

    @property
    def launchable(self) -> bool:
        return self.launch is not None


@dataclass(frozen=True)
class TableOfContents:
    version: str
    organization: str
    title: str
    entries: tuple[TocEntry, ...] = field(default_factory=tuple)  # every item, depth first

    @property
    def visible_entries(self) -> tuple[TocEntry, ...]:
        return tuple(e for e in self.entries if e.visible)

    @property
    def shows_table(self) -> bool:
        """A table is worth showing when more than one visible item can be launched."""
        return sum(1 for e in self.visible_entries if e.launchable) > 1

    def entry(self, identifier: str) -> TocEntry | None:
        return next((e for e in self.entries if e.identifier == identifier), None)

    def flow(self) -> list[str]:
        """Launchable visible items in document order: the 1.2 previous/next order."""
        return [e.identifier for e in self.entries if e.launchable and e.visible]


def table_of_contents(
    manifest: Manifest, organization_id: str | None = None, statuses: Mapping[str, str] | None = None
) -> TableOfContents:
    """The table of contents of one organisation (default: the default one)."""
    organization = find_organization(manifest, organization_id)
    statuses = statuses or {}
    known = {item.identifier for item in organization.all_items()}
    is_12 = manifest.version == "1.2"
    root_choice = organization.sequencing.control_mode.choice if organization.sequencing else True
    entries: list[TocEntry] = []

    def visit(item: Item, depth: int, parent: str | None, choice: bool, hidden: tuple[str, ...]) -> None:
        hide = _ordered_hide(hidden + tuple(item.hide_lms_ui))
        allowed = None
        if is_12:
            allowed = item.launch is not None and prerequisites_met(item.prerequisites, statuses, known)
        entries.append(
            TocEntry(
                identifier=item.identifier,
                title=item.title or item.identifier,
                depth=depth,
                parent=parent,
                launch=item.launch,
                is_sco=item.resource_scorm_type == "sco",
                visible=item.isvisible,
                status=statuses.get(item.identifier),
                allowed=allowed,
                choice_by_parent=True if is_12 else choice,
                hide_lms_ui=hide,
            )
        )
        kid_choice = item.sequencing.control_mode.choice if item.sequencing else True
        for kid in item.children:
            visit(
                kid,
                depth + 1 if item.isvisible else depth,
                item.identifier if item.isvisible else parent,
                kid_choice,
                hide,
            )

    for item in organization.items:
        visit(item, 0, None, root_choice, ())
    return TableOfContents(
        version=manifest.version or "",
        organization=organization.identifier,
        title=organization.title or manifest.title,
        entries=tuple(entries),
    )


def _ordered_hide(tokens: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(t for t in HIDE_LMS_UI_TOKENS if t in tokens)


def next_item(toc: TableOfContents, current: str | None) -> str | None:
    """SCORM 1.2 "continue": the next visible launchable item after current that is allowed."""
    order = toc.flow()
    start = order.index(current) + 1 if current in order else 0
    return next((i for i in order[start:] if _allowed(toc, i)), None)


def previous_item(toc: TableOfContents, current: str | None) -> str | None:
    """SCORM 1.2 "previous": the nearest allowed visible launchable item before current."""
    order = toc.flow()
    if current not in order:
        return None
    return next((i for i in reversed(order[: order.index(current)]) if _allowed(toc, i)), None)


def first_item(toc: TableOfContents) -> str | None:
    """Where a new 1.2 attempt starts: the first allowed launchable item (hidden ones too, so a
    package whose only SCO is hidden still starts)."""
    launchable = [e.identifier for e in toc.entries if e.launchable]
    return next((i for i in launchable if _allowed(toc, i)), launchable[0] if launchable else None)


def _allowed(toc: TableOfContents, identifier: str) -> bool:
    entry = toc.entry(identifier)
    return entry is not None and entry.allowed is not False
