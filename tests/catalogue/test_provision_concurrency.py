"""Several processes provisioning one data folder (gunicorn workers starting together), and a process that
dies in the middle of a build: one intact package set either way."""

from __future__ import annotations

import multiprocessing
import os
import shutil
from pathlib import Path

import pytest

from lti_tool.catalogue.loader import UNITS_DIR
from scorm.inspect import inspect_package

UNIT_IDS = ["u01", "u02", "u03", "u04"]
SPAWN = multiprocessing.get_context("spawn")  # a fresh interpreter, like a worker process: no shared memo


def provision_when_told(data_dir: str, units_dir: str, go, results) -> None:  # type: ignore[no-untyped-def]
    from lti_tool.catalogue.provision import provision_catalogue

    go.wait(60)
    outcome = provision_catalogue(data_dir, units_dir=Path(units_dir))
    results.put((os.getpid(), sorted(outcome.imported), sorted(outcome.found), outcome.failed))


def die_while_building(data_dir: str, units_dir: str) -> None:
    from lti_tool.catalogue import provision

    def killed(path, text):  # type: ignore[no-untyped-def]
        os._exit(9)  # no cleanup, no finally: the lock is released only because the process is gone

    provision._write_atomically = killed
    provision.provision_catalogue(data_dir, units_dir=Path(units_dir))


@pytest.fixture
def units_dir(tmp_path) -> Path:
    folder = tmp_path / "units"
    folder.mkdir()
    for unit_id in UNIT_IDS:
        shutil.copy(UNITS_DIR / f"{unit_id}.yaml", folder)
    return folder


def assert_one_intact_package_set(data_dir: Path) -> None:
    store = data_dir / "catalogue"
    index = sorted(path.name.split("-")[0] for path in (store / "index").iterdir())
    assert index == UNIT_IDS, "one index entry per unit, nothing half-written"
    folders = list((store / "packages").iterdir())
    assert len(folders) == len(UNIT_IDS) and not any(f.name.endswith(".partial") for f in folders)
    assert not (store / "work").exists()
    for folder in folders:
        report = inspect_package(folder)
        assert report.importable and report.problems == [], (folder, report.problems)


def test_two_processes_starting_together_build_each_unit_once(tmp_path, units_dir):
    data_dir = tmp_path / "data"
    go, results = SPAWN.Event(), SPAWN.Queue()
    workers = [
        SPAWN.Process(target=provision_when_told, args=(str(data_dir), str(units_dir), go, results))
        for _ in range(2)
    ]
    for worker in workers:
        worker.start()
    go.set()
    answers = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(30)
        assert worker.exitcode == 0
    imported = [unit for _, built, _, _ in answers for unit in built]
    assert sorted(imported) == UNIT_IDS, "every unit built by exactly one of the two"
    for _, built, found, failed in answers:
        assert failed == {} and sorted(built + found) == UNIT_IDS
    assert_one_intact_package_set(data_dir)


def test_a_process_killed_halfway_leaves_a_folder_the_next_start_completes(tmp_path, units_dir):
    from lti_tool.catalogue.provision import provision_catalogue

    data_dir = tmp_path / "data"
    dying = SPAWN.Process(target=die_while_building, args=(str(data_dir), str(units_dir)))
    dying.start()
    dying.join(120)
    assert dying.exitcode == 9
    assert not list((data_dir / "catalogue" / "index").glob("*.json"))
    outcome = provision_catalogue(data_dir, units_dir=units_dir)  # would wait forever if the lock were stuck
    assert sorted(outcome.imported) == UNIT_IDS and outcome.failed == {}
    assert_one_intact_package_set(data_dir)
