"""MLG002: GPU training capacity outside prod is spot/preemptible.

A launch template without spot market options still passes when every autoscaling group that uses it
buys only spot (``on_demand_base_capacity = 0`` and ``on_demand_percentage_above_base_capacity = 0``).
The environment comes from the block's own environment tag, else from the root that instantiates its
module (provider default tags, then directory name). Capacity whose environment cannot be told is
held to the non-prod rule: spot is the safe default for training, and prod must say it is prod.
"""

from __future__ import annotations

from typing import Any

from checkov.common.models.enums import CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

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
from mlgen.policy.checks.tables import (
    GPU_CAPACITY_MACHINE_ATTRIBUTE,
    GPU_INSTANCE_PREFIXES,
    PROD_ENVIRONMENTS,
)


def is_gpu_machine(machine_type: Any) -> bool:
    return isinstance(machine_type, str) and machine_type.lower().startswith(GPU_INSTANCE_PREFIXES)


def _machine_types(resource_type: str, conf: dict[str, Any]) -> list[Any]:
    if resource_type == "aws_autoscaling_group":
        return get_all(conf, "mixed_instances_policy.launch_template.override.instance_type")
    machine = get(conf, GPU_CAPACITY_MACHINE_ATTRIBUTE[resource_type])
    types = [machine]
    if resource_type.startswith("google_") and get(conf, "guest_accelerator"):
        types.append("a2-accelerator")  # any attached accelerator makes it GPU capacity
    return types


def is_spot(resource_type: str, conf: dict[str, Any]) -> bool:
    if resource_type in {"aws_launch_template", "aws_instance"}:
        return str(get(conf, "instance_market_options.market_type") or "").lower() == "spot"
    if resource_type == "aws_autoscaling_group":
        distribution = "mixed_instances_policy.instances_distribution"
        base = as_number(get(conf, f"{distribution}.on_demand_base_capacity"))
        above = as_number(get(conf, f"{distribution}.on_demand_percentage_above_base_capacity"))
        return base == 0 and above == 0
    if resource_type.startswith("google_"):
        model = str(get(conf, "scheduling.provisioning_model") or "").upper()
        return model == "SPOT" or as_bool(get(conf, "scheduling.preemptible")) is True
    if resource_type == "azurerm_machine_learning_compute_cluster":
        return str(get(conf, "vm_priority") or "").lower() in {"lowpriority", "spot"}
    if resource_type == "azurerm_linux_virtual_machine_scale_set":
        return str(get(conf, "priority") or "").lower() == "spot"
    return False


class GpuCapacityIsSpotOutsideProd(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name=policy_name("MLG002"),
            id="MLG002",
            categories=CATEGORIES["MLG002"],
            supported_resources=tuple(GPU_CAPACITY_MACHINE_ATTRIBUTE),
        )

    @fail_on_error
    def scan_resource_conf(self, conf: dict[str, list[Any]]) -> CheckResult:
        machine_types = _machine_types(self.entity_type, conf)
        if not any(is_gpu_machine(machine) for machine in machine_types if is_resolved(machine)):
            return CheckResult.UNKNOWN  # not GPU capacity: the policy does not apply
        environments = environments_of(self, conf)
        if environments and environments <= PROD_ENVIRONMENTS:
            return CheckResult.PASSED  # prod may run on-demand
        if is_spot(self.entity_type, conf) or self._launched_only_as_spot(conf):
            return CheckResult.PASSED
        where = ", ".join(sorted(environments)) or "an environment that is not marked prod"
        self.details.append(f"on-demand GPU capacity in {where}")
        return CheckResult.FAILED

    def _launched_only_as_spot(self, conf: dict[str, Any]) -> bool:
        """A launch template without market options is spot when every ASG using it buys only spot."""
        if self.entity_type != "aws_launch_template":
            return False
        groups = [
            config_of_vertex(referrer) or {}
            for index, _ in vertices_for_entity(self, conf)
            for referrer in graph_referrers(self.graph, index)
            if referrer.get("resource_type") == "aws_autoscaling_group"
        ]
        return bool(groups) and all(is_spot("aws_autoscaling_group", group) for group in groups)


check = GpuCapacityIsSpotOutsideProd()
