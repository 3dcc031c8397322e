"""modules/aws/network's interface_endpoint_az_count, evaluated by terraform itself (no provider needed).

The module's own variable blocks and endpoint_azs expression are read from its files and applied in a
provider-free root, with the zone list standing in for the availability-zone data source.
Wall time: about 6 s (terraform init + three applies).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from tests.conftest import REPO_ROOT

TERRAFORM = shutil.which("terraform")
NETWORK = REPO_ROOT / "modules/aws/network"
pytestmark = pytest.mark.skipif(TERRAFORM is None, reason="terraform binary not on PATH")


def _variable(name: str) -> str:
    text = (NETWORK / "variables.tf").read_text()
    match = re.search(rf'^variable "{name}" {{\n.*?^}}\n', text, flags=re.MULTILINE | re.DOTALL)
    assert match, name
    return match.group(0)


def _root(tmp_path: Path) -> Path:
    (line,) = [
        line for line in (NETWORK / "endpoints.tf").read_text().splitlines() if "endpoint_azs =" in line
    ]
    root = tmp_path / "root"
    root.mkdir()
    (root / "main.tf").write_text(
        _variable("az_count")
        + _variable("interface_endpoint_az_count")
        + 'locals {\n  azs = slice(["z-a", "z-b", "z-c", "z-d", "z-e", "z-f"], 0, var.az_count)\n'
        + line
        + "\n}\n"
        + 'output "endpoint_azs" {\n  value = local.endpoint_azs\n}\n'
    )
    subprocess.run(
        [TERRAFORM, "init", "-input=false", "-no-color"],
        cwd=root,
        check=True,
        capture_output=True,
        timeout=120,
    )
    return root


def _apply(root: Path, *variables: str) -> subprocess.CompletedProcess:
    args = [arg for variable in variables for arg in ("-var", variable)]
    return subprocess.run(
        [TERRAFORM, "apply", "-auto-approve", "-input=false", "-no-color", *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _output(root: Path) -> list[str]:
    result = subprocess.run(
        [TERRAFORM, "output", "-json", "endpoint_azs"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


def test_endpoints_go_in_every_zone_by_default_and_in_the_first_ones_when_narrowed(tmp_path: Path) -> None:
    root = _root(tmp_path)
    assert _apply(root, "az_count=3").returncode == 0
    assert _output(root) == ["z-a", "z-b", "z-c"]
    assert _apply(root, "az_count=3", "interface_endpoint_az_count=1").returncode == 0
    assert _output(root) == ["z-a"]


def test_more_endpoint_zones_than_zones_is_rejected(tmp_path: Path) -> None:
    result = _apply(_root(tmp_path), "az_count=2", "interface_endpoint_az_count=3")
    assert result.returncode != 0
    assert "interface_endpoint_az_count must be null or a whole number from 1 to az_count" in " ".join(
        result.stderr.split()
    )
