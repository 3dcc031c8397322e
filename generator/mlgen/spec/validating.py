"""Checks that span environments and so cannot live on one model (overlapping network ranges)."""

from __future__ import annotations

import ipaddress
from typing import Any

from mlgen.spec.layering import get_path
from mlgen.spec.models import ENVIRONMENT_NAMES, Spec
from mlgen.spec.reading import Path_


def validate_spec_data(document: dict[str, Any]) -> Spec:
    """Validate a resolved document (raises pydantic's ValidationError); cloud checks use its cloud."""
    return Spec.model_validate(document, context={"cloud": document.get("cloud")})


def environment_overlaps(document: dict[str, Any]) -> list[tuple[Path_, str, str | None]]:
    """Environments whose network ranges overlap (each pair reported once, at the later environment)."""
    environments = document.get("environments")
    if not isinstance(environments, dict):
        return []
    ranges: list[tuple[str, ipaddress.IPv4Network]] = []
    for env in sorted(
        environments, key=lambda e: ENVIRONMENT_NAMES.index(e) if e in ENVIRONMENT_NAMES else 99
    ):
        cidr = get_path(environments[env], ("network", "cidr"))
        if not isinstance(cidr, str):
            continue  # validation reports the type
        try:
            ranges.append((env, ipaddress.IPv4Network(cidr, strict=True)))
        except (ValueError, TypeError):
            continue
    found = []
    for index, (env, network) in enumerate(ranges):
        for other, other_network in ranges[:index]:
            if network.overlaps(other_network):
                free = _free_range([taken for _, taken in ranges])
                message = f"{network} overlaps environments.{other}.network.cidr ({other_network})"
                hint = f"give each environment its own range, e.g. environments.{env}.network.cidr: {free}"
                found.append((("environments", env, "network", "cidr"), message, hint))
                break
    return found


def _free_range(taken: list[ipaddress.IPv4Network]) -> str:
    for second in range(10, 256, 10):
        candidate = ipaddress.IPv4Network(f"10.{second}.0.0/16")
        if not any(candidate.overlaps(network) for network in taken):
            return str(candidate)
    return "a free /16 in 10.0.0.0/8"
