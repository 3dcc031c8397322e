"""Helpers for spec tests: write a spec, run the real CLI on it."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from mlgen.cli import main

VALID_AWS = """\
project: fraud-detect
cloud: aws
region: eu-west-1
blueprint: production
owner: ml-platform@example.com
cost_center: cc-1234
tags: {team: risk}
environments:
  dev:
    account_id: "111111111111"
  staging:
    account_id: "222222222222"
  prod:
    account_id: "333333333333"
"""


@dataclass
class Outcome:
    exit_code: int
    output: str
    exception: BaseException | None


@pytest.fixture
def validate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Write `text` to mlgen.yaml in a temporary directory and run `mlgen validate` there."""
    monkeypatch.chdir(tmp_path)

    def run(text: str | None, *extra: str) -> Outcome:
        if text is not None:
            (tmp_path / "mlgen.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
        result = CliRunner().invoke(main, ["validate", *extra], catch_exceptions=True)
        output = result.output
        assert "Traceback" not in output
        if result.exit_code != 0:
            # user errors leave through Click's own exit, never as an unexpected exception
            assert isinstance(result.exception, SystemExit), result.exception
        return Outcome(result.exit_code, output, result.exception)

    return run


def with_lines(base: str, **replacements: str) -> str:
    """Replace whole lines `key: value` at the top level of a spec (keeps the line numbers)."""
    lines = base.splitlines()
    for key, value in replacements.items():
        lines = [f"{key}: {value}" if line.startswith(f"{key}:") else line for line in lines]
    return "\n".join(lines) + "\n"
