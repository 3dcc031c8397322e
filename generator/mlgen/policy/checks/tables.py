"""The tables the ML policies read: cloud-neutral rules here, every cloud's resource types merged in.

The cloud-specific facts (which resource types hold tags, GPU capacity, budgets, images...) live in
each cloud's ``clouds/<cloud>/policy_facts.py``. A project's Terraform is scanned whatever cloud its
spec names, so each table is the union over all clouds; adding a cloud adds its facts file, not check logic.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from mlgen.clouds import CLOUDS, policy_facts
from mlgen.clouds.policy_fact_types import (
    ActionPolicyDocuments,
    BudgetNotifications,
    CustomerKey,
    EndpointScaling,
    GpuCapacity,
    PolicyFacts,
    RoleDefinitions,
)

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

# MLG003 -- autoscaling resources of serving endpoints and where their bounds are.
ENDPOINT_AUTOSCALING: dict[str, EndpointScaling] = _merged(dict(f.endpoint_autoscaling) for f in _FACTS)
MAX_ENDPOINT_REPLICAS = 100
# Module calls that build endpoints, and the inputs (at any depth) that cap their replicas.
ENDPOINT_MODULE_COMPONENTS: frozenset[str] = frozenset({"serving"})
ENDPOINT_MAXIMUM_INPUTS: frozenset[str] = frozenset(
    {"max_capacity", "max_replicas", "max_replica_count", "max_instances_per_variant", "max_instance_count"}
)

# MLG004 -- budget resource types and how they notify.
BUDGET_NOTIFICATIONS: dict[str, BudgetNotifications] = _merged(dict(f.budget_notifications) for f in _FACTS)
# Providers whose roots are environments that must each hold a budget.
BUDGETED_PROVIDERS: tuple[str, ...] = _joined(f.budgeted_providers for f in _FACTS)

# MLG005 -- data stores and registries, and how each shows a customer-managed key.
CUSTOMER_KEYS: dict[str, CustomerKey] = _merged(dict(f.customer_keys) for f in _FACTS)

# MLG006 -- module components that hold data or keys (last path element of the module source).
PROTECTED_MODULE_COMPONENTS: frozenset[str] = frozenset(
    {"storage", "kms", "keys", "key_vault", "registry", "state", "state_bootstrap", "state-bootstrap"}
)
# MLG006 -- data-store resources declared directly in a prod root need prevent_destroy.
PROTECTED_RESOURCES: tuple[str, ...] = _joined(f.protected_resources for f in _FACTS)
# ... or a provider-side guard that refuses the destroy: type -> (attribute, default).
NATIVE_DELETION_PROTECTION: dict[str, tuple[str, bool]] = _merged(
    dict(f.native_deletion_protection) for f in _FACTS
)

# MLG007 -- (separator, services) per cloud: "<service><separator>*" grants a whole data service.
DATA_SERVICE_WILDCARDS: tuple[tuple[str, frozenset[str]], ...] = tuple(
    (f.action_separator, f.data_services) for f in _FACTS if f.data_services
)
# The clouds that write IAM as JSON statements of actions (AWS), by data source.
POLICY_DOCUMENTS: dict[str, ActionPolicyDocuments] = {
    f.policy_documents.data_source: f.policy_documents for f in _FACTS if f.policy_documents
}
# Identity policies carrying inline JSON: resource type -> (dotted path, the cloud's document grammar).
INLINE_POLICY_DOCUMENTS: dict[str, tuple[str, ActionPolicyDocuments]] = {
    resource_type: (path, f.policy_documents)
    for f in _FACTS
    if f.policy_documents
    for resource_type, path in f.policy_documents.inline_json.items()
}
ROLE_DEFINITIONS: dict[str, RoleDefinitions] = _merged(dict(f.role_definitions) for f in _FACTS)
# Role grants: type -> dotted path to the role name; the roles that are wildcards (lower-cased).
ROLE_GRANTS: dict[str, str] = _merged(dict(f.role_grants) for f in _FACTS)
ROLE_GRANT_DATA_SOURCES: dict[str, str] = _merged(dict(f.role_grant_data_sources) for f in _FACTS)
WILDCARD_ROLES: frozenset[str] = frozenset().union(*(f.wildcard_roles for f in _FACTS))

# MLG008 -- module inputs (at any depth) that name a container image: "image", "*_image", "*image_uri".
IMAGE_INPUT_SUFFIXES: tuple[str, ...] = ("image", "image_uri")

# MLG008 -- where infrastructure names container images: resource type -> dotted paths to the image.
IMAGE_ATTRIBUTES: dict[str, tuple[str, ...]] = _merged(dict(f.image_attributes) for f in _FACTS)


def facts_for_type(resource_type: str) -> PolicyFacts | None:
    """The cloud a resource type belongs to (``google_*`` -> gcp), for cloud words in messages."""
    for facts in _FACTS:
        if any(resource_type.startswith(f"{provider.split('-')[0]}_") for provider in facts.providers):
            return facts
    return None
