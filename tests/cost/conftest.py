"""Specs for the cost tests: the golden examples' specs, edited in memory (through the real loader)."""

from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML
from tests.conftest import REPO_ROOT

from mlgen.plan import Plan, load_plan

EXAMPLES = {
    "starter": REPO_ROOT / "examples/aws-starter/mlgen.yaml",
    "production": REPO_ROOT / "examples/aws-production/mlgen.yaml",
}


def example_spec(blueprint: str) -> dict:
    return YAML(typ="safe").load(EXAMPLES[blueprint].read_text())


def plan_from(spec: dict, tmp_path: Path, name: str = "mlgen.yaml") -> Plan:
    path = tmp_path / name
    with path.open("w") as handle:
        YAML().dump(spec, handle)
    return load_plan(path)


@pytest.fixture
def make_plan(tmp_path: Path):
    def make(blueprint: str, edit=None) -> Plan:
        spec = example_spec(blueprint)
        if edit:
            edit(spec)
        return plan_from(spec, tmp_path)

    return make
