"""`carecert package …`: look at a SCORM package before importing it."""

from __future__ import annotations

import click


@click.group()
def package() -> None:
    """Inspect SCORM packages."""


@package.command()
@click.argument("path", type=click.Path(exists=True))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of text.")
def inspect(path: str, as_json: bool) -> None:
    """Show a package's version, structure and problems; exit 1 if it would be refused."""
    raise click.ClickException("not implemented yet")
