"""The landing-zone root of one GCP environment: which modules it calls, with which values.

This is the one place that maps the plan's cloud-neutral choices onto the inputs of modules/gcp/*. Every
name comes from mlgen.clouds.gcp.naming, which the ops commands read too.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from mlgen.clouds.base import TerraformRoot
from mlgen.clouds.gcp import catalog, naming
from mlgen.clouds.gcp.root_blocks import (
    MODULES,
    TERRAFORM_VERSION,
    google_providers,
    outputs,
    root_locals,
    terraform_root,
)
from mlgen.plan import EnvironmentPlan
from mlgen.render.hcl_emitter import Expr, Ref
from mlgen.render.root_model import Backend, DataSource, ModuleCall, Output, RootModule, Validation, Variable

JOB_DEFAULTS_SCHEMA_VERSION = 1  # mlgen.clouds.gcp.ops.job_defaults.SCHEMA_VERSION
BOOT_DISK = {"type": "pd-ssd", "size_gb": 100}
STAGING_ZONE = "staging"  # the Vertex AI staging bucket, made with the zone buckets
# Tagged images are never deleted: releases are v<version>, CI pushes git-<sha>.
KEEP_TAG_PREFIXES = ["v", "git-"]
# The MLflow server image (ghcr.io/mlflow/mlflow through an Artifact Registry remote repository), at the
# version the training and serving images pin (mlflow==3.17.2): a 3.x client against a 2.x server breaks.
MLFLOW_IMAGE = "mlflow/mlflow:v3.17.2"
COMMON_INPUTS = {"project_id": Ref("local.project_id")}
UNLABELLED = {"iam"}  # modules whose resources take no labels
NEEDS_SERVICES = {"depends_on": [Ref("module.services")]}

SERVICES = [
    "aiplatform.googleapis.com",
    "artifactregistry.googleapis.com",
    "billingbudgets.googleapis.com",
    "cloudasset.googleapis.com",  # the teardown sweep searches what carries the project's labels
    "cloudkms.googleapis.com",
    "cloudquotas.googleapis.com",  # mlgen doctor reads Vertex AI's GPU and CPU quotas through it
    "cloudresourcemanager.googleapis.com",
    "compute.googleapis.com",
    "containerscanning.googleapis.com",
    "dns.googleapis.com",
    "iam.googleapis.com",
    "iamcredentials.googleapis.com",
    "logging.googleapis.com",
    "monitoring.googleapis.com",
    "pubsub.googleapis.com",
    "servicenetworking.googleapis.com",
    "storage.googleapis.com",
    "sts.googleapis.com",
]
TRACKING_SERVICES = ["run.googleapis.com", "sqladmin.googleapis.com"]
# Service agent -> the key purpose it encrypts with (modules/gcp/kms grants each agent its key only).
AGENTS = {
    "aiplatform": "vertex",
    "artifactregistry": "registry",
    "compute": "compute",
    "logging": "logging",
    "pubsub": "pubsub",
    "storage": "storage",
}
TRACKING_AGENTS = {"sqladmin": "sql"}


def _call(
    name: str, component: str, inputs: dict[str, Any], meta: dict[str, Any] | None = None
) -> ModuleCall:
    labels = {} if component in UNLABELLED else {"labels": Ref("local.labels")}
    return ModuleCall(
        name, f"{MODULES}/{component}", {**COMMON_INPUTS, **labels, **inputs}, meta=meta or NEEDS_SERVICES
    )


def _tracking_on(env: EnvironmentPlan) -> bool:
    return env.tracking.mlflow != "none"


def _key(purpose: str) -> Ref:
    return Ref(f'module.kms.key_ids["{purpose}"]')


def _services(env: EnvironmentPlan) -> ModuleCall:
    services = SERVICES + (TRACKING_SERVICES if _tracking_on(env) else [])
    return ModuleCall(
        "services",
        f"{MODULES}/project_services",
        {"project_id": Ref("local.project_id"), "services": sorted(services)},
    )


def _kms(env: EnvironmentPlan) -> ModuleCall:
    agents = {**AGENTS, **(TRACKING_AGENTS if _tracking_on(env) else {})}
    return _call(
        "kms",
        "kms",
        {
            "project_number": Ref("data.google_project.this.number"),
            "location": env.region,
            "key_ring_name": naming.key_ring(env),
            "keys": {purpose: naming.crypto_key(env, purpose) for purpose in sorted(set(agents.values()))},
            "agents": dict(sorted(agents.items())),
            "deletion_protection": env.deletion_protection,
            "key_destroy_scheduled_days": env.encryption.key_deletion_window_days,
        },
    )


def _subnets(env: EnvironmentPlan) -> tuple[str, str]:
    """The workload subnet and the private-services range (Cloud SQL, Vertex peering): the two halves."""
    workloads, services = ipaddress.IPv4Network(env.network.cidr).subnets(prefixlen_diff=1)
    return str(workloads), str(services)


def _network(env: EnvironmentPlan) -> ModuleCall:
    workloads, services = _subnets(env)
    return _call(
        "network",
        "network",
        {
            "region": env.region,
            "network_name": naming.network_name(env),
            "subnet_name": naming.subnet_name(env),
            "subnet_cidr": workloads,
            "private_services_cidr": services,
            "nat_mode": env.network.nat,
            "flow_log_sampling": 0.5,
            "flow_log_retention_days": env.network.flow_log_retention_days,
            "logging_kms_key_id": _key("logging"),
        },
    )


def _buckets(env: EnvironmentPlan) -> dict[str, str]:
    zones = sorted({*env.storage.zones, STAGING_ZONE})
    return {zone: naming.bucket_name(env, zone) for zone in zones}


def _storage(env: EnvironmentPlan) -> ModuleCall:
    return _call(
        "storage",
        "storage",
        {
            "location": env.region,
            "buckets": _buckets(env),
            "log_bucket_name": naming.bucket_name(env, "access-logs"),
            "kms_key_id": _key("storage"),
            "deletion_protection": env.deletion_protection,
            "noncurrent_version_expiration_days": env.storage.noncurrent_version_expiration_days,
            "transition_to_nearline_days": env.storage.transition_to_ia_days,
            "access_log_retention_days": env.storage.access_log_retention_days,
        },
    )


def _registry(env: EnvironmentPlan) -> ModuleCall:
    return _call(
        "registry",
        "registry",
        {
            "location": env.region,
            "repository_id": naming.repository_id(env),
            "kms_key_id": _key("registry"),
            "deletion_protection": env.deletion_protection,
            "keep_tag_prefixes": KEEP_TAG_PREFIXES,
        },
    )


def _branch_condition(branch: str) -> str:
    """A CEL test of the GitHub token's ref for one branch or glob (a '*' matches within one path part)."""
    if branch.endswith("*") and "*" not in branch[:-1]:
        return f"assertion.ref.startsWith('refs/heads/{branch[:-1]}')"
    if "*" in branch:
        # RE2 through CEL; '.' stays a wildcard (a read-only plan identity, so slightly wider is harmless).
        return f"assertion.ref.matches('^refs/heads/{branch.replace('*', '[^/]*')}$')"
    return f"assertion.ref == 'refs/heads/{branch}'"


