"""The GPU and CPU quotas the spec's training jobs, GPU VM group and endpoints need, read from Google.

Vertex AI custom jobs and endpoints draw on Vertex AI's own regional quotas, not Compute Engine's: the
metrics ``aiplatform.googleapis.com/custom_model_training[_preemptible]_nvidia_<gpu>_gpus`` (Spot VMs and
Dynamic Workload Scheduler use the preemptible one) and ``custom_model_serving_cpus`` /
``custom_model_serving_nvidia_<gpu>_gpus`` (https://cloud.google.com/vertex-ai/docs/quotas). They are read
with the Cloud Quotas API, one paged list per service
(https://cloud.google.com/docs/quotas/reference/rest/v1/projects.locations.services.quotaInfos/list): a
QuotaInfo names its ``metric`` and holds one ``dimensionsInfos`` entry per region that has its own value,
plus one without a region for every other region; ``details.value`` is an int64, so a JSON string.

The GPU VM group (training.platform vm) is Compute Engine capacity: the regional quota metrics
NVIDIA_<GPU>_GPUS and PREEMPTIBLE_NVIDIA_<GPU>_GPUS of ``regions.get``
(https://cloud.google.com/compute/docs/reference/rest/v1/regions/get, enum in Quota.metric) and the
project-wide GPUS_ALL_REGIONS of ``projects.get``. The group's template is always Spot; Spot VMs use
preemptible quota where the project has it and the standard quota otherwise
(https://cloud.google.com/compute/docs/instances/create-use-spot, "Before you begin").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

VERTEX_SERVICE = "aiplatform.googleapis.com"
QUOTAS_API = "cloudquotas.googleapis.com"
ALL_REGIONS = "GPUS_ALL_REGIONS"


@dataclass(frozen=True)
class Need:
    """How much of one quota metric the spec needs, and why (for the message)."""

    metric: str
    count: int
    why: str


def console_link(project_id: str) -> str:
    return f"https://console.cloud.google.com/iam-admin/quotas?project={project_id}"


def vertex_training_metric(quota_gpu: str, spot: bool) -> str:
    kind = "preemptible_" if spot else ""
    return f"{VERTEX_SERVICE}/custom_model_training_{kind}{quota_gpu}_gpus"


def vertex_serving_metric(quota_gpu: str | None) -> str:
    """The serving GPUs of ``quota_gpu``, or the serving CPUs when it is None."""
    return f"{VERTEX_SERVICE}/custom_model_serving_{f'{quota_gpu}_gpus' if quota_gpu else 'cpus'}"


def compute_metric(quota_gpu: str, spot: bool) -> str:
    return f"{'PREEMPTIBLE_' if spot else ''}{quota_gpu.upper()}_GPUS"


UNLIMITED = -1


def quota_info_value(infos: list[dict[str, Any]], metric: str, region: str) -> int | None:
    """The value in effect in ``region`` of the QuotaInfo(s) with ``metric``; None when none applies there.

    A dimensions info naming the region wins over the one without a region (the default for the others);
    one keyed by a service-specific dimension besides the region (a model, a provider) is not the project's
    regional quota and is passed over. Several QuotaInfos of one metric: the smallest binds. A negative value
    is Google's way of writing "unlimited" (Cloud Quotas takes -1 as an unlimited preferred value), so it
    binds only when nothing else does and comes back as UNLIMITED."""
    values: list[int] = []
    for info in infos:
        if info.get("metric") != metric:
            continue
        exact, default = None, None
        for entry in info.get("dimensionsInfos", []):
            dimensions = entry.get("dimensions", {})
            if set(dimensions) - {"region"}:
                continue
            value = entry.get("details", {}).get("value")
            if value is None:
                continue
            if dimensions.get("region") == region:
                exact = int(value)
            elif "region" not in dimensions and region in entry.get("applicableLocations", [region]):
                default = int(value)
        chosen = exact if exact is not None else default
        if chosen is not None:
            values.append(chosen)
    limited = [value for value in values if value >= 0]
    if limited:
        return min(limited)
    return UNLIMITED if values else None


def compute_limit(quotas: list[dict[str, Any]], metric: str) -> int | None:
    """The limit of ``metric`` in a regions.get / projects.get quotas list; None when it is not there."""
    for quota in quotas:
        if quota.get("metric") == metric:
            return int(quota.get("limit", 0))
    return None
