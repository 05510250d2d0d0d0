"""The `carecert` command. Each feature adds its commands in its own module, registered here."""

from __future__ import annotations

import click

from lti_tool.cli import catalogue_commands, package_commands


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="carecert-lti")
def main() -> None:
    """carecert-lti: deliver the Level 2 Adult Social Care Certificate in any LTI 1.3 LMS."""


main.add_command(package_commands.package)
main.add_command(catalogue_commands.catalogue_group)
