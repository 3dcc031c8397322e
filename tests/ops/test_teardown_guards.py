"""Teardown guards run before anything is touched: prod needs the typed project name, deletion protection
refuses, and a non-interactive run needs --yes. Wall time ~3 s (moto only, nothing to destroy)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from tests.ops.landing_zone import PROJECT, client, seed_landing_zone, write_spec

from mlgen.cli import main
from mlgen.ops.errors import EXIT_PROTECTED, EXIT_REFUSED


def teardown(project: Path, *args: str):
    return CliRunner().invoke(
        main, ["teardown", "--project-dir", str(project), *args], catch_exceptions=False
    )


def test_prod_without_or_with_a_wrong_name_is_refused_and_nothing_changes(aws: str, tmp_path: Path) -> None:
    project = write_spec(tmp_path / "p", prod_protection=False)
    seed_landing_zone(environment="prod")
    missing = teardown(project, "--env", "prod")
    assert missing.exit_code == EXIT_REFUSED and f"--confirm {PROJECT}" in missing.output
    wrong = teardown(project, "--env", "prod", "--confirm", "fraud-detect")
    assert wrong.exit_code == EXIT_REFUSED and "nothing was destroyed" in wrong.output
    assert len(client("s3").list_buckets()["Buckets"]) == 3


def test_deletion_protection_refuses_even_with_the_name(aws: str, tmp_path: Path) -> None:
    project = write_spec(tmp_path / "p", prod_protection=True)
    result = teardown(project, "--env", "prod", "--confirm", PROJECT)
    assert result.exit_code == EXIT_PROTECTED and "deletion protection is on" in result.output


def test_non_interactive_dev_needs_yes(aws: str, tmp_path: Path) -> None:
    result = teardown(write_spec(tmp_path / "p"), "--env", "dev")
    assert result.exit_code == EXIT_REFUSED and "--yes" in result.output