def _ci_input(env: EnvironmentPlan) -> Any:
    ci = env.access.ci
    if ci is None:
        return None
    # Plans: pull requests and the listed branches; applies: only jobs in the GitHub deployment environment
    # named after this environment (its required reviewers approve each apply).
    plan = " || ".join(
        [f"assertion.sub == 'repo:{ci.repository}:pull_request'", *map(_branch_condition, ci.branches)]
    )
    apply = f"assertion.sub == 'repo:{ci.repository}:environment:{env.name}'"
    return {
        "repository": ci.repository,
        "pool_id": naming.workload_identity_pool_id(env),
        "provider_id": naming.CI_PROVIDER_ID,
        # The provider refuses every token of another repository, and those of this one that neither a
        # plan nor this environment's apply job could use.
        "attribute_condition": f"assertion.repository == '{ci.repository}' && ({plan} || {apply})",
        "plan_condition": plan,
        "apply_environment": env.name,
    }


def _duties(env: EnvironmentPlan) -> list[str]:
    duties = ["training", "serving", "data_scientist"]
    if env.access.ci is not None:
        duties += ["ci_plan", "ci_apply"]
    if _tracking_on(env):
        duties.append("tracking")
    return duties


def _iam(env: EnvironmentPlan) -> ModuleCall:
    return _call(
        "iam",
        "iam",
        {
            "project_number": Ref("data.google_project.this.number"),
            "service_accounts": {duty: naming.service_account_id(env, duty) for duty in _duties(env)},
            "bucket_names": Ref("module.storage.bucket_names"),
            "repository_id": Ref("module.registry.repository_id"),
            "location": env.region,
            "state_bucket_name": env.state.bucket,
            "data_scientist_principals": list(env.access.data_scientist_principals),
            "ci": _ci_input(env),
        },
    )


def _machine(env: EnvironmentPlan) -> catalog.GpuMachine:
    return catalog.gpu_machine(env.training.gpu, env.training.gpus_per_node)


