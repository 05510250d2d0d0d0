"""The player's table of contents: what is shown, what can be launched, 1.2 choice and flow."""

from __future__ import annotations

from pathlib import Path

import pytest

from scorm.sequencing import first_item, next_item, previous_item, table_of_contents
from tests.scorm.sequencing.helpers import RANDOM_TEST, built_manifest, corpus_package_manifest, sco_resources

COMPLEX_12 = "moodle_complexscorm_12.zip"
GOLF_12 = "golf12_ContentPackagingOneFilePerSCO_multiSCO.zip"


def item(suffix: str) -> str:
    return f"mm-ITEM-SCORMDEbugger555f231e21b982c25{suffix}"


@pytest.fixture
def complex_12(corpus: Path):
    return corpus_package_manifest(corpus, COMPLEX_12)


# --- SCORM 1.2: the complex package -----------------------------------------------------------------


def test_nested_items_keep_their_depth_and_parent(complex_12):
    toc = table_of_contents(complex_12)
    sub_sub = toc.entry(item("s06"))

    assert (sub_sub.depth, sub_sub.parent) == (2, item("s05"))
    assert toc.entry(item("s04")).launchable  # a 1.2 parent item may launch too


def test_invisible_item_is_not_shown_and_not_in_flow(complex_12):
    toc = table_of_contents(complex_12)

    assert item("s07") not in [e.identifier for e in toc.visible_entries]
    assert item("s07") not in toc.flow()
    assert toc.entry(item("s07")).visible is False


def test_asset_is_launchable_but_not_a_sco(complex_12):
    asset = table_of_contents(complex_12).entry(item("s03"))

    assert (asset.launchable, asset.is_sco) == (True, False)


def test_item_with_prerequisites_is_locked_until_they_are_met(complex_12):
    locked = table_of_contents(complex_12, statuses={item("s01"): "completed"})
    opened = table_of_contents(complex_12, statuses={item("s01"): "completed", item("s02"): "passed"})

    assert locked.entry(item("s08")).allowed is False
    assert opened.entry(item("s08")).allowed is True


def test_items_without_prerequisites_are_allowed(complex_12):
    toc = table_of_contents(complex_12)

    assert all(toc.entry(item(s)).allowed for s in ("s01", "s02", "s03", "s05"))


def test_next_skips_an_item_whose_prerequisites_are_not_met(complex_12):
    toc = table_of_contents(complex_12)

    assert next_item(toc, item("s06")) is None
    assert next_item(toc, item("s01")) == item("s02")


def test_next_reaches_the_prerequisite_item_once_met(complex_12):
    toc = table_of_contents(complex_12, statuses={item("s01"): "passed", item("s02"): "completed"})

    assert next_item(toc, item("s06")) == item("s08")
    assert previous_item(toc, item("s08")) == item("s06")


def test_previous_of_the_first_item_is_none(complex_12):
    toc = table_of_contents(complex_12)

    assert previous_item(toc, first_item(toc)) is None
    assert first_item(toc) == item("s01")


def test_statuses_are_carried_for_the_player(complex_12):
    toc = table_of_contents(complex_12, statuses={item("s01"): "passed"})

    assert toc.entry(item("s01")).status == "passed"
    assert toc.entry(item("s02")).status is None


def test_default_organisation_reference_that_matches_nothing_falls_back_to_the_first(complex_12):
    assert table_of_contents(complex_12).organization == "mm-SCORMDEbugger555f231e21b982c25d16"


# --- SCORM 1.2: golf multi-SCO -----------------------------------------------------------------------


def test_golf_headings_are_not_launchable_and_their_pages_are(corpus: Path):
    toc = table_of_contents(corpus_package_manifest(corpus, GOLF_12))

    assert toc.entry("playing_item").launchable is False
    assert toc.entry("playing_quiz_item").launch == "shared/assessmenttemplate.html?questions=Playing"
    assert len(toc.flow()) == 18
    assert toc.shows_table


def test_golf_flow_crosses_from_one_section_to_the_next(corpus: Path):
    toc = table_of_contents(corpus_package_manifest(corpus, GOLF_12))

    assert next_item(toc, "playing_quiz_item") == "etiquette_course_item"
    assert previous_item(toc, "etiquette_course_item") == "playing_quiz_item"
    assert next_item(toc, "havingfun_quiz_item") is None


# --- SCORM 2004 ----------------------------------------------------------------------------------


def test_2004_entries_leave_allowed_to_the_sequencer(corpus: Path):
    toc = table_of_contents(corpus_package_manifest(corpus, RANDOM_TEST))

    assert {e.allowed for e in toc.entries} == {None}


def test_2004_children_of_a_hidden_wrapper_are_shown_at_its_level(corpus: Path):
    toc = table_of_contents(corpus_package_manifest(corpus, RANDOM_TEST))
    playing = toc.entry("playing_item")

    assert toc.entry("content_wrapper").visible is False
    assert (playing.depth, playing.parent, playing.visible) == (0, None, True)


def test_2004_hidden_tests_cannot_be_chosen_and_hide_suspend_all(corpus: Path):
    toc = table_of_contents(corpus_package_manifest(corpus, RANDOM_TEST))
    test_1 = toc.entry("test_1")

    assert (test_1.visible, test_1.choice_by_parent) == (False, False)
    assert test_1.hide_lms_ui == ("suspendAll",)
    assert toc.entry("playing_item").choice_by_parent is True


def hide_lms_ui(*tokens: str) -> str:
    hidden = "".join(f"<adlnav:hideLMSUI>{t}</adlnav:hideLMSUI>" for t in tokens)
    interface = f"<adlnav:navigationInterface>{hidden}</adlnav:navigationInterface>"
    return f"<adlnav:presentation>{interface}</adlnav:presentation>"


def test_hide_lms_ui_is_inherited_from_ancestors_in_a_fixed_order():
    items = (
        '<item identifier="m"><title>M</title>'
        f'<item identifier="a" identifierref="a"><title>A</title>{hide_lms_ui("continue")}</item>'
        f"{hide_lms_ui('exit', 'previous')}</item>"
    )
    toc = table_of_contents(built_manifest(items=items, resources=sco_resources("a")))

    assert toc.entry("a").hide_lms_ui == ("continue", "previous", "exit")
