"""What the ML policies need to know about a cloud's Terraform, typed: resource types per concern.

Each cloud's values live in ``clouds/<cloud>/policy_facts.py``; the cloud-neutral checks in
``mlgen.policy.checks`` read the facts of every cloud through :func:`mlgen.clouds.policy_facts`, because a
project's Terraform is scanned whatever cloud its spec names. Every resource type, attribute path and
provider value a check reads is here, so a check's code names none. Attribute paths are dotted
(``scheduling.provisioning_model``); where a path crosses repeated blocks every block is read. Pure
data: importing this costs nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class OnlyWhen:
    """Narrows a resource type that serves many purposes to the blocks a policy means, by one attribute.

    AWS application autoscaling targets scale ECS services and DynamoDB tables too; only the
    ``sagemaker`` namespace is an endpoint. Values compare lower-cased.
    """

    attribute: str
    values: frozenset[str]


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
    # the capacity is described by a JSON document in this attribute (the job-defaults object a landing
    # zone writes for `mlgen train submit`): the paths above are read inside that document
    json_document: str = ""
    only_when: OnlyWhen | None = None  # the resource type is GPU capacity only for these values


@dataclass(frozen=True)
class EndpointScaling:
    """MLG003: where an endpoint's autoscaling resource keeps its replica bounds."""

    max_attribute: str
    min_attribute: str
    repeats: bool = False  # the bounds sit in repeated blocks (Azure autoscale profiles): each is judged
    only_when: OnlyWhen | None = None  # the resource type is an endpoint only for these values


@dataclass(frozen=True)
class BudgetNotifications:
    """MLG004: how a budget resource type tells someone that a threshold was crossed."""

    block: str  # the (repeated) notification / threshold block
    # attributes inside the block naming recipients (emails, topics, roles); any one set is enough
    recipients: tuple[str, ...] = ()
    # attributes of the budget itself naming recipients of every block (GCP's all_updates_rule channels)
    budget_recipients: tuple[str, ...] = ()
    # a boolean that, when true, turns off the recipients the cloud notifies by default; empty when the
    # cloud notifies nobody by default. GCP mails the billing account's admins unless it is set.
    default_recipients_off: str = ""


@dataclass(frozen=True)
class CustomerKey:
    """MLG005: how a resource type shows that a customer-managed key encrypts it.

    Passes when, in some block at ``block`` (the resource itself when empty), one of ``key_attributes``
    is set and, where ``algorithm_attribute`` is given, it is one of ``algorithms``.
    """

    key_attributes: tuple[str, ...]
    block: str = ""
    algorithm_attribute: str = ""
    algorithms: frozenset[str] = frozenset()  # lower-cased
    # a separate resource type that encrypts this one by referencing it (S3 since AWS provider v4,
    # azurerm_storage_account_customer_managed_key): referenced by one = encrypted, that one is judged itself
    encrypted_by: str = ""
    # a block whose name says "log" is out of scope, read from this attribute and the address: S3 server
    # access logging only delivers to SSE-S3 buckets, so an access-log bucket cannot use a CMK
    log_exempt_name_attribute: str = ""


@dataclass(frozen=True)
class ActionPolicyDocuments:
    """MLG007 for IAM written as statements of actions (AWS's JSON policy grammar)."""

    data_source: str  # data source whose `statement` blocks are a policy document
    # identity policies carrying inline JSON: resource type -> dotted path (may cross repeated blocks)
    inline_json: Mapping[str, str] = field(default_factory=dict)
    principal_type: str = ""  # `principals { type = ... }` value that names accounts ("AWS")
    principal_json_key: str = ""  # the same in JSON documents ("Principal": {"AWS": ...})
    # a key policy's grant of these actions to a principal matching this pattern is left alone: AWS
    # requires delegating the key to the account root, so that IAM policies (checked here) can grant its use
    delegation_principal_pattern: str = ""
    delegation_actions: frozenset[str] = frozenset()


@dataclass(frozen=True)
class RoleDefinitions:
    """MLG007 for custom roles that list actions (azurerm_role_definition `permissions`)."""

    block: str  # the repeated permissions block
    action_attributes: tuple[str, ...]  # lists of allowed actions (control and data plane)


@dataclass(frozen=True)
class PolicyFacts:
    cloud: str
    # Terraform providers of this cloud; resource types start with "<provider>_" (google-beta's too: google_)
    providers: tuple[str, ...] = ()
    # MLG001 -- Terraform providers whose default tags/labels reach every resource: provider -> (block, key)
    default_tag_providers: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    # MLG001 -- resource types that must carry the tags themselves: resource type -> tag attribute
    self_tagged_resources: Mapping[str, str] = field(default_factory=dict)
    # MLG002 -- GPU machine families (prefix match on the lower-cased machine type)
    gpu_instance_prefixes: tuple[str, ...] = ()
    gpu_capacity: Mapping[str, GpuCapacity] = field(default_factory=dict)
    # MLG003 -- endpoint autoscaling resources and where their bounds are
    endpoint_autoscaling: Mapping[str, EndpointScaling] = field(default_factory=dict)
    # MLG004 -- budget resource types and how they notify
    budget_notifications: Mapping[str, BudgetNotifications] = field(default_factory=dict)
    budgeted_providers: tuple[str, ...] = ()  # providers whose roots are environments needing a budget
    # MLG005 -- data stores and registries, and how each shows a customer-managed key
    customer_keys: Mapping[str, CustomerKey] = field(default_factory=dict)
    key_service: str = ""  # what the cloud calls its key service, for messages ("KMS", "Key Vault")
    # MLG006 -- data-store resources declared directly in a prod root need prevent_destroy
    protected_resources: tuple[str, ...] = ()
    # MLG006 -- a provider-side guard that protects as well as prevent_destroy: type -> (attribute, default)
    native_deletion_protection: Mapping[str, tuple[str, bool]] = field(default_factory=dict)
    # MLG007 -- services whose data or keys must never be granted with a wildcard (lower-cased), and the
    # character between service and action ("s3:GetObject", "Microsoft.Storage/storageAccounts/read")
    data_services: frozenset[str] = frozenset()
    action_separator: str = ":"
    policy_documents: ActionPolicyDocuments | None = None
    role_definitions: Mapping[str, RoleDefinitions] = field(default_factory=dict)
    # MLG007 -- role grants: resource type -> dotted path to the role name
    role_grants: Mapping[str, str] = field(default_factory=dict)
    # ... the same for data sources that build a whole policy (google_iam_policy's repeated bindings)
    role_grant_data_sources: Mapping[str, str] = field(default_factory=dict)
    # roles that grant every action of a data service or of everything (lower-cased names)
    wildcard_roles: frozenset[str] = frozenset()
    # MLG008 -- where infrastructure names container images: resource type -> dotted paths to the image
    image_attributes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # What a policy cannot see in this cloud's Terraform, and what it judges instead: policy id -> note.
    # `mlgen check` prints each note for a project holding this cloud's Terraform, so a gap is said, not a
    # silent pass.
    coverage_notes: Mapping[str, str] = field(default_factory=dict)
    # How to fix a policy's failure in this cloud's words: policy id -> hint. A failure on this cloud's
    # resources carries it instead of the catalog's general fix (which names every cloud's attributes).
    fix_hints: Mapping[str, str] = field(default_factory=dict)
