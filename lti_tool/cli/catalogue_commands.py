"""`carecert catalogue …`: turn the built-in catalogue's units into SCORM packages."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

import click

from lti_tool import catalogue
from scorm.builder import SCORM_VERSIONS, UnitError, build_package

DEFAULT_OUT = Path("build") / "catalogue"


@click.group(name="catalogue")
def catalogue_group() -> None:
    """The built-in catalogue: the units of the Level 2 Adult Social Care Certificate."""


def _select_units(units: list[dict], wanted: Iterable[str]) -> list[dict]:
    wanted = list(dict.fromkeys(wanted))  # keep the order given, drop repeats
    if not wanted:
        return units
    by_id = {unit["id"]: unit for unit in units}
    unknown = [unit_id for unit_id in wanted if unit_id not in by_id]
    if unknown:
        known = ", ".join(sorted(by_id)) or "none"
        raise click.BadParameter(
            f"no unit {', '.join(unknown)} in the catalogue (it has {known})", param_hint="--unit"
        )
    return [by_id[unit_id] for unit_id in wanted]


@catalogue_group.command()
@click.option(
    "--scorm",
    "scorm_version",
    type=click.Choice([*SCORM_VERSIONS, "both"]),
    default="2004",
    show_default=True,
    help="SCORM version of the packages.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_OUT,
    show_default=True,
    help="Folder for the packages (created if missing).",
)
@click.option(
    "--unit", "unit_ids", multiple=True, metavar="uNN", help="Build only this unit; repeat for more."
)
def build(scorm_version: str, out_dir: Path, unit_ids: tuple[str, ...]) -> None:
    """Build one SCORM package per catalogue unit and print a line for each."""
    try:
        units = _select_units(catalogue.load_catalogue(), unit_ids)
    except catalogue.CatalogueError as error:
        raise click.ClickException(f"the catalogue cannot be read: {error}") from None
    versions = SCORM_VERSIONS if scorm_version == "both" else (scorm_version,)
    for unit in units:
        for version in versions:
            try:
                path = build_package(unit, version, out_dir)
            except UnitError as error:
                raise click.ClickException(str(error)) from None
            except OSError as error:
                raise click.ClickException(f"cannot write to {out_dir}: {error.strerror or error}") from None
            content = path.read_bytes()
            digest = hashlib.sha256(content).hexdigest()[:12]
            click.echo(f"{unit['id']}  SCORM {version:<4}  {path}  {len(content):,} bytes  sha256:{digest}")
    click.echo(f"{len(units) * len(versions)} package(s) in {out_dir}")


@catalogue_group.command()
@click.option(
    "--scorm",
    "scorm_version",
    type=click.Choice(["2004", "1.2"]),
    default=None,
    help="SCORM version to provide (default: the CATALOGUE_SCORM_VERSION setting, else 2004).",
)
def install(scorm_version: str | None) -> None:
    """Build (or find) every unit's package in the tool's data folder, as the tool does when it starts."""
    from lti_tool.catalogue.provision import ProvisionError, provision_catalogue, scorm_version_setting
    from lti_tool.config import ConfigError, load_config

    try:
        settings = load_config()
        version = scorm_version_setting(scorm_version or settings.get("CATALOGUE_SCORM_VERSION"))
        outcome = provision_catalogue(settings["DATA_DIR"], version)
    except (ConfigError, ProvisionError) as error:
        raise click.ClickException(str(error)) from None
    for package in outcome.packages:
        how = "built" if package.unit_id in outcome.imported else "found"
        click.echo(f"{package.unit_id}  SCORM {version:<4}  {how}  {package.storage_path}  {package.title}")
    for unit_id, reason in sorted(outcome.failed.items()):
        click.echo(f"{unit_id}  SCORM {version:<4}  FAILED  {reason}", err=True)
    click.echo(
        f"{len(outcome.packages)} unit(s) ready in {settings['DATA_DIR']} "
        f"({len(outcome.imported)} built, {len(outcome.found)} found)"
    )
    if outcome.failed:
        raise click.ClickException(f"{len(outcome.failed)} unit(s) could not be provided")
