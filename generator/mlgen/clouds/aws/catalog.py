"""AWS names for mlgen's cloud-neutral choices: GPU kinds and endpoint sizes.

Kept as plain tables so that a reviewer can check them against the SageMaker and EC2 pricing pages in
one place. GPU counts per node map to the instance size that carries that many GPUs of the kind.
"""

from __future__ import annotations

from dataclasses import dataclass

from mlgen.clouds.base import AdapterError

# gpu kind -> {gpus per node -> SageMaker training instance type}
SAGEMAKER_TRAINING_INSTANCES: dict[str, dict[int, str]] = {
    "t4": {1: "ml.g4dn.xlarge", 4: "ml.g4dn.12xlarge"},
    "l4": {1: "ml.g6.xlarge", 4: "ml.g6.12xlarge", 8: "ml.g6.48xlarge"},
    "a10g": {1: "ml.g5.xlarge", 4: "ml.g5.12xlarge", 8: "ml.g5.48xlarge"},
    "a100": {8: "ml.p4d.24xlarge"},
    "h100": {8: "ml.p5.48xlarge"},
}

# gpu kind -> {gpus per node -> EC2 instance type} for the optional spot GPU fleet (platform: vm)
EC2_GPU_INSTANCES: dict[str, dict[int, str]] = {
    "t4": {1: "g4dn.xlarge", 4: "g4dn.12xlarge", 8: "g4dn.metal"},
    "l4": {1: "g6.xlarge", 4: "g6.12xlarge", 8: "g6.48xlarge"},
    "a10g": {1: "g5.xlarge", 4: "g5.12xlarge", 8: "g5.48xlarge"},
    "a100": {8: "p4d.24xlarge"},
    "h100": {8: "p5.48xlarge"},
}

# Interface VPC endpoints of every environment with private_endpoints (service suffixes of
# com.amazonaws.<region>.*): the ML APIs, image pulls, credentials, logs and keys. Each bills per zone and
# hour, so the cost estimate counts this tuple too.
INTERFACE_ENDPOINT_SERVICES: tuple[str, ...] = (
    "ecr.api",
    "ecr.dkr",
    "kms",
    "logs",
    "sagemaker.api",
    "sagemaker.runtime",
    "sts",
)


@dataclass(frozen=True)
class EndpointSize:
    instance_type: str
    serverless_memory_mb: int


# Abstract endpoint sizes: small/medium are CPU (most tabular and small torch models), large is one A10G.
ENDPOINT_SIZES: dict[str, EndpointSize] = {
    "small": EndpointSize(instance_type="ml.m5.large", serverless_memory_mb=2048),
    "medium": EndpointSize(instance_type="ml.c5.2xlarge", serverless_memory_mb=4096),
    "large": EndpointSize(instance_type="ml.g5.xlarge", serverless_memory_mb=6144),
}


class CatalogError(AdapterError):
    """A cloud-neutral choice that has no AWS equivalent."""


def _lookup(table: dict[str, dict[int, str]], gpu: str, gpus_per_node: int, what: str) -> str:
    if gpu not in table:
        raise CatalogError(f"AWS {what} offers no {gpu!r} GPUs (available: {', '.join(sorted(table))})")
    sizes = table[gpu]
    if gpus_per_node not in sizes:
        allowed = ", ".join(str(n) for n in sorted(sizes))
        raise CatalogError(
            f"AWS {what} has no instance with {gpus_per_node} {gpu} GPU(s); "
            f"training.gpus_per_node for {gpu} must be one of: {allowed}"
        )
    return sizes[gpus_per_node]


def sagemaker_training_instance(gpu: str, gpus_per_node: int) -> str:
    return _lookup(SAGEMAKER_TRAINING_INSTANCES, gpu, gpus_per_node, "SageMaker training")


def ec2_gpu_instance(gpu: str, gpus_per_node: int) -> str:
    return _lookup(EC2_GPU_INSTANCES, gpu, gpus_per_node, "EC2")


def endpoint_size(size: str) -> EndpointSize:
    if size not in ENDPOINT_SIZES:
        raise CatalogError(f"unknown endpoint size {size!r} (allowed: {', '.join(ENDPOINT_SIZES)})")
    return ENDPOINT_SIZES[size]
