"""vCPU quota for the compute cluster and the online deployments, read from Azure ML's usages per VM family.

Azure ML counts quota in vCPUs per VM family and region, dedicated and low priority apart, plus a regional
total of each. Two calls of the pinned Machine Learning Services version answer what doctor needs:

- Usages - List, ``GET /subscriptions/{sub}/providers/Microsoft.MachineLearningServices/locations/{location}/
  usages`` (https://learn.microsoft.com/rest/api/azureml/usages/list): entries ``{type, name: {value,
  localizedValue}, currentValue, limit, unit}``. The subscription's per-family entries have type
  ``Microsoft.MachineLearningServices/vmFamily/usages`` and names ``Standard <family> Family Cluster
  Dedicated vCPUs`` / ``… Cluster LowPriority vCPUs``; the same names recur for each workspace and compute
  (other types), which are not the limit. Low-priority family entries have limit -1: no family limit, only
  ``Total Cluster LowPriority Regional vCPUs``; dedicated capacity needs its family and ``Total Cluster
  Dedicated Regional vCPUs``.
- Virtual Machine Sizes - List, ``…/locations/{location}/vmSizes``
  (https://learn.microsoft.com/rest/api/azureml/virtual-machine-sizes/list): each size's ``family`` (e.g.
  ``standardDSv2Family``, the usage name without spaces), ``vCPUs`` and ``lowPriorityCapable``.

Managed online deployments draw on the same dedicated per-family quota as compute clusters, and Azure ML
reserves 20 % more instances for upgrades ("Manage and increase quotas and limits for resources with Azure
Machine Learning", Virtual machine quota / managed online endpoints): an endpoint needs
ceil(1.2 × max instances) × vCPUs of its size. Not verified against a live subscription.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from mlgen.ops.base import CheckResult

FAMILY_TYPE = "Microsoft.MachineLearningServices/vmFamily/usages"
DEDICATED, LOW_PRIORITY = "Dedicated", "LowPriority"
REGIONAL = {
    DEDICATED: "Total Cluster Dedicated Regional vCPUs",
    LOW_PRIORITY: "Total Cluster LowPriority Regional vCPUs",
}
ENDPOINT_UPGRADE_RESERVE = 1.2
INCREASE = "request an increase in the Azure portal (Quotas → Machine Learning, region {region})"


@dataclass(frozen=True)
class Need:
    """vCPUs of one VM family and priority that the spec can use at its maximum, and who uses them."""

    family: str
    priority: str
    vcpus: int
    users: tuple[str, ...]


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def size_info(sizes: Iterable[dict[str, Any]], size: str) -> dict[str, Any] | None:
    for entry in sizes:
        if str(entry.get("name", "")).lower() == size.lower():
            return entry
    return None


def endpoint_instances(max_instances: int) -> int:
    return math.ceil(ENDPOINT_UPGRADE_RESERVE * max_instances)


def needs(
    sizes: list[dict[str, Any]],
    training: tuple[str, int, bool] | None,
    endpoints: list[tuple[str, str, int]],
) -> tuple[list[Need], list[CheckResult]]:
    """Per (family, priority) the vCPUs needed: the cluster's (size, max nodes, low priority) and each
    endpoint's (label, size, max instances over its variants). Sizes Azure ML does not offer in the region
    are failures here, not needs."""
    totals: dict[tuple[str, str], tuple[int, list[str]]] = {}
    problems = []

    def add(check: str, size: str, count: int, priority: str, user: str) -> None:
        info = size_info(sizes, size)
        if info is None:
            problems.append(
                CheckResult(check, "fail", f"{size} is not offered to Azure ML in this region (vmSizes)")
            )
            return
        if priority == LOW_PRIORITY and info.get("lowPriorityCapable") is False:
            problems.append(
                CheckResult(check, "fail", f"{size} has no low-priority capacity: set training.spot to false")
            )
            return
        key = (str(info.get("family", "?")), priority)
        vcpus, users = totals.get(key, (0, []))
        totals[key] = (vcpus + int(info.get("vCPUs", 0)) * count, [*users, user])

    if training is not None:
        size, nodes, spot = training
        add("training quota", size, nodes, LOW_PRIORITY if spot else DEDICATED, f"cluster {nodes} × {size}")
    for label, size, instances in endpoints:
        reserved = endpoint_instances(instances)
        add("endpoint quota", size, reserved, DEDICATED, f"{label} {reserved} × {size}")
    found = [
        Need(family, priority, vcpus, tuple(users)) for (family, priority), (vcpus, users) in totals.items()
    ]
    return sorted(found, key=lambda need: (need.priority, need.family)), problems


def _entry(usages: list[dict[str, Any]], name: str, family_type: bool) -> dict[str, Any] | None:
    wanted = _key(name)
    for usage in usages:
        names = usage.get("name") or {}
        if "/workspaces/" in str(usage.get("id", "")).lower():
            continue  # a workspace's or compute's share, not the subscription's limit
        if family_type and usage.get("type") != FAMILY_TYPE:
            continue
        if wanted in {_key(str(names.get("value", ""))), _key(str(names.get("localizedValue", "")))}:
            return usage
    return None


def family_usage_name(family: str, priority: str) -> str:
    """'standardNCASv3_T4Family' → 'Standard NCASv3_T4 Family Cluster Dedicated vCPUs' (compared without
    spaces and case, so the exact spacing of Azure's name does not matter)."""
    core = re.sub(r"(?i)^standard|family$", "", family)
    return f"Standard {core} Family Cluster {priority} vCPUs"


def check_name(need: Need) -> str:
    kinds = {user.split(" ", 1)[0] == "cluster" for user in need.users}
    if kinds == {True}:
        return "training quota"
    return "endpoint quota" if kinds == {False} else "vCPU quota"


def _compare(
    check: str, what: str, usage: dict[str, Any], needed: int, users: str, region: str
) -> CheckResult:
    limit, current = int(usage.get("limit", 0)), int(usage.get("currentValue", 0))
    free = max(limit - current, 0)
    if needed <= free:
        return CheckResult(
            check, "ok", f"{what}: {free} free of {limit} vCPUs, the spec needs {needed} ({users})"
        )
    return CheckResult(
        check,
        "fail",
        f"{what}: {free} free of {limit} vCPUs, the spec needs {needed} ({users}): "
        + INCREASE.format(region=region),
    )


def results(usages: list[dict[str, Any]], found: list[Need], region: str) -> list[CheckResult]:
    """One check per family and priority, then the regional total of each priority the spec uses."""
    checks = []
    for need in found:
        check, users = check_name(need), ", ".join(need.users)
        name = family_usage_name(need.family, need.priority)
        usage = _entry(usages, name, family_type=True)
        if usage is None:
            checks.append(
                CheckResult(
                    check, "fail", f"no usage entry {name!r} in {region}: the family may not be offered here"
                )
            )
        elif int(usage.get("limit", 0)) < 0:
            checks.append(
                CheckResult(check, "ok", f"family {need.family} {need.priority}: no family limit ({users})")
            )
        else:
            checks.append(
                _compare(check, f"family {need.family} {need.priority}", usage, need.vcpus, users, region)
            )
    for priority in sorted({need.priority for need in found}):
        needed = sum(need.vcpus for need in found if need.priority == priority)
        usage = _entry(usages, REGIONAL[priority], family_type=False)
        label = f"regional {priority}"
        if usage is None:
            checks.append(
                CheckResult("regional quota", "fail", f"no usage entry {REGIONAL[priority]!r} in {region}")
            )
        else:
            checks.append(_compare("regional quota", label, usage, needed, "all families", region))
    return checks
