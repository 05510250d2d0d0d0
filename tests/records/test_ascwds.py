"""The ASC-WDS training file round-trips through a reader that applies the bulk upload's column rules; the
staff-file fields record the whole certificate; the workforce-id mapping is read strictly."""

from __future__ import annotations

from datetime import date

import pytest

from lti_tool.records import service
from lti_tool.records.ascwds import (
    TRAINING_COLUMNS,
    AchievedUnit,
    AscWdsError,
    TrainingOptions,
    WorkforceIds,
    options_from_settings,
    parse_workforce_ids,
    staff_row,
    training_category_names,
    training_rows,
    unit_categories,
    write_csv,
)
from lti_tool.records.ascwds_export import export, save_workforce_ids
from lti_tool.records.issuer import Issuer
from tests.databases import throwaway_database
from tests.records.ascwds_rules import read_training_file
from tests.records.world import UNIT_IDS, make_world

ALL_CATEGORIES = {f"u{n:02d}": 30 + n for n in range(1, 16)}  # a provider's full mapping, for the tests
OPTIONS = TrainingOptions(categories=ALL_CATEGORIES, provider_code="4711")
IDS = WorkforceIds("WP-001", "W-123")
TODAY = date(2026, 12, 1)


def test_the_training_file_passes_the_column_rules():
    units = [
        AchievedUnit("u01", "Understand your role", date(2026, 11, 9), "credential 1"),
        AchievedUnit("u14", 'Infection prevention and control, "standard precautions"', date(2026, 11, 10)),
    ]
    text = write_csv(TRAINING_COLUMNS, training_rows(IDS, units, OPTIONS))
    rows, problems = read_training_file(text, set(ALL_CATEGORIES.values()), TODAY)
    assert problems == []
    assert [r["DATECOMPLETED"] for r in rows] == ["09/11/2026", "10/11/2026"]
    assert rows[1]["TRAININGNAME"] == 'Infection prevention and control, "standard precautions"'
    assert (rows[0]["WHODELIVERED"], rows[0]["PROVIDERNAME"], rows[0]["HOWDELIVERED"]) == ("2", "4711", "2")


def test_the_reader_catches_a_broken_row():
    rows = training_rows(IDS, [AchievedUnit("u01", "x", date(2026, 11, 9))], OPTIONS)
    rows[0].update(DATECOMPLETED="2026-11-09", ACCREDITED="yes", UNIQUEWORKERID="")
    _, problems = read_training_file(write_csv(TRAINING_COLUMNS, rows), set(ALL_CATEGORIES.values()), TODAY)
    assert len(problems) == 3


def test_a_unit_without_a_category_code_is_refused_plainly():
    with pytest.raises(AscWdsError, match="no ASC-WDS training category is set for u01"):
        training_rows(IDS, [AchievedUnit("u01", "x", date(2026, 11, 9))], TrainingOptions(categories={}))


def test_settings_override_the_bundled_categories_and_check_codes():
    options = options_from_settings({"RECORDS_ASCWDS_CATEGORIES": '{"u01": 12}'})
    assert options.categories["u01"] == 12 and options.categories["u14"] == 10
    with pytest.raises(AscWdsError, match="ACCREDITED"):
        options_from_settings({"RECORDS_ASCWDS_ACCREDITED": "yes"})
    with pytest.raises(AscWdsError, match="number"):
        options_from_settings({"RECORDS_ASCWDS_CATEGORIES": {"u01": "care"}})
    with pytest.raises(AscWdsError, match="3 .for u01. is not an ASC-WDS training category code"):
        options_from_settings({"RECORDS_ASCWDS_CATEGORIES": {"u01": 3}})  # 3 and 4 were retired


