"""The landing-zone root of one AWS environment: which modules it calls, with which values.

This is the one place that maps the plan's cloud-neutral choices onto the inputs of modules/aws/*.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from mlgen.clouds.aws import catalog
from mlgen.clouds.aws.root_blocks import TERRAFORM_VERSION, aws_provider, outputs, terraform_root
from mlgen.clouds.base import TerraformRoot
from mlgen.plan import EnvironmentPlan
from mlgen.plan.variants import endpoint_variants
from mlgen.render.hcl_emitter import Expr, Ref
from mlgen.render.root_model import Backend, DataSource, ModuleCall, Output, RootModule, Validation, Variable

MODULES = "../../modules/aws"
REPOSITORIES = ["serving", "training"]
# The committed release the root reads (Terraform loads *.auto.tfvars.json by itself). mlgen writes it once
# with serving_release = null; `mlgen release` and people own it from then on: {"serving_release": {...}}.
RELEASE_FILE = "release.auto.tfvars.json"
# SageMaker managed spot: MaxWaitTimeInSeconds must exceed the run time; twice the run time leaves room
# for capacity to come back after an interruption.
SPOT_WAIT_FACTOR = 2
MLFLOW_SERVER_SIZES = {"small": "Small", "medium": "Medium", "large": "Large"}

COMMON_INPUTS = {
    "project": Ref("local.project"),
    "environment": Ref("local.environment"),
    "tags": Ref("local.tags"),
}


def _call(
    name: str, component: str, inputs: dict[str, Any], meta: dict[str, Any] | None = None
) -> ModuleCall:
    return ModuleCall(name, f"{MODULES}/{component}", {**COMMON_INPUTS, **inputs}, meta=meta or {})


def _kms(env: EnvironmentPlan) -> ModuleCall:
    return _call(
        "kms",
        "kms",
        {
            "deletion_protection": env.deletion_protection,
            "deletion_window_in_days": env.encryption.key_deletion_window_days,
            "key_user_arns": Ref("module.iam.key_user_role_arns"),
            # The GPU fleet's Auto Scaling group launches CMK-encrypted volumes as its service-linked role.
            "allow_autoscaling_service_role": env.training.platform == "vm",
        },
    )


def _network(env: EnvironmentPlan) -> ModuleCall:
    return _call(
        "network",
        "network",
        {
            "kms_key_arn": Ref("module.kms.key_arn"),
            "cidr": env.network.cidr,
            "az_count": env.network.az_count,
            "nat_mode": env.network.nat,
            "private_endpoints": env.network.private_endpoints,
            "interface_endpoints": list(catalog.INTERFACE_ENDPOINT_SERVICES),
            "flow_log_retention_days": env.network.flow_log_retention_days,
            # Omitted (the module's null: every zone) unless the spec narrows it.
            **(
                {"interface_endpoint_az_count": env.network.endpoint_zones}
                if env.network.endpoint_zones is not None
                else {}
            ),
        },
    )


def _storage(env: EnvironmentPlan) -> ModuleCall:
    return _call(
        "storage",
        "storage",
        {
            "kms_key_arn": Ref("module.kms.key_arn"),
            "deletion_protection": env.deletion_protection,
            "zones": sorted(env.storage.zones),
            "noncurrent_version_expiration_days": env.storage.noncurrent_version_expiration_days,
            "transition_to_ia_days": env.storage.transition_to_ia_days,
            "access_log_retention_days": env.storage.access_log_retention_days,
        },
    )


def _registry(env: EnvironmentPlan) -> ModuleCall:
    return _call(
        "registry",
        "registry",
        {
            "kms_key_arn": Ref("module.kms.key_arn"),
            "deletion_protection": env.deletion_protection,
            "repositories": REPOSITORIES,
        },
    )


def _ci_input(env: EnvironmentPlan) -> Any:
    ci = env.access.ci
    if ci is None:
        return None
    # The plan role (read-only) serves pull requests and the listed branches; the apply role only the
    # GitHub deployment environment named after this environment, whose required reviewers approve applies.
    inputs: dict[str, Any] = {
        "repository": ci.repository,
        "branches": list(ci.branches),
        "pull_requests": True,
        "environments": [env.name],
    }
    if ci.oidc_provider_arn is not None:
        inputs["oidc_provider_arn"] = ci.oidc_provider_arn
    return inputs


def _iam(env: EnvironmentPlan, tracking: bool) -> ModuleCall:
    return _call(
        "iam",
        "iam",
        {
            "kms_key_arn": Ref("module.kms.key_arn"),
            "bucket_arns": Ref("module.storage.bucket_arns"),
            "ecr_repository_arns": Ref("module.registry.repository_arns"),
            "mlflow_tracking_server_arn": Ref("module.tracking.tracking_server_arn") if tracking else None,
            "data_scientist_principals": list(env.access.data_scientist_principals),
            "ci": _ci_input(env),
            "state_bucket_arn": f"arn:aws:s3:::{env.state.bucket}",
            "state_kms_key_arn": Ref("data.aws_kms_alias.state.target_key_arn"),
            "state_key_prefix": f"{env.state.key_prefix}/",
            "training_jobs": {
                "subnet_ids": Ref("module.network.private_subnet_ids"),
                "security_group_ids": [Ref("module.network.workload_security_group_id")],
                "instance_types": [_training_instance_type(env)],
                "job_defaults_parameter_name": Ref("module.gpu_compute.job_defaults_parameter_name"),
            },
        },
    )


def _training_instance_type(env: EnvironmentPlan) -> str:
    return catalog.sagemaker_training_instance(env.training.gpu, env.training.gpus_per_node)


def _gpu_compute(env: EnvironmentPlan, tracking: bool) -> ModuleCall:
    training = env.training
    instance_type = _training_instance_type(env)
    inputs: dict[str, Any] = {
        "kms_key_arn": Ref("module.kms.key_arn"),
        "vpc_id": Ref("module.network.vpc_id"),
        "subnet_ids": Ref("module.network.private_subnet_ids"),
        # The network module owns the workload security group; a literal false keeps the modules' counts known.
        "create_security_group": False,
        "security_group_id": Ref("module.network.workload_security_group_id"),
        "training_role_arn": Ref("module.iam.training_role_arn"),
        "training_image_uri": Expr(
            '"${module.registry.repository_urls["training"]}:${var.training_image_tag}"'
        ),
        "artifacts_bucket_name": Ref('module.storage.bucket_names["artifacts"]'),
        "training": {
            "instance_type": instance_type,
            "instance_count": training.nodes,
            "spot": training.spot,
            "max_runtime_hours": training.max_runtime_hours,
            "max_wait_hours": training.max_runtime_hours * SPOT_WAIT_FACTOR,
            "mlflow_tracking_arn": Ref("module.tracking.tracking_server_arn") if tracking else None,
        },
        "log_retention_days": env.monitoring.log_retention_days,
        "manage_training_log_group": training.manage_log_group,
        "vm_fleet_enabled": training.platform == "vm",
    }
    if training.platform == "vm":
        inputs["vm_instance_types"] = [catalog.ec2_gpu_instance(training.gpu, training.gpus_per_node)]
        inputs["vm_max_instances"] = training.vm_max_instances
        inputs["vm_ecr_repository_arns"] = [Ref('module.registry.repository_arns["training"]')]
    return _call("gpu_compute", "gpu_compute", inputs)


def _tracking(env: EnvironmentPlan) -> ModuleCall:
    inputs: dict[str, Any] = {
        "kms_key_arn": Ref("module.kms.key_arn"),
        "artifacts_bucket_name": Ref('module.storage.bucket_names["artifacts"]'),
    }
    if env.tracking.mlflow == "serverless":
        # Same call name and output names as the tracking server, so every module.tracking.* reference holds.
        return _call("tracking", "mlflow_app", inputs)
    inputs["tracking_server_size"] = MLFLOW_SERVER_SIZES[env.tracking.server_size]
    return _call("tracking", "tracking", inputs)


def _serving_endpoints(env: EnvironmentPlan) -> dict[str, Any]:
    endpoints: dict[str, Any] = {}
    for endpoint in env.serving.endpoints:
        size = catalog.endpoint_size(endpoint.size)
        variants = endpoint_variants(endpoint)
        if endpoint.variants:
            variants = {
                name: {**values, **_released_variant(name, values)} for name, values in variants.items()
            }
        spec: dict[str, Any] = {
            "serverless": endpoint.serverless,
            "model_data_url": Ref("var.serving_release.model_data_url"),
            "variants": variants,
        }
        if endpoint.serverless:
            spec["serverless_memory_mb"] = size.serverless_memory_mb
            spec["serverless_max_concurrency"] = endpoint.max_concurrency
        else:
            spec["instance_type"] = size.instance_type
        endpoints[endpoint.name] = spec
    return endpoints


def _released_variant(name: str, values: dict[str, Any]) -> dict[str, Any]:
    """A canary variant as the release file says: its own image tag and model where `mlgen release --variant`
    set them (else the release's), and its weight where `--weights` shifted it (else the spec's)."""
    own = f'try(var.serving_release.variants["{name}"]'
    return {
        "weight": Expr(f'try(var.serving_release.weights["{name}"], {values["weight"]})'),
        "image_uri": Expr(
            '"${module.registry.repository_urls["serving"]}:'
            f'${{coalesce({own}.image_tag, null), var.serving_release.image_tag)}}"'
        ),
        "model_data_url": Expr(f"coalesce({own}.model_data_url, null), var.serving_release.model_data_url)"),
    }


def _serving(env: EnvironmentPlan) -> ModuleCall:
    # Endpoints need an image and a model in S3 before SageMaker can start them, so they are created
    # once var.serving_release says which ones (after the first apply has made the registry and buckets).
    return _call(
        "serving",
        "serving",
        {
            "kms_key_arn": Ref("module.kms.key_arn"),
            "execution_role_arn": Ref("module.iam.serving_role_arn"),
            "default_image_uri": Expr(
                '"${module.registry.repository_urls["serving"]}:${var.serving_release.image_tag}"'
            ),
            "artifacts_bucket_name": Ref('module.storage.bucket_names["artifacts"]'),
            "vpc_id": Ref("module.network.vpc_id"),
            "subnet_ids": Ref("module.network.private_subnet_ids"),
            # The network module owns the workload security group; a literal false keeps the modules' counts known.
            "create_security_group": False,
            "security_group_id": Ref("module.network.workload_security_group_id"),
            "endpoints": _serving_endpoints(env),
        },
        # Monitoring creates the endpoint log groups (KMS, retention); if SageMaker made them first, with
        # neither, Terraform could no longer create them.
        meta={"count": Expr("var.serving_release == null ? 0 : 1"), "depends_on": [Ref("module.monitoring")]},
    )


def _budgets(env: EnvironmentPlan) -> ModuleCall:
    return _call(
        "budgets",
        "budgets",
        {
            "kms_key_arn": Ref("module.kms.key_arn"),
            "monthly_amount": env.budgets.monthly_amount,
            "currency": env.budgets.currency,
            "thresholds": list(env.budgets.thresholds),
            "emails": list(env.budgets.emails),
        },
    )


def _monitoring(env: EnvironmentPlan) -> ModuleCall:
    watched: dict[str, Any] = {}
    for endpoint in env.serving.endpoints:
        instance_type = None if endpoint.serverless else catalog.endpoint_size(endpoint.size).instance_type
        watched[endpoint.name] = {
            "name": f"{env.prefix}-{endpoint.name}",
            "serverless": endpoint.serverless,
            "variants": {name: {"instance_type": instance_type} for name in endpoint_variants(endpoint)},
        }
    return _call(
        "monitoring",
        "monitoring",
        {
            "kms_key_arn": Ref("module.kms.key_arn"),
            "emails": list(env.monitoring.emails),
            "endpoints": watched,
            "p99_latency_ms": env.monitoring.p99_latency_ms,
            "error_rate_percent": env.monitoring.error_rate_percent,
            "log_retention_days": env.monitoring.log_retention_days,
        },
    )


def root_locals(project: str, env: EnvironmentPlan) -> dict[str, Any]:
    return {"project": project, "environment": env.name, "tags": dict(env.tags)}


def state_key_alias(env: EnvironmentPlan) -> str:
    """The alias modules/aws/state_bootstrap gives the state key (alias/<prefix>-tfstate)."""
    return f"alias/{env.prefix}-tfstate"


def state_key_alias_arn(env: EnvironmentPlan) -> str:
    # Known when mlgen generates (account, region and alias are all in the spec), unlike the key ARN.
    return f"arn:aws:kms:{env.region}:{env.account_id}:{state_key_alias(env)}"


def _state_key_alias(env: EnvironmentPlan) -> DataSource:
    # The state bucket's key comes from infra/bootstrap; the CI roles need it to read and write state.
    return DataSource("aws_kms_alias", "state", {"name": state_key_alias(env)})


def _variables() -> tuple[Variable, ...]:
    training_tag = Variable(
        "training_image_tag",
        description="Tag of the training image in the training ECR repository that training jobs run.",
        type=Expr("string"),
        default="v1",
        validations=(
            Validation(
                Expr('var.training_image_tag != "latest"'),
                "Tags are immutable: use a versioned tag, not latest.",
            ),
        ),
    )
    release = Variable(
        "serving_release",
        description=(
            "The image tag and model artifact (s3://.../model.tar.gz) the endpoints serve; null (the first "
            f"apply) creates no endpoints. Set in the committed {RELEASE_FILE} (never with -var: the next "
            "plan without it would destroy the endpoints) by `mlgen release`. A canary variant may serve its "
            "own image tag and model (variants, `--variant`); weights (`--weights`) override the spec's "
            "traffic split by variant name."
        ),
        type=Expr(
            "object({\n"
            "  image_tag      = string\n"
            "  model_data_url = string\n"
            "  variants = optional(map(object({\n"
            "    image_tag      = optional(string)\n"
            "    model_data_url = optional(string)\n"
            "  })), {})\n"
            "  weights = optional(map(number), {})\n"
            "})"
        ),
        default=None,
        validations=(
            Validation(
                Expr(
                    'var.serving_release == null || (try(var.serving_release.image_tag, "") != "latest"'
                    ' && can(regex("^s3://", try(var.serving_release.model_data_url, ""))))'
                ),
                "serving_release needs a versioned image tag (not latest) and an s3:// model URL.",
            ),
            Validation(
                Expr(
                    "var.serving_release == null || alltrue([for v in values(try(var.serving_release.variants, {})) :"
                    ' try(v.image_tag, null) != "latest" && (try(v.model_data_url, null) == null'
                    ' || can(regex("^s3://", v.model_data_url)))])'
                ),
                "serving_release.variants need versioned image tags (not latest) and s3:// model URLs.",
            ),
            Validation(
                Expr(
                    "var.serving_release == null || alltrue([for w in values(try(var.serving_release.weights, {})) :"
                    " w >= 0 && w <= 100])"
                ),
                "serving_release.weights are percentages of traffic: 0 to 100.",
            ),
        ),
    )
    return (training_tag, release)


def _outputs(env: EnvironmentPlan, tracking: bool, serving: bool) -> tuple[Output, ...]:
    triples = [
        ("kms_key_arn", "module.kms.key_arn", "ARN of the environment's customer-managed KMS key."),
        ("vpc_id", "module.network.vpc_id", "ID of the environment's VPC."),
        (
            "private_subnet_ids",
            "module.network.private_subnet_ids",
            "Private subnets for training and serving.",
        ),
        (
            "workload_security_group_id",
            "module.network.workload_security_group_id",
            "Security group for training jobs and endpoints.",
        ),
        ("bucket_names", "module.storage.bucket_names", "Data bucket names by zone."),
        ("repository_urls", "module.registry.repository_urls", "ECR repository URLs (training, serving)."),
        ("training_role_arn", "module.iam.training_role_arn", "Role SageMaker training jobs run as."),
        ("serving_role_arn", "module.iam.serving_role_arn", "Role SageMaker endpoints run as."),
        ("data_scientist_role_arn", "module.iam.data_scientist_role_arn", "Role data scientists assume."),
        (
            "ci_plan_role_arn",
            "module.iam.ci_plan_role_arn",
            "Read-only role pull requests assume through OIDC to plan (null without access.ci).",
        ),
        (
            "ci_apply_role_arn",
            "module.iam.ci_apply_role_arn",
            "Role the approved apply job assumes through OIDC (null without access.ci).",
        ),
        (
            "training_job_defaults_parameter",
            "module.gpu_compute.job_defaults_parameter_name",
            "SSM parameter with the training-job defaults `mlgen train submit` reads.",
        ),
        ("alert_topic_arn", "module.monitoring.topic_arn", "SNS topic that receives the alarms."),
        ("budget_name", "module.budgets.budget_name", "Name of the monthly budget."),
    ]
    if tracking:
        triples.append(
            (
                "mlflow_tracking_server_arn",
                "module.tracking.tracking_server_arn",
                "MLflow tracking URI (the ARN).",
            )
        )
    if serving:
        triples.append(
            (
                "endpoint_names",
                "try(module.serving[0].endpoint_names, {})",
                "SageMaker endpoint names by key.",
            )
        )
    return outputs(triples)


def environment_root(project: str, env: EnvironmentPlan) -> TerraformRoot:
    tracking = env.tracking.mlflow != "none"
    serving = bool(env.serving.endpoints)
    calls = [_kms(env), _network(env), _storage(env), _registry(env), _iam(env, tracking)]
    calls.append(_gpu_compute(env, tracking))
    if tracking:
        calls.append(_tracking(env))
    if serving:
        calls.append(_serving(env))
    calls += [_budgets(env), _monitoring(env)]
    backend = {
        "bucket": env.state.bucket,
        "key": env.state.key,
        "region": env.region,
        "encrypt": True,
        # Without kms_key_id the backend writes state with SSE-S3 (AES256), not the state CMK; the
        # alias ARN is accepted by the backend's validation and resolved by S3 at every write.
        "kms_key_id": state_key_alias_arn(env),
        "use_lockfile": True,
    }
    seeds = {RELEASE_FILE: json.dumps({"serving_release": None}, indent=2, sort_keys=True) + "\n"}
    root = terraform_root(
        RootModule(
            directory=f"infra/envs/{env.name}",
            required_version=TERRAFORM_VERSION,
            providers=(aws_provider(env),),
            backend=Backend("s3", backend),
            locals=root_locals(project, env),
            data_sources=(_state_key_alias(env),),
            variables=_variables(),
            modules=tuple(calls),
            outputs=_outputs(env, tracking, serving),
        )
    )
    return dataclasses.replace(root, seed_files=seeds)
