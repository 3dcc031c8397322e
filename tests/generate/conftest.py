"""Fixtures: projects generated through the real CLI, once per test session per blueprint."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from mlgen.cli import main

BLUEPRINTS = ("starter", "production")


def run_cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def init_project(target: Path, blueprint: str, project: str = "demo") -> Path:
    code, output = run_cli(
        "init", str(target), "--cloud", "aws", "--blueprint", blueprint, "--project", project
    )
    assert code == 0, output
    return target


@pytest.fixture(scope="session", params=BLUEPRINTS)
def generated_project(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A freshly generated project per blueprint (read-only: tests that modify copy it first)."""
    return init_project(tmp_path_factory.mktemp(request.param) / "demo", request.param)