def _job_defaults(env: EnvironmentPlan) -> dict[str, Any]:
    """The keys of mlgen.clouds.gcp.ops.job_defaults.JobDefaults, in its order."""
    machine, training = _machine(env), env.training
    return {
        "schema_version": JOB_DEFAULTS_SCHEMA_VERSION,
        "project_id": env.account_id,
        "project_number": Ref("data.google_project.this.number"),
        "region": env.region,
        "network": Expr(
            '"projects/${data.google_project.this.number}/global/networks/${module.network.network_name}"'
        ),
        "image_uri": Expr(f'"{naming.image_uri(env, "training", "${var.training_image_tag}")}"'),
        "machine_type": machine.machine_type,
        "accelerator_type": machine.vertex_accelerator,
        "accelerator_count": training.gpus_per_node,
        "replica_count": training.nodes,
        "boot_disk_type": BOOT_DISK["type"],
        "boot_disk_size_gb": BOOT_DISK["size_gb"],
        "spot": training.spot,
        "restart_job_on_worker_restart": True,
        "max_runtime_seconds": training.max_runtime_hours * 3600,
        "service_account": Ref('module.iam.service_account_emails["training"]'),
        "kms_key_name": _key("vertex"),
        # Map keys as attributes (.artifacts): templates without nested quotes read the same in every parser.
        "base_output_uri": Expr('"gs://${module.storage.bucket_names.artifacts}/jobs"'),
        "staging_bucket": Expr(f'"gs://${{module.storage.bucket_names.{STAGING_ZONE}}}"'),
        "mlflow_tracking_uri": Ref("module.tracking.uri") if _tracking_on(env) else "",
    }


def _training(env: EnvironmentPlan) -> ModuleCall:
    machine, training = _machine(env), env.training
    inputs: dict[str, Any] = {
        "artifacts_bucket_name": Ref('module.storage.bucket_names["artifacts"]'),
        "job_defaults_object": naming.JOB_DEFAULTS_OBJECT,
        "job_defaults": _job_defaults(env),
        "vm_enabled": training.platform == "vm",
    }
    if training.platform == "vm":
        inputs["vm"] = {
            "region": env.region,
            "template_name_prefix": naming.instance_template_prefix(env),
            "group_name": naming.gpu_group_name(env),
            "machine_type": machine.machine_type,
            # A2/A3/G2 machine types carry their GPUs; only N1 takes attached accelerators.
            "accelerator_type": ""
            if catalog.bundles_gpus(machine.machine_type)
            else machine.accelerator_type,
            "accelerator_count": 0 if catalog.bundles_gpus(machine.machine_type) else training.gpus_per_node,
            "max_instances": training.vm_max_instances,
            "subnetwork": Ref("module.network.subnet_self_link"),
            "service_account": Ref('module.iam.service_account_emails["training"]'),
            "kms_key_id": _key("compute"),
            "boot_disk_size_gb": BOOT_DISK["size_gb"],
        }
    return _call("training", "training", inputs)


def _tracking(env: EnvironmentPlan) -> ModuleCall:
    size = catalog.TRACKING_SIZES[env.tracking.server_size]
    return _call(
        "tracking",
        "tracking",
        {
            "region": env.region,
            "name": naming.tracking_service_name(env),
            "remote_repository_id": naming.remote_repository_id(env),
            "image": MLFLOW_IMAGE,
            "network_id": Ref("module.network.network_id"),
            "subnet_id": Ref("module.network.subnet_id"),
            "private_services_connection": Ref("module.network.private_services_connection"),
            "sql_tier": size["sql_tier"],
            "cpu": size["cpu"],
            "memory": size["memory"],
            "kms_key_id": _key("sql"),
            "registry_kms_key_id": _key("registry"),
            "artifacts_bucket_name": Ref('module.storage.bucket_names["artifacts"]'),
            "service_account_email": Ref('module.iam.service_account_emails["tracking"]'),
            # Keys known at plan time (for_each); the members are known only after the accounts exist.
            "invokers": {
                duty: Expr(f'"serviceAccount:${{module.iam.service_account_emails.{duty}}}"')
                for duty in ("data_scientist", "training")
            },
            "deletion_protection": env.deletion_protection,
        },
    )


def _serving(env: EnvironmentPlan) -> ModuleCall:
    endpoints = {
        endpoint.name: {
            "id": naming.endpoint_id(env, endpoint.name),
            "display_name": naming.endpoint_display_name(env, endpoint.name),
        }
        for endpoint in env.serving.endpoints
    }
    return _call(
        "serving",
        "serving",
        {
            "region": env.region,
            "kms_key_id": _key("vertex"),
            "endpoints": endpoints,
            # private_endpoints: Private Service Connect endpoints (not VPC peering, which serves one model
            # and no traffic split; see modules/gcp/serving), reachable only from this project's VPC.
            "private": env.network.private_endpoints,
        },
        meta={"depends_on": [Ref("module.services"), Ref("module.network")]},
    )


