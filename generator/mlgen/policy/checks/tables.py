"""The tables the ML policies read: cloud-neutral rules here, every cloud's resource types merged in.

The cloud-specific facts (which resource types hold tags, GPU capacity, budgets, images...) live in
each cloud's ``clouds/<cloud>/policy_facts.py``. A project's Terraform is scanned whatever cloud its
spec names, so each table is the union over all clouds; adding a cloud adds its facts file, not check logic.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from mlgen.clouds import CLOUDS, policy_facts
from mlgen.clouds.policy_fact_types import GpuCapacity, PolicyFacts

_FACTS: tuple[PolicyFacts, ...] = tuple(policy_facts(cloud) for cloud in CLOUDS)
_V = TypeVar("_V")


def _merged(tables: Iterable[dict[str, _V]]) -> dict[str, _V]:
    merged: dict[str, _V] = {}
    for table in tables:
        merged.update(table)
    return merged


def _joined(tuples: Iterable[tuple[str, ...]]) -> tuple[str, ...]:
    return tuple(value for values in tuples for value in values)


REQUIRED_TAGS: tuple[str, ...] = ("project", "environment", "owner", "cost-center", "managed-by")
ENVIRONMENT_NAMES: tuple[str, ...] = ("dev", "staging", "prod")
PROD_ENVIRONMENTS: frozenset[str] = frozenset({"prod"})

# MLG001 -- providers whose default tags/labels reach every resource they create: provider -> block, key.
DEFAULT_TAG_PROVIDERS: dict[str, tuple[str, str]] = _merged(dict(f.default_tag_providers) for f in _FACTS)
# MLG001 -- resource types that must carry the tags themselves because their provider has no
# provider-level defaults: resource type -> tag attribute.
SELF_TAGGED_RESOURCES: dict[str, str] = _merged(dict(f.self_tagged_resources) for f in _FACTS)

# MLG002 -- GPU machine families (prefix match on the lower-cased machine type).
GPU_INSTANCE_PREFIXES: tuple[str, ...] = _joined(f.gpu_instance_prefixes for f in _FACTS)
# MLG002 -- resource type -> where its machine type is and what makes it spot.
GPU_CAPACITY: dict[str, GpuCapacity] = _merged(dict(f.gpu_capacity) for f in _FACTS)

# MLG003 -- autoscaling resources of serving endpoints: type -> (max attribute, min attribute).
ENDPOINT_AUTOSCALING: dict[str, tuple[str, str]] = _merged(dict(f.endpoint_autoscaling) for f in _FACTS)
# Only autoscaling targets in these namespaces are endpoints.
ENDPOINT_SCALING_NAMESPACES: frozenset[str] = frozenset().union(
    *(f.endpoint_scaling_namespaces for f in _FACTS)
)
MAX_ENDPOINT_REPLICAS = 100
# Module calls that build endpoints, and the inputs (at any depth) that cap their replicas.
ENDPOINT_MODULE_COMPONENTS: frozenset[str] = frozenset({"serving"})
ENDPOINT_MAXIMUM_INPUTS: frozenset[str] = frozenset(
    {"max_capacity", "max_replicas", "max_replica_count", "max_instances_per_variant"}
)

# MLG004 -- budget resource types and the attribute holding their notifications.
BUDGET_NOTIFICATIONS: dict[str, str] = _merged(dict(f.budget_notifications) for f in _FACTS)
# Providers whose roots are environments that must each hold a budget.
BUDGETED_PROVIDERS: tuple[str, ...] = _joined(f.budgeted_providers for f in _FACTS)

# MLG005 -- object-store buckets whose encryption is a separate resource, and the algorithms that use a
# customer-managed key.
BUCKET_ENCRYPTION_TYPES: dict[str, str] = {
    f.bucket_type: f.bucket_encryption_type for f in _FACTS if f.bucket_type
}
CMK_ALGORITHMS: frozenset[str] = frozenset().union(*(f.cmk_algorithms for f in _FACTS))

# MLG006 -- module components that hold data or keys (last path element of the module source).
PROTECTED_MODULE_COMPONENTS: frozenset[str] = frozenset(
    {"storage", "kms", "keys", "registry", "state", "state_bootstrap", "state-bootstrap"}
)
# MLG006 -- data-store resources declared directly in a prod root need prevent_destroy.
PROTECTED_RESOURCES: tuple[str, ...] = _joined(f.protected_resources for f in _FACTS)

# MLG007 -- services whose data or keys must never be granted with a wildcard.
DATA_SERVICES: frozenset[str] = frozenset().union(*(f.data_services for f in _FACTS))
# Identity policies carrying inline JSON: resource type -> attribute.
INLINE_POLICY_ATTRIBUTES: dict[str, str] = _merged(dict(f.inline_policy_attributes) for f in _FACTS)

# MLG008 -- module inputs (at any depth) that name a container image: "image", "*_image", "*image_uri".
IMAGE_INPUT_SUFFIXES: tuple[str, ...] = ("image", "image_uri")

# MLG008 -- where infrastructure names container images: resource type -> dotted paths to the image.
IMAGE_ATTRIBUTES: dict[str, tuple[str, ...]] = _merged(dict(f.image_attributes) for f in _FACTS)
