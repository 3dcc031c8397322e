"""What the ML policies need to know about a cloud's Terraform, typed: resource types per concern.

Each cloud's values live in ``clouds/<cloud>/policy_facts.py``; the cloud-neutral checks in
``mlgen.policy.checks`` read the facts of every cloud through :func:`mlgen.clouds.policy_facts`, because a
project's Terraform is scanned whatever cloud its spec names. Pure data: importing this costs nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class GpuCapacity:
    """MLG002: a resource type that buys machines, where its machine type is and what makes it spot."""

    machine_attribute: str  # dotted path to the machine type
    machine_attribute_repeats: bool = False  # the path crosses repeated blocks (one machine type per block)
    accelerator_attribute: str = ""  # any value here (an attached accelerator) makes it GPU capacity
    # dotted path -> lower-cased values that mean spot/preemptible (any one matching is enough)
    spot_values: Mapping[str, frozenset[str]] = field(default_factory=dict)
    spot_flags: tuple[str, ...] = ()  # boolean attributes that mean spot when true
    # numeric attributes that mean spot-only when every one is 0 (on-demand capacity of a mixed group)
    spot_when_zero: tuple[str, ...] = ()
    # a group resource type that launches this one: spot when every such group using it is spot
    spot_when_launched_by: str = ""


@dataclass(frozen=True)
class PolicyFacts:
    cloud: str
    # MLG001 -- Terraform providers whose default tags/labels reach every resource: provider -> (block, key)
    default_tag_providers: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    # MLG001 -- resource types that must carry the tags themselves: resource type -> tag attribute
    self_tagged_resources: Mapping[str, str] = field(default_factory=dict)
    # MLG002 -- GPU machine families (prefix match on the lower-cased machine type)
    gpu_instance_prefixes: tuple[str, ...] = ()
    gpu_capacity: Mapping[str, GpuCapacity] = field(default_factory=dict)
    # MLG003 -- endpoint autoscaling resources: type -> (max attribute, min attribute)
    endpoint_autoscaling: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    endpoint_scaling_namespaces: frozenset[str] = frozenset()  # autoscaling namespaces that are endpoints
    # MLG004 -- budget resource types -> the attribute holding their notifications
    budget_notifications: Mapping[str, str] = field(default_factory=dict)
    budgeted_providers: tuple[str, ...] = ()  # providers whose roots are environments needing a budget
    # MLG005 -- the bucket type whose encryption lives in a separate configuration resource
    bucket_type: str = ""
    bucket_encryption_type: str = ""
    cmk_algorithms: frozenset[str] = frozenset()  # encryption algorithms that use a customer-managed key
    # MLG006 -- data-store resources declared directly in a prod root need prevent_destroy
    protected_resources: tuple[str, ...] = ()
    # MLG007 -- services whose data or keys must never be granted with a wildcard
    data_services: frozenset[str] = frozenset()
    inline_policy_attributes: Mapping[str, str] = field(default_factory=dict)  # type -> inline JSON attribute
    # MLG008 -- where infrastructure names container images: resource type -> dotted paths to the image
    image_attributes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
