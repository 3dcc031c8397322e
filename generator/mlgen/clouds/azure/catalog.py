"""Azure names for mlgen's cloud-neutral choices: GPU kinds and endpoint sizes.

Plain tables a reviewer can check against the Azure VM size pages (NC T4 v3, NC A100 v4, ND A100 v4,
NC H100 v5, ND H100 v5) in one place. Each GPU count per node maps to the size that carries that many GPUs
of the kind; capabilities.py derives the counts the spec accepts from this table, so validate and generate
cannot disagree.
"""

from __future__ import annotations

from mlgen.clouds.base import AdapterError

# gpu kind -> {gpus per node -> Azure ML compute cluster VM size}
TRAINING_SIZES: dict[str, dict[int, str]] = {
    "t4": {1: "Standard_NC4as_T4_v3", 4: "Standard_NC64as_T4_v3"},
    "a100": {
        1: "Standard_NC24ads_A100_v4",
        2: "Standard_NC48ads_A100_v4",
        4: "Standard_NC96ads_A100_v4",
        8: "Standard_ND96asr_v4",
    },
    "h100": {1: "Standard_NC40ads_H100_v5", 2: "Standard_NC80adis_H100_v5", 8: "Standard_ND96isr_H100_v5"},
}

# spec serving.endpoints[].auth -> the online endpoint's authMode (REST API 2024-10-01: AMLToken | Key |
# AADToken). identity is AADToken: Entra ID tokens, nothing to leak or rotate. AMLToken (workspace-issued
# tokens) is not offered: it is neither the cloud's identity nor a plain key.
ENDPOINT_AUTH_MODES: dict[str, str] = {"identity": "AADToken", "key": "Key"}

# Kinds the spec knows that Azure ML has no size for, with what to use instead.
UNAVAILABLE: dict[str, str] = {
    "l4": "Azure has no L4 sizes for Azure ML compute; use t4 (NCasT4_v3) or a100",
    "a10g": "A10G is an AWS-only part; Azure's A10 sizes (NVadsA10 v5) are partitioned GPUs Azure ML "
    "compute clusters do not offer for training; use t4 or a100",
}

# Abstract endpoint sizes for managed online deployments: small/medium are CPU, large is one T4.
ENDPOINT_SIZES: dict[str, str] = {
    "small": "Standard_DS3_v2",
    "medium": "Standard_F8s_v2",
    "large": "Standard_NC4as_T4_v3",
}


class CatalogError(AdapterError):
    """A cloud-neutral choice that has no Azure equivalent."""


def training_size(gpu: str, gpus_per_node: int) -> str:
    if gpu not in TRAINING_SIZES:
        reason = UNAVAILABLE.get(gpu, f"Azure ML offers no {gpu!r} GPUs")
        raise CatalogError(f"Azure ML has no {gpu} compute: {reason}")
    sizes = TRAINING_SIZES[gpu]
    if gpus_per_node not in sizes:
        allowed = ", ".join(str(n) for n in sorted(sizes))
        raise CatalogError(
            f"Azure ML has no VM size with {gpus_per_node} {gpu} GPU(s); "
            f"training.gpus_per_node for {gpu} must be one of: {allowed}"
        )
    return sizes[gpus_per_node]


def gpus_of(size: str) -> int:
    """GPUs per node of a training size (the job's processes per instance)."""
    for sizes in TRAINING_SIZES.values():
        for count, name in sizes.items():
            if name == size:
                return count
    raise CatalogError(f"unknown Azure training size {size!r}")


def endpoint_size(size: str) -> str:
    if size not in ENDPOINT_SIZES:
        raise CatalogError(f"unknown endpoint size {size!r} (allowed: {', '.join(ENDPOINT_SIZES)})")
    return ENDPOINT_SIZES[size]
