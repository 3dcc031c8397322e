"""The interface endpoints land in the zones the spec asks for, as terraform plans them (offline harness).

The cost estimate counts endpoint-zone-hours from network.endpoint_zones; this checks the Terraform
agrees: the starter's seven endpoints get one subnet each, production dev's get one per zone (two).
Wall time: about 30-60 s on 2 cores (two plans).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.terraform_harness import Harness

from mlgen.clouds.aws.catalog import INTERFACE_ENDPOINT_SERVICES

pytestmark = pytest.mark.slow

REPO_ROOT = Path(__file__).resolve().parents[2]


def _endpoint_subnet_counts(harness: Harness, root: Path) -> dict[str, int]:
    result = harness.plan(root, show=True)
    assert result.ok and result.plan, result.summary()
    counts = {}
    for change in result.plan["resource_changes"]:
        if change["address"].startswith("module.network.aws_vpc_endpoint.interface["):
            after = change["change"]["after"].get("subnet_ids")
            unknown = change["change"]["after_unknown"].get("subnet_ids")
            # Subnet ids are known only after apply: the plan holds a list with one entry per subnet.
            counts[change["index"]] = len(after if isinstance(after, list) else unknown)
    return counts


def test_the_starter_puts_every_interface_endpoint_in_one_zone(harness: Harness) -> None:
    counts = _endpoint_subnet_counts(harness, REPO_ROOT / "examples/aws-starter/infra/envs/dev")
    assert counts == {service: 1 for service in INTERFACE_ENDPOINT_SERVICES}


def test_production_puts_them_in_every_zone(harness: Harness) -> None:
    counts = _endpoint_subnet_counts(harness, REPO_ROOT / "examples/aws-production/infra/envs/dev")
    assert counts == {service: 2 for service in INTERFACE_ENDPOINT_SERVICES}
