"""MLG002: GPU training capacity outside prod is spot/preemptible.

Each cloud's capacity types, GPU machine families and spot attributes are in ``GPU_CAPACITY``. Capacity
that a group launches can be spot through the group: an AWS launch template without spot market options
still passes when every autoscaling group that uses it buys only spot (``on_demand_base_capacity = 0``
and ``on_demand_percentage_above_base_capacity = 0``).
The environment comes from the block's own environment tag, else from the root that instantiates its
module (provider default tags, then directory name). Capacity whose environment cannot be told is
held to the non-prod rule: spot is the safe default for training, and prod must say it is prod.
"""

from __future__ import annotations

import json
from typing import Any

from checkov.common.models.enums import CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

from mlgen.clouds.policy_fact_types import GpuCapacity
from mlgen.policy.checks.base import CATEGORIES, fail_on_error, policy_name
from mlgen.policy.checks.support import (
    as_bool,
    as_number,
    config_of_vertex,
    environments_of,
    get,
    get_all,
    graph_referrers,
    is_resolved,
    vertices_for_entity,
)
from mlgen.policy.checks.tables import GPU_CAPACITY, GPU_INSTANCE_PREFIXES, PROD_ENVIRONMENTS


def is_gpu_machine(machine_type: Any) -> bool:
    return isinstance(machine_type, str) and machine_type.lower().startswith(GPU_INSTANCE_PREFIXES)


def is_gpu_capacity(resource_type: str, conf: dict[str, Any]) -> bool:
    capacity = GPU_CAPACITY[resource_type]
    if capacity.accelerator_attribute and get(conf, capacity.accelerator_attribute):
        return True  # any attached accelerator makes it GPU capacity, whatever the machine type
    if capacity.machine_attribute_repeats:
        machine_types = get_all(conf, capacity.machine_attribute)
    else:
        machine_types = [get(conf, capacity.machine_attribute)]
    return any(is_gpu_machine(machine) for machine in machine_types if is_resolved(machine))


def described_capacity(capacity: GpuCapacity, conf: dict[str, Any]) -> dict[str, Any] | None:
    """The block itself, or the JSON document it carries where the capacity is described in one."""
    if not capacity.json_document:
        return conf
    document = get(conf, capacity.json_document)
    if isinstance(document, str):
        try:
            document = json.loads(document)
        except ValueError:
            return None  # an expression checkov could not evaluate
    return document if isinstance(document, dict) else None


def is_spot(resource_type: str, conf: dict[str, Any]) -> bool:
    capacity = GPU_CAPACITY.get(resource_type)
    if capacity is None:
        return False
    if any(str(get(conf, path) or "").lower() in values for path, values in capacity.spot_values.items()):
        return True
    if any(as_bool(get(conf, path)) is True for path in capacity.spot_flags):
        return True
    return bool(capacity.spot_when_zero) and all(
        as_number(get(conf, path)) == 0 for path in capacity.spot_when_zero
    )


class GpuCapacityIsSpotOutsideProd(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name=policy_name("MLG002"),
            id="MLG002",
            categories=CATEGORIES["MLG002"],
            supported_resources=tuple(GPU_CAPACITY),
        )

    @fail_on_error
    def scan_resource_conf(self, conf: dict[str, list[Any]]) -> CheckResult:
        capacity = GPU_CAPACITY[self.entity_type]
        only_when = capacity.only_when
        if only_when and str(get(conf, only_when.attribute)).lower() not in only_when.values:
            return CheckResult.UNKNOWN  # this block of the type is not capacity (any other bucket object)
        described = described_capacity(capacity, conf)
        if described is None or not is_gpu_capacity(self.entity_type, described):
            return CheckResult.UNKNOWN  # not GPU capacity (or a document checkov could not evaluate)
        environments = environments_of(self, conf)
        if environments and environments <= PROD_ENVIRONMENTS:
            return CheckResult.PASSED  # prod may run on-demand
        if is_spot(self.entity_type, described) or self._launched_only_as_spot(conf):
            return CheckResult.PASSED
        where = ", ".join(sorted(environments)) or "an environment that is not marked prod"
        self.details.append(f"on-demand GPU capacity in {where}")
        return CheckResult.FAILED

    def _launched_only_as_spot(self, conf: dict[str, Any]) -> bool:
        """Capacity without market options is spot when every group launching it buys only spot."""
        group_type = GPU_CAPACITY[self.entity_type].spot_when_launched_by
        if not group_type:
            return False
        groups = [
            config_of_vertex(referrer) or {}
            for index, _ in vertices_for_entity(self, conf)
            for referrer in graph_referrers(self.graph, index)
            if referrer.get("resource_type") == group_type
        ]
        return bool(groups) and all(is_spot(group_type, group) for group in groups)


check = GpuCapacityIsSpotOutsideProd()
