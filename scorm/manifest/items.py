"""Read <organization> and <item> elements, with their SCORM 1.2 and 2004 extension elements."""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from scorm.manifest.model import CompletionThreshold, Item, Organization, SharedDataMap
from scorm.manifest.sequencing_model import Sequencing
from scorm.manifest.values import ParseNotes, parse_float_text, read_bool, read_float
from scorm.manifest.xml_read import (
    ADLCP,
    ADLNAV,
    ADLSEQ,
    CP,
    IMSSS,
    attr,
    child,
    child_text,
    children,
    is_element,
    name_of,
)

# CAM 4th Ed. 6.1 (adlnav): the navigation controls content may ask the LMS to hide.
HIDE_LMS_UI = frozenset({"previous", "continue", "exit", "exitAll", "abandon", "abandonAll", "suspendAll"})

# Reads an element's <imsss:sequencing> into the effective Sequencing (collection merge included).
SequencingReader = Callable[[etree._Element | None], Sequencing | None]


def read_organization(
    el: etree._Element, read_sequencing: SequencingReader, notes: ParseNotes
) -> Organization:
    return Organization(
        identifier=(el.get("identifier") or "").strip(),
        title=child_text(el, CP, "title"),
        items=[read_item(i, read_sequencing, notes) for i in children(el, CP, "item")],
        structure=(el.get("structure") or "hierarchical").strip(),
        objectives_global_to_system=_flag(el, ADLSEQ, "objectivesGlobalToSystem", notes),
        shared_data_global_to_system=_flag(el, ADLCP, "sharedDataGlobalToSystem", notes),
        sequencing=read_sequencing(child(el, IMSSS, "sequencing")),
        completion_threshold=_completion_threshold(_adlcp_child(el, "completionthreshold"), notes),
        line=el.sourceline,
    )


def read_item(el: etree._Element, read_sequencing: SequencingReader, notes: ParseNotes) -> Item:
    prerequisites = _adlcp_child(el, "prerequisites")
    return Item(
        identifier=(el.get("identifier") or "").strip(),
        title=child_text(el, CP, "title"),
        identifierref=(el.get("identifierref") or "").strip() or None,
        isvisible=read_bool(el, "isvisible", True, notes),
        parameters=el.get("parameters"),
        children=[read_item(i, read_sequencing, notes) for i in children(el, CP, "item")],
        line=el.sourceline,
        mastery_score=_mastery_score(el, notes),
        max_time_allowed=_adlcp_text(el, "maxtimeallowed"),
        prerequisites=_text(prerequisites),
        prerequisites_type=prerequisites.get("type") if prerequisites is not None else None,
        time_limit_action=_adlcp_text(el, "timelimitaction"),
        data_from_lms=_adlcp_text(el, "datafromlms"),
        completion_threshold=_completion_threshold(_adlcp_child(el, "completionthreshold"), notes),
        shared_data=_shared_data(_adlcp_child(el, "data"), notes),
        hide_lms_ui=_hide_lms_ui(el, notes),
        sequencing=read_sequencing(child(el, IMSSS, "sequencing")),
    )


def _flag(el: etree._Element, fam: str, local: str, notes: ParseNotes) -> bool:
    raw = attr(el, fam, local)
    if raw is None:
        return True
    if raw.lower() in ("true", "1", "false", "0"):
        return raw.lower() in ("true", "1")
    notes.note("CP-070", f"{local}={raw!r} is not a boolean; using true.", el)
    return True


def _adlcp_child(el: etree._Element, lowered_local: str) -> etree._Element | None:
    # 1.2 spells these in lower case (masteryscore), 2004 in camel case (timeLimitAction).
    for kid in el:
        if is_element(kid) and name_of(kid)[0] == ADLCP and name_of(kid)[1].lower() == lowered_local:
            return kid
    return None


def _text(el: etree._Element | None) -> str | None:
    if el is None:
        return None
    return (el.text or "").strip() or None


def _adlcp_text(el: etree._Element, lowered_local: str) -> str | None:
    return _text(_adlcp_child(el, lowered_local))


def _mastery_score(el: etree._Element, notes: ParseNotes) -> float | None:
    found = _adlcp_child(el, "masteryscore")
    text = _text(found)
    if found is None or text is None:
        return None
    value = parse_float_text(text, -1.0, notes, found, "adlcp:masteryscore", 0.0, 100.0)
    return value if value >= 0 else None


def _completion_threshold(el: etree._Element | None, notes: ParseNotes) -> CompletionThreshold | None:
    if el is None:
        return None
    threshold = CompletionThreshold(
        completed_by_measure=read_bool(el, "completedByMeasure", False, notes),
        min_progress_measure=read_float(el, "minProgressMeasure", 1.0, notes, 0.0, 1.0),
        progress_weight=read_float(el, "progressWeight", 1.0, notes, 0.0, 1.0),
    )
    text = _text(el)
    if text is not None:
        # 3rd Edition: the threshold is the element's text, and it is always used as the measure.
        threshold.min_progress_measure = parse_float_text(
            text, 1.0, notes, el, "adlcp:completionThreshold", 0.0, 1.0
        )
        threshold.completed_by_measure = True
    return threshold


def _shared_data(el: etree._Element | None, notes: ParseNotes) -> list[SharedDataMap]:
    if el is None:
        return []
    return [
        SharedDataMap(
            target_id=(m.get("targetID") or "").strip(),
            read_shared_data=read_bool(m, "readSharedData", True, notes),
            write_shared_data=read_bool(m, "writeSharedData", True, notes),
        )
        for m in el
        if is_element(m) and name_of(m) == (ADLCP, "map")
    ]


def _hide_lms_ui(el: etree._Element, notes: ParseNotes) -> list[str]:
    presentation = child(el, ADLNAV, "presentation")
    interface = child(presentation, ADLNAV, "navigationInterface") if presentation is not None else None
    if interface is None:
        return []
    hidden = []
    for element in children(interface, ADLNAV, "hideLMSUI"):
        word = (element.text or "").strip()
        if word in HIDE_LMS_UI:
            hidden.append(word)
        else:
            notes.note(
                "CP-071",
                f"adlnav:hideLMSUI {word!r} is not one of {', '.join(sorted(HIDE_LMS_UI))}.",
                element,
            )
    return hidden