def _budgets(env: EnvironmentPlan) -> ModuleCall:
    return _call(
        "budgets",
        "budgets",
        {
            "billing_account": Ref("data.google_project.this.billing_account"),
            "project_number": Ref("data.google_project.this.number"),
            "display_name": naming.budget_name(env),
            "topic_name": naming.budget_topic(env),
            "kms_key_id": _key("pubsub"),
            "monthly_amount": env.budgets.monthly_amount,
            "currency": env.budgets.currency,
            "thresholds": list(env.budgets.thresholds),
            "emails": list(env.budgets.emails),
        },
    )


def _monitoring(env: EnvironmentPlan) -> ModuleCall:
    return _call(
        "monitoring",
        "monitoring",
        {
            "name": env.prefix,
            "emails": list(env.monitoring.emails),
            "endpoint_ids": {e.name: naming.endpoint_id(env, e.name) for e in env.serving.endpoints},
            "p99_latency_ms": env.monitoring.p99_latency_ms,
            "error_rate_percent": env.monitoring.error_rate_percent,
            "log_retention_days": env.monitoring.log_retention_days,
        },
    )


def _variables() -> tuple[Variable, ...]:
    return (
        Variable(
            "training_image_tag",
            description="Tag of the training image in the environment's Artifact Registry repository that "
            "training jobs run (written into the job defaults).",
            type=Expr("string"),
            default="v1",
            validations=(
                Validation(
                    Expr('var.training_image_tag != "latest"'),
                    "Tags are immutable: use a versioned tag, not latest.",
                ),
            ),
        ),
    )


def _outputs(env: EnvironmentPlan) -> tuple[Output, ...]:
    triples = [
        ("project_number", "data.google_project.this.number", "Number of the environment's project."),
        ("kms_key_ids", "module.kms.key_ids", "Cloud KMS key ids by purpose."),
        ("network_self_link", "module.network.network_self_link", "Self link of the environment's VPC."),
        ("subnet_self_link", "module.network.subnet_self_link", "Private subnet for training and serving."),
        ("bucket_names", "module.storage.bucket_names", "Bucket names by zone (and staging)."),
        ("repository_url", "module.registry.repository_url", "Artifact Registry Docker repository URL."),
        ("service_account_emails", "module.iam.service_account_emails", "Service account e-mails by duty."),
        (
            "ci_plan_service_account",
            "module.iam.ci_plan_service_account",
            "Read-only service account pull requests impersonate to plan (null without access.ci).",
        ),
        (
            "ci_apply_service_account",
            "module.iam.ci_apply_service_account",
            "Service account the approved apply job impersonates (null without access.ci).",
        ),
        (
            "ci_workload_identity_provider",
            "module.iam.workload_identity_provider",
            "Workload Identity Federation provider name for google-github-actions/auth (null without access.ci).",
        ),
        (
            "job_defaults_uri",
            "module.training.job_defaults_uri",
            "gs:// URI of the job defaults `mlgen train submit` reads.",
        ),
        ("budget_name", "module.budgets.budget_name", "Resource name of the monthly billing budget."),
        ("notification_channels", "module.monitoring.notification_channels", "Alert e-mail channels."),
        ("endpoint_ids", "module.serving.endpoint_ids", "Vertex AI endpoint ids by name."),
    ]
    if _tracking_on(env):
        triples.append(("mlflow_tracking_uri", "module.tracking.uri", "URL of the MLflow tracking server."))
    return outputs(triples)


def environment_root(project: str, env: EnvironmentPlan) -> TerraformRoot:
    calls = [
        _services(env),
        _kms(env),
        _network(env),
        _storage(env),
        _registry(env),
        _iam(env),
        _training(env),
    ]
    if _tracking_on(env):
        calls.append(_tracking(env))
    calls += [_serving(env), _budgets(env), _monitoring(env)]
    backend = {"bucket": env.state.bucket, "prefix": env.state.key.removesuffix(".tfstate")}
    return terraform_root(
        RootModule(
            directory=f"infra/envs/{env.name}",
            required_version=TERRAFORM_VERSION,
            providers=google_providers(env),
            backend=Backend("gcs", backend),
            locals=root_locals(project, env),
            data_sources=(DataSource("google_project", "this", {"project_id": env.account_id}),),
            variables=_variables(),
            modules=tuple(calls),
            outputs=_outputs(env),
        )
    )
