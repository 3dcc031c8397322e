"""How an endpoint's replicas split over its variants (the spec's canary weights): one rule for every cloud,
read by the serving roots and the cost estimates."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # annotations only: the spec models import mlgen.clouds
    from mlgen.spec.models import EndpointSpec


def endpoint_variants(endpoint: EndpointSpec) -> dict[str, Any]:
    if endpoint.serverless:
        return {"primary": {"weight": 100}}
    variants = endpoint.variants or []
    if not variants:
        return {
            "primary": {
                "weight": 100,
                "min_capacity": endpoint.min_replicas,
                "max_capacity": endpoint.max_replicas,
            }
        }
    result: dict[str, Any] = {}
    for variant in variants:
        # A canary variant takes its share of the endpoint's capacity, but never less than one replica.
        share = variant.weight / 100
        result[variant.name] = {
            "weight": variant.weight,
            "min_capacity": max(1, math.ceil(endpoint.min_replicas * share)),
            "max_capacity": max(1, math.ceil(endpoint.max_replicas * share)),
        }
    return result
