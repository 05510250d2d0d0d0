from click.testing import CliRunner

from lti_tool.cli import main


def test_help_lists_commands():
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    assert "package" in result.output