def test_every_catalogue_unit_has_a_bundled_category_that_asc_wds_knows():
    names = training_category_names()
    mapped = {unit.unit_id: unit for unit in unit_categories(options_from_settings({}))}
    assert set(mapped) == set(UNIT_IDS)
    assert all(unit.code in names and unit.name == names[unit.code] for unit in mapped.values())
    # the units whose subject ASC-WDS names exactly, as the source lists them
    assert (mapped["u03"].name, mapped["u10"].name, mapped["u14"].name) == (
        "Duty of care",
        "Safeguarding adults",
        "Infection prevention and control",
    )
    assert (mapped["u04"].code, mapped["u06"].code, mapped["u12"].code, mapped["u13"].code) == (23, 28, 9, 26)


def test_the_bundled_mapping_exports_every_unit_without_settings():
    units = [AchievedUnit(unit_id, unit_id, date(2026, 11, 9)) for unit_id in UNIT_IDS]
    rows = training_rows(IDS, units, options_from_settings({}))
    parsed, problems = read_training_file(
        write_csv(TRAINING_COLUMNS, rows), set(training_category_names()), TODAY
    )
    assert problems == [] and len(parsed) == 15


def test_the_staff_fields_leave_out_a_year_asc_wds_would_refuse():
    assert staff_row(IDS, date(2026, 3, 1), OPTIONS)["L2CARECERT"] == "1;2026"
    assert staff_row(IDS, date(2023, 12, 31), OPTIONS)["L2CARECERT"] == "1;"


def test_the_mapping_csv_reads_user_ids_and_emails():
    mapping = parse_workforce_ids(
        "\ufefflms_user_id,email,LOCALESTID,UNIQUEWORKERID\r\nlms-ann,Ann@Example.org,WP1,W1\r\n,ben@example.org,WP1,W2\r\n"
    )
    assert mapping["sub:lms-ann"] == WorkforceIds("WP1", "W1")
    assert mapping["email:ann@example.org"] == WorkforceIds("WP1", "W1")
    assert mapping["email:ben@example.org"].unique_worker_id == "W2"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name,LOCALESTID\nx,y\n", "needs columns"),
        ("email,LOCALESTID,UNIQUEWORKERID\na@b.c,,W1\n", "line 2"),
        ("email,LOCALESTID,UNIQUEWORKERID\n,WP1,W1\n", "lms_user_id or email"),
        ("email,LOCALESTID,UNIQUEWORKERID\na@b.c,WP1," + "W" * 51 + "\n", "longer than 50"),
    ],
)
def test_a_bad_mapping_csv_gets_a_clear_error(text, message):
    with pytest.raises(AscWdsError, match=message):
        parse_workforce_ids(text)


@pytest.fixture
def world(tmp_path):
    with throwaway_database("sqlite", tmp_path, "ascwds.sqlite3") as url:
        world = make_world(url)
        world.add_learner("Ann Smith")
        world.add_learner("Ben Jones")
        yield world
        world.db.dispose()


def test_the_export_has_a_row_per_achieved_unit_and_the_staff_fields_at_fifteen(world):
    issuer = Issuer("https://tool.example.org", "Example Care Training")
    for unit_id in UNIT_IDS:
        world.achieve("Ann Smith", unit_id)
    world.achieve("Ben Jones", "u02")
    with world.db.session() as session:
        for name in ("Ann Smith", "Ben Jones"):
            service.sync_learner(session, issuer, world.registration_id, world.learners[name])
        save_workforce_ids(
            session,
            world.registration_id,
            parse_workforce_ids("lms_user_id,LOCALESTID,UNIQUEWORKERID\nlms-ann-smith,WP-9,W-ANN\n"),
        )
        result = export(session, world.registration_id, OPTIONS, sorted(world.learners.values()))
    rows, problems = read_training_file(result.training_csv, set(ALL_CATEGORIES.values()), TODAY)
    assert problems == [] and len(rows) == 15 and {r["UNIQUEWORKERID"] for r in rows} == {"W-ANN"}
    assert result.staff_csv.splitlines()[1] == "WP-9,W-ANN,1;2026,158;2026,"
    assert result.problems == ["Ben Jones: no ASC-WDS workplace and worker id in the uploaded mapping"]
