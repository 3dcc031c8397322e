"""mlgen's own ML policies: id, name, why it matters and how to fix it.

One table, read by the checkov checks (names), the reports (help text, SARIF rules) and the docs. The
texts are cloud-neutral or name each cloud's form side by side; a failure on a cloud's resources carries
that cloud's own fix hint instead (``PolicyFacts.fix_hints`` in clouds/<cloud>/policy_facts.py).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Policy:
    id: str
    name: str
    why: str
    fix: str


POLICIES: tuple[Policy, ...] = (
    Policy(
        "MLG001",
        "Every taggable resource carries project, environment, owner, cost-center and managed-by tags",
        "Cost allocation, ownership and clean-up all key on these tags; an untagged GPU or bucket is spend "
        "nobody owns.",
        "Set the five tags in the provider's default_tags (AWS) / default_labels (GCP) block of every "
        "environment root, or on the resource's own tags where the provider has no defaults (Azure).",
    ),
    Policy(
        "MLG002",
        "GPU training capacity outside prod is spot/preemptible",
        "On-demand GPUs cost 3-10x spot; dev and staging training tolerates interruption because the "
        "training image checkpoints and resumes.",
        'Use spot capacity: instance_market_options { market_type = "spot" } on AWS launch templates, '
        'on_demand_percentage_above_base_capacity = 0 in ASG mixed policies, provisioning_model = "SPOT" '
        'on GCP, priority "Spot"/"LowPriority" on Azure.',
    ),
    Policy(
        "MLG003",
        "Every endpoint's autoscaling has a bounded maximum",
        "An endpoint that can scale without bound turns a traffic spike or a retry storm into an "
        "unbounded bill.",
        "Set the autoscaling maximum (max_capacity / max_replica_count / maximum) to an explicit number "
        "no larger than 100 and not below the minimum (serving.endpoints[].max_replicas in mlgen.yaml).",
    ),
    Policy(
        "MLG004",
        "Every environment has a budget with at least one notification",
        "GPU spend surprises are found by the invoice unless someone is told when a budget threshold "
        "is crossed.",
        "Add a budget resource to each environment root (mlgen's budgets module) with at least one "
        "notification that reaches someone: an email, a topic or a notification channel (budgets.thresholds "
        "and budgets.emails in mlgen.yaml).",
    ),
    Policy(
        "MLG005",
        "Data buckets and registries are encrypted with a customer-managed key",
        "A customer-managed key lets you audit and revoke access to training data and model images "
        "independently of storage permissions, and is required by most data-protection reviews.",
        'Encrypt with the environment\'s customer-managed key: sse_algorithm = "aws:kms" plus '
        'kms_master_key_id, ECR encryption_type = "KMS" plus kms_key (AWS); default_kms_key_name / '
        "kms_key_name (GCP); a customer-managed Key Vault key (Azure).",
    ),
    Policy(
        "MLG006",
        "Prod data stores and keys are protected against destroy",
        "A mistaken `terraform destroy` or a renamed resource in prod must not delete training data, "
        "model registries, state or the key that decrypts them.",
        "In the prod root pass deletion_protection = true to the storage, kms, registry and state "
        "modules (environments.prod.deletion_protection in mlgen.yaml); resources declared directly in a "
        "prod root need lifecycle { prevent_destroy = true }.",
    ),
    Policy(
        "MLG007",
        "No IAM policy grants wildcard actions on data stores or keys",
        "A service-wide wildcard (`s3:*`, `kms:*`, `Microsoft.Storage/*`, `*`) or a role that is one "
        "(roles/editor, roles/storage.admin, Owner, Contributor) grants deletion, policy changes and key "
        "scheduling to whoever holds it; least privilege limits the blast radius of a leaked CI or notebook "
        "credential.",
        "List the actions the role needs (e.g. s3:GetObject, s3:PutObject, kms:Decrypt, "
        "kms:GenerateDataKey) instead of a service-wide wildcard, or grant the narrowest predefined role.",
    ),
    Policy(
        "MLG008",
        "Container images are pinned (no latest, no missing tag)",
        "An unpinned image changes under you: training stops being reproducible and serving can roll out "
        "code nobody reviewed.",
        "Reference images by an explicit version tag or, better, a digest (image:1.2.3 or "
        "image@sha256:...), in Dockerfiles (FROM) and in infrastructure (model/container image).",
    ),
    Policy(
        "MLG009",
        "Idle cost stays well inside each environment's budget",
        "When what bills with nothing running (NAT, private endpoints, tracking server, endpoints at min "
        "replicas) already crosses the budget's first alert, every alert is noise and the budget guards "
        "nothing.",
        "Raise budgets.monthly_amount, or cut idle cost: network.nat, network.endpoint_zones, "
        "tracking.mlflow/server_size, serving.endpoints[].min_replicas or serverless. `mlgen cost` "
        "shows every line.",
    ),
)

POLICY_BY_ID: dict[str, Policy] = {policy.id: policy for policy in POLICIES}
