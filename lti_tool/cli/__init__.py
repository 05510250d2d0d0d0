"""The `carecert` command. Each feature adds its commands in its own module, registered here."""

from __future__ import annotations

import click

from lti_tool.cli import (
    admin_commands,
    catalogue_commands,
    db_commands,
    demo_commands,
    grades_commands,
    keys_commands,
    package_commands,
    platform_commands,
    records_commands,
    serve_command,
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="carecert-lti")
def main() -> None:
    """carecert-lti: deliver the Level 2 Adult Social Care Certificate in any LTI 1.3 LMS."""


main.add_command(package_commands.package)
main.add_command(catalogue_commands.catalogue_group)
main.add_command(db_commands.db)
main.add_command(platform_commands.platform)
main.add_command(keys_commands.keys)
main.add_command(admin_commands.admin)
main.add_command(serve_command.serve)
main.add_command(demo_commands.demo)
main.add_command(records_commands.records)
main.add_command(grades_commands.worker)
main.add_command(grades_commands.grades)
