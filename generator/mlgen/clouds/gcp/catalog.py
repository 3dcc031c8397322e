"""GCP names for mlgen's cloud-neutral choices: GPU kinds, machine types and endpoint sizes.

Plain tables a reviewer can check against the Compute Engine GPU pages in one place. T4s attach to an N1
machine; L4, A100 and H100 come with their accelerator-optimized machine family (G2, A2, A3), whose
machine type fixes the GPU count. GCP has no A10G (an AWS-only part).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mlgen.clouds.base import AdapterError


@dataclass(frozen=True)
class GpuMachine:
    machine_type: str
    accelerator_type: str  # Compute Engine accelerator name (instance templates)
    vertex_accelerator: str  # Vertex AI AcceleratorType enum name (custom jobs)
    # The GPU's word in quota metric names: Compute Engine's NVIDIA_T4_GPUS / PREEMPTIBLE_NVIDIA_T4_GPUS and
    # Vertex AI's custom_model_{training,serving}[_preemptible]_nvidia_t4_gpus (mlgen doctor reads both).
    quota_gpu: str


def _t4(machine: str) -> GpuMachine:
    return GpuMachine(machine, "nvidia-tesla-t4", "NVIDIA_TESLA_T4", "nvidia_t4")


# gpu kind -> {gpus per node -> machine}
GPU_MACHINES: dict[str, dict[int, GpuMachine]] = {
    "t4": {1: _t4("n1-standard-8"), 2: _t4("n1-standard-16"), 4: _t4("n1-standard-32")},
    "l4": {
        count: GpuMachine(machine, "nvidia-l4", "NVIDIA_L4", "nvidia_l4")
        for count, machine in {
            1: "g2-standard-8",
            2: "g2-standard-24",
            4: "g2-standard-48",
            8: "g2-standard-96",
        }.items()
    },
    "a100": {
        count: GpuMachine(f"a2-highgpu-{count}g", "nvidia-tesla-a100", "NVIDIA_TESLA_A100", "nvidia_a100")
        for count in (1, 2, 4, 8)
    },
    "h100": {
        count: GpuMachine(f"a3-highgpu-{count}g", "nvidia-h100-80gb", "NVIDIA_H100_80GB", "nvidia_h100")
        for count in (1, 2, 4, 8)
    },
}

# Machine families whose machine type already carries its GPUs (no guest_accelerator block on a VM).
BUNDLED_GPU_FAMILIES: tuple[str, ...] = ("g2-", "a2-", "a3-")


@dataclass(frozen=True)
class EndpointSize:
    machine_type: str
    accelerator: str = ""  # Vertex AI's AcceleratorType name; a G2 machine must name its L4
    accelerator_count: int = 0


# Abstract endpoint sizes: small/medium are CPU machines, large is one L4. `mlgen release` deploys with
# these and the cost estimate prices them: one table for both.
ENDPOINT_SIZES: dict[str, EndpointSize] = {
    "small": EndpointSize("n2-standard-2"),
    "medium": EndpointSize("n2-standard-8"),
    "large": EndpointSize("g2-standard-8", "NVIDIA_L4", 1),
}

# Tracking server (Cloud Run + Cloud SQL) sizes: Cloud SQL tier, Cloud Run CPU and memory.
TRACKING_SIZES: dict[str, dict[str, str]] = {
    "small": {"sql_tier": "db-custom-1-3840", "cpu": "1", "memory": "2Gi"},
    "medium": {"sql_tier": "db-custom-2-7680", "cpu": "2", "memory": "4Gi"},
    "large": {"sql_tier": "db-custom-4-15360", "cpu": "4", "memory": "8Gi"},
}


class CatalogError(AdapterError):
    """A cloud-neutral choice that has no GCP equivalent."""


def gpu_machine(gpu: str, gpus_per_node: int) -> GpuMachine:
    if gpu not in GPU_MACHINES:
        raise CatalogError(
            f"GCP offers no {gpu!r} GPUs (available: {', '.join(sorted(GPU_MACHINES))}); "
            "a10g is an AWS-only GPU"
        )
    sizes = GPU_MACHINES[gpu]
    if gpus_per_node not in sizes:
        allowed = ", ".join(str(n) for n in sorted(sizes))
        raise CatalogError(
            f"GCP has no machine with {gpus_per_node} {gpu} GPU(s); "
            f"training.gpus_per_node for {gpu} must be one of: {allowed}"
        )
    return sizes[gpus_per_node]


def bundles_gpus(machine_type: str) -> bool:
    return machine_type.startswith(BUNDLED_GPU_FAMILIES)


def endpoint_size(size: str) -> EndpointSize:
    if size not in ENDPOINT_SIZES:
        raise CatalogError(f"unknown endpoint size {size!r} (allowed: {', '.join(ENDPOINT_SIZES)})")
    return ENDPOINT_SIZES[size]


def quota_gpu(vertex_accelerator: str) -> str:
    """The quota word of a Vertex AI accelerator name (an endpoint size's GPU), from the one GPU table."""
    for sizes in GPU_MACHINES.values():
        for machine in sizes.values():
            if machine.vertex_accelerator == vertex_accelerator:
                return machine.quota_gpu
    raise CatalogError(f"no GPU in the catalog is Vertex AI's {vertex_accelerator}")


def machine_vcpus(machine_type: str) -> int | None:
    """vCPUs of a predefined machine type whose name ends in them (n2-standard-8, g2-standard-8); None for
    the names that count GPUs instead (a2-highgpu-1g)."""
    found = re.fullmatch(r"[a-z0-9]+-(?:standard|highmem|highcpu)-(\d+)", machine_type)
    return int(found.group(1)) if found else None
