"""Which catalogue units need an assessor's workplace observation (read by the grades for PendingManual)."""

from __future__ import annotations

from lti_tool.catalogue import (
    catalogue_unit_needs_observation,
    catalogue_unit_observed_outcomes,
    load_catalogue,
)


def test_each_unit_answers_as_its_catalogue_file_says():
    for unit in load_catalogue():
        assert catalogue_unit_needs_observation(unit["id"]) is unit["observation"]["required"]


def test_a_unit_that_needs_observation_names_the_outcomes_observed():
    assert catalogue_unit_needs_observation("u01") is True
    assert catalogue_unit_observed_outcomes("u01") == ("LO2", "LO4")


def test_an_id_that_is_not_a_catalogue_unit_needs_no_observation():
    for unit_id in ("u99", "package:3", "../u01", ""):
        assert catalogue_unit_needs_observation(unit_id) is False
        assert catalogue_unit_observed_outcomes(unit_id) == ()
