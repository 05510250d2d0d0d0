"""Items and resources: SCORM 1.2 and 2004 extension elements, dependencies, sub-manifests."""

from __future__ import annotations

from scorm.manifest import read_manifest
from tests.scorm.manifest.builders import manifest_xml


def only_item(xml: bytes):
    manifest = read_manifest(xml).manifest
    return manifest.default_organization.items[0]


def test_12_item_extensions_are_read():
    items = """<item identifier="i1" identifierref="res1" isvisible="false" parameters="?a=1">
      <title>Quiz</title>
      <adlcp:masteryscore>80</adlcp:masteryscore><adlcp:maxtimeallowed>00:30:00</adlcp:maxtimeallowed>
      <adlcp:timelimitaction>exit,message</adlcp:timelimitaction>
        <adlcp:datafromlms>level=2</adlcp:datafromlms>
      <adlcp:prerequisites type="aicc_script">intro</adlcp:prerequisites></item>"""
    item = only_item(manifest_xml(version="1.2", items=items))
    assert item.mastery_score == 80.0
    assert item.max_time_allowed == "00:30:00"
    assert item.time_limit_action == "exit,message"
    assert item.data_from_lms == "level=2"
    assert (item.prerequisites, item.prerequisites_type) == ("intro", "aicc_script")
    assert item.isvisible is False
    assert item.launch == "index.html?a=1"
    assert item.sequencing is None  # 1.2 has no sequencing model


def test_mastery_score_out_of_range_is_a_note_not_a_value():
    items = (
        '<item identifier="i1" identifierref="res1"><title>Q</title>'
        "<adlcp:masteryscore>180</adlcp:masteryscore></item>"
    )
    reading = read_manifest(manifest_xml(version="1.2", items=items))
    assert reading.manifest.default_organization.items[0].mastery_score is None
    assert [p.code for p in reading.problems] == ["CP-070"]


def test_2004_item_extensions_are_read():
    items = """<item identifier="i1" identifierref="res1"><title>Unit</title>
      <adlcp:timeLimitAction>continue,message</adlcp:timeLimitAction><adlcp:dataFromLMS>x</adlcp:dataFromLMS>
      <adlcp:completionThreshold completedByMeasure="true" minProgressMeasure="0.75" progressWeight="0.5"/>
      <adlcp:data><adlcp:map targetID="notes" readSharedData="false"/></adlcp:data>
      <adlnav:presentation><adlnav:navigationInterface>
        <adlnav:hideLMSUI>continue</adlnav:hideLMSUI><adlnav:hideLMSUI>exitAll</adlnav:hideLMSUI>
      </adlnav:navigationInterface></adlnav:presentation></item>"""
    item = only_item(manifest_xml(items=items))
    assert item.time_limit_action == "continue,message"
    assert item.data_from_lms == "x"
    threshold = item.completion_threshold
    assert (threshold.completed_by_measure, threshold.min_progress_measure, threshold.progress_weight) == (
        True,
        0.75,
        0.5,
    )
    (shared,) = item.shared_data
    assert (shared.target_id, shared.read_shared_data, shared.write_shared_data) == ("notes", False, True)
    assert item.hide_lms_ui == ["continue", "exitAll"]


def test_3rd_edition_threshold_text_is_a_measure_threshold():
    items = (
        '<item identifier="i1" identifierref="res1"><title>U</title>'
        "<adlcp:completionThreshold>0.6</adlcp:completionThreshold></item>"
    )
    threshold = only_item(manifest_xml(schemaversion="2004 3rd Edition", items=items)).completion_threshold
    assert (threshold.completed_by_measure, threshold.min_progress_measure) == (True, 0.6)


def test_resource_type_files_and_dependencies():
    resources = """<resource identifier="res1" type="webcontent" adlcp:scormType="sco" href="index.html">
        <file href="index.html"/><file href="js/app.js"/><dependency identifierref="shared"/></resource>
      <resource identifier="shared" type="webcontent" adlcp:scormType="asset">
        <file href="css/site.css"/></resource>"""
    manifest = read_manifest(manifest_xml(resources=resources)).manifest
    sco, shared = manifest.resources
    assert (sco.scorm_type, sco.type, sco.href) == ("sco", "webcontent", "index.html")
    assert [f.path for f in sco.files] == ["index.html", "js/app.js"]
    assert sco.dependencies == ["shared"]
    assert shared.href is None and shared.is_sco is False


def test_12_lowercase_scormtype_is_read():
    manifest = read_manifest(manifest_xml(version="1.2")).manifest
    assert manifest.resources[0].scorm_type == "sco"


def test_item_naming_a_sub_manifest_takes_its_organisation_items():
    items = '<item identifier="i1" identifierref="sub1"><title>Module</title></item>'
    extra = """<manifest identifier="sub1"><organizations default="so"><organization identifier="so">
      <title>S</title>
        <item identifier="si" identifierref="sres"><title>Sub item</title></item></organization>
          </organizations>
      <resources><resource identifier="sres" type="webcontent" adlcp:scormType="sco" href="sub/a.html"/>
        </resources>
      </manifest>"""
    manifest = read_manifest(manifest_xml(items=items, extra=extra)).manifest
    module = manifest.default_organization.items[0]
    assert [c.identifier for c in module.children] == ["si"]
    assert module.children[0].launch == "sub/a.html"
    assert manifest.sub_manifest_ids == ["sub1"]


def test_empty_organizations_builds_one_item_per_sco():
    organizations = '<organizations default="x"/>'
    resources = (
        '<resource identifier="a" type="webcontent" adlcp:scormType="sco" href="a.html"/>'
        '<resource identifier="b" type="webcontent" adlcp:scormType="asset" href="b.html"/>'
        '<resource identifier="c" type="webcontent" adlcp:scormType="sco" href="c.html"/>'
    )
    manifest = read_manifest(manifest_xml(organizations=organizations, resources=resources)).manifest
    org = manifest.default_organization
    assert org.synthesised is True
    assert [i.launch for i in org.items] == ["a.html", "c.html"]


def test_title_is_the_default_organisation_title():
    assert read_manifest(manifest_xml()).manifest.title == "Course"


def test_files_of_a_resource_include_its_dependencies_transitively_and_survive_cycles():
    resources = """<resource identifier="res1" type="webcontent" adlcp:scormType="sco" href="index.html">
        <file href="index.html"/><dependency identifierref="a"/></resource>
      <resource identifier="a" type="webcontent" adlcp:scormType="asset"><file href="a.js"/>
        <dependency identifierref="b"/></resource>
      <resource identifier="b" type="webcontent" adlcp:scormType="asset"><file href="b.css"/>
        <dependency identifierref="a"/><dependency identifierref="missing"/></resource>"""
    manifest = read_manifest(manifest_xml(resources=resources)).manifest
    assert manifest.files_of(manifest.resources[0]) == ["index.html", "a.js", "b.css"]


def test_unknown_hide_lms_ui_words_are_notes_and_dropped():
    items = """<item identifier="i1" identifierref="res1"><title>U</title><adlnav:presentation>
      <adlnav:navigationInterface><adlnav:hideLMSUI>abandonAll</adlnav:hideLMSUI>
      <adlnav:hideLMSUI>everything</adlnav:hideLMSUI></adlnav:navigationInterface></adlnav:presentation></item>"""
    reading = read_manifest(manifest_xml(items=items))
    assert reading.manifest.default_organization.items[0].hide_lms_ui == ["abandonAll"]
    assert [p.code for p in reading.problems] == ["CP-071"]
