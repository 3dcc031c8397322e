"""What the AWS landing zone bills, counted from the plan: cost items for mlgen's cost engine.

Quantities follow what environment_root/bootstrap_root write (the same catalog, the same variant split), so
the estimate changes whenever the Terraform does. Prices live in prices/<region>.json; this module only
names their keys. RESOURCE_PRICING lists every resource type the AWS modules declare with how it bills,
so a new resource cannot slip into the landing zone unpriced (a test enumerates the modules).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mlgen.clouds.aws import catalog
from mlgen.cost.model import HOURS_PER_MONTH, CostItem
from mlgen.plan.variants import endpoint_variants

if TYPE_CHECKING:  # annotations only: the cloud adapters must not import the plan at import time
    from mlgen.plan import EnvironmentPlan

PRICES_DIR = Path(__file__).resolve().parent / "prices"
MLFLOW_SIZES = {"small": "Small", "medium": "Medium", "large": "Large"}
KMS_KEYS_PER_ENVIRONMENT = 2  # the environment's key (modules/aws/kms) and the state key (state_bootstrap)
# Pricing assumption for tracking.mlflow = serverless: SageMaker's serverless MLflow (MLflow App) has no
# instance and no hourly charge; AWS announced it at no additional charge (SageMaker AI pricing page,
# https://aws.amazon.com/sagemaker/ai/pricing/, MLflow section, read 2026-12). Its artifacts are S3 objects in
# the artifacts bucket, priced with that bucket. Re-check the page when refreshing the price table.
MLFLOW_APP_FREE_REASON = "serverless MLflow app: no hourly charge (artifacts bill as S3 storage)"
GPU_FAMILIES = ("ml.g", "ml.p")  # endpoint instances that also get a GPU-utilisation alarm

# Terraform resource type -> the price key it bills under, or "free: <why>".
RESOURCE_PRICING: dict[str, str] = {
    "aws_nat_gateway": "nat_gateway.hour",
    "aws_eip": "vpc.public_ipv4_hour",
    "aws_vpc_endpoint": "vpc_endpoint.interface_az_hour",
    "aws_kms_key": "kms.key_month",
    "aws_cloudwatch_metric_alarm": "cloudwatch.alarm_month",
    "aws_cloudwatch_dashboard": "cloudwatch.dashboard_month",
    "aws_cloudwatch_log_group": "cloudwatch.logs_ingest_gb",
    "aws_flow_log": "cloudwatch.logs_ingest_gb",
    "aws_s3_bucket": "s3.standard_gb_month",
    "aws_ecr_repository": "ecr.storage_gb_month",
    "aws_sagemaker_mlflow_tracking_server": "sagemaker.mlflow_tracking_server.<size>",
    "aws_sagemaker_mlflow_app": f"free: {MLFLOW_APP_FREE_REASON}",
    "aws_sagemaker_endpoint": "sagemaker.hosting.<instance> or sagemaker.serverless_inference.gb_second",
    "aws_ssm_parameter": "free: standard parameters have no charge",
    "aws_autoscaling_group": "ec2.on_demand.<instance> (usage: the fleet scales to zero when idle)",
    "aws_launch_template": "free: a template bills nothing; its instances are the fleet's",
    "aws_budgets_budget": "free: the first two budgets of an account are free; mlgen makes one per account",
    "aws_sns_topic": "free: alarm and budget notifications stay within the monthly free tier",
    "aws_sns_topic_policy": "free: configuration",
    "aws_sns_topic_subscription": "free: configuration",
    "aws_sagemaker_model": "free: a model definition bills nothing; its endpoint does",
    "aws_sagemaker_endpoint_configuration": "free: configuration",
    "aws_appautoscaling_policy": "free: configuration",
    "aws_appautoscaling_target": "free: configuration",
    "aws_kms_alias": "free: aliases have no charge",
    "aws_vpc": "free: a VPC has no charge",
    "aws_subnet": "free: no charge",
    "aws_route": "free: no charge",
    "aws_route_table": "free: no charge",
    "aws_route_table_association": "free: no charge",
    "aws_internet_gateway": "free: no charge (traffic through it is the NAT's)",
    "aws_security_group": "free: no charge",
    "aws_default_security_group": "free: no charge",
    "aws_vpc_security_group_egress_rule": "free: no charge",
    "aws_vpc_security_group_ingress_rule": "free: no charge",
    "aws_iam_role": "free: IAM has no charge",
    "aws_iam_role_policy": "free: IAM has no charge",
    "aws_iam_role_policy_attachment": "free: IAM has no charge",
    "aws_iam_instance_profile": "free: IAM has no charge",
    "aws_iam_openid_connect_provider": "free: IAM has no charge",
    "aws_s3_bucket_lifecycle_configuration": "free: configuration (transitions bill per request, ignored)",
    "aws_s3_bucket_logging": "free: configuration (the log objects are storage)",
    "aws_s3_bucket_ownership_controls": "free: configuration",
    "aws_s3_bucket_policy": "free: configuration",
    "aws_s3_bucket_public_access_block": "free: configuration",
    "aws_s3_bucket_server_side_encryption_configuration": "free: configuration",
    "aws_s3_bucket_versioning": "free: configuration (noncurrent versions are storage)",
    "aws_ecr_lifecycle_policy": "free: configuration",
}


def _hours(count: float, what: str) -> str:
    return f"{_num(count)} {what} × {HOURS_PER_MONTH} h"


def _num(value: float) -> str:
    return f"{value:g}"


def _network_idle(env: EnvironmentPlan) -> list[CostItem]:
    network = env.network
    items: list[CostItem] = []
    nat = {"none": 0, "single": 1, "per_az": network.az_count}[network.nat]
    if nat:
        items.append(
            CostItem(
                "NAT gateways", "nat_gateway.hour", nat * HOURS_PER_MONTH, "h", _hours(nat, "gateway(s)")
            )
        )
        items.append(
            CostItem(
                "NAT public IPv4 addresses",
                "vpc.public_ipv4_hour",
                nat * HOURS_PER_MONTH,
                "h",
                _hours(nat, "address(es)"),
            )
        )
    if network.private_endpoints:
        services = len(catalog.INTERFACE_ENDPOINT_SERVICES)
        zones = network.endpoint_zones or network.az_count
        items.append(
            CostItem(
                "interface VPC endpoints",
                "vpc_endpoint.interface_az_hour",
                services * zones * HOURS_PER_MONTH,
                "endpoint-AZ-h",
                f"{services} endpoints × {zones} AZ(s) × {HOURS_PER_MONTH} h",
            )
        )
    items.append(
        CostItem(
            "S3 gateway endpoint", None, 1, "endpoint", "1 endpoint", free_reason="gateway endpoints are free"
        )
    )
    return items


def _alarm_count(env: EnvironmentPlan) -> int:
    alarms = 0
    for endpoint in env.serving.endpoints:
        for _ in endpoint_variants(endpoint):
            alarms += 2  # p99 latency and error rate, per variant
            if not endpoint.serverless:
                alarms += 1  # CPU utilisation
                if catalog.endpoint_size(endpoint.size).instance_type.startswith(GPU_FAMILIES):
                    alarms += 1  # GPU utilisation
    return alarms


def _observability_idle(env: EnvironmentPlan, values: dict[str, float]) -> list[CostItem]:
    items = [
        CostItem(
            "KMS keys",
            "kms.key_month",
            KMS_KEYS_PER_ENVIRONMENT,
            "key-months",
            "environment key + state key",
        )
    ]
    alarms = _alarm_count(env)
    if alarms:
        items.append(
            CostItem(
                "CloudWatch alarms", "cloudwatch.alarm_month", alarms, "alarm-months", f"{alarms} alarms"
            )
        )
    if env.serving.endpoints:
        items.append(
            CostItem(
                "CloudWatch dashboard", "cloudwatch.dashboard_month", 1, "dashboard-months", "1 dashboard"
            )
        )
    log_gb = values["idle_log_gb"]
    retention_months = env.network.flow_log_retention_days / 30
    items.append(
        CostItem(
            "log ingestion", "cloudwatch.logs_ingest_gb", log_gb, "GB", f"{_num(log_gb)} GB/month (assumed)"
        )
    )
    items.append(
        CostItem(
            "log storage",
            "cloudwatch.logs_storage_gb_month",
            round(log_gb * retention_months, 2),
            "GB-months",
            f"{_num(log_gb)} GB × {env.network.flow_log_retention_days} days kept (steady state, uncompressed)",
        )
    )
    items.append(
        CostItem(
            "monthly budget",
            None,
            1,
            "budget",
            "1 budget",
            free_reason="the first two budgets of an account are free",
        )
    )
    return items


def _ml_idle(env: EnvironmentPlan) -> list[CostItem]:
    items: list[CostItem] = []
    if env.tracking.mlflow == "managed":
        size = MLFLOW_SIZES[env.tracking.server_size]
        items.append(
            CostItem(
                f"MLflow tracking server ({size})",
                f"sagemaker.mlflow_tracking_server.{size}",
                HOURS_PER_MONTH,
                "h",
                _hours(1, "server"),
            )
        )
    elif env.tracking.mlflow == "serverless":
        items.append(
            CostItem(
                "MLflow app (serverless)",
                None,
                0,
                "h",
                "no idle charge",
                free_reason=MLFLOW_APP_FREE_REASON,
            )
        )
    for endpoint in env.serving.endpoints:
        if endpoint.serverless:
            items.append(
                CostItem(
                    f"endpoint {endpoint.name} (serverless)",
                    None,
                    0,
                    "GB-s",
                    "no requests",
                    free_reason="serverless endpoints bill per request only",
                )
            )
            continue
        instance = catalog.endpoint_size(endpoint.size).instance_type
        for variant, capacity in endpoint_variants(endpoint).items():
            replicas = capacity["min_capacity"]
            items.append(
                CostItem(
                    f"endpoint {endpoint.name}/{variant} {instance} at min replicas",
                    f"sagemaker.hosting.{instance}",
                    replicas * HOURS_PER_MONTH,
                    "instance-h",
                    _hours(replicas, "replica(s)"),
                )
            )
    return items


def _training_usage(env: EnvironmentPlan, values: dict[str, float]) -> list[CostItem]:
    training = env.training
    runs, hours = values["training_runs_per_month"], values["training_hours_per_run"]
    discount = values["spot_discount_percent"] if training.spot else 0.0
    if training.platform == "vm":
        instance = catalog.ec2_gpu_instance(training.gpu, training.gpus_per_node)
        key, what = f"ec2.on_demand.{instance}", f"training fleet {instance}"
    else:
        instance = catalog.sagemaker_training_instance(training.gpu, training.gpus_per_node)
        key, what = f"sagemaker.training.{instance}", f"training jobs {instance}"
    market = f", spot −{_num(discount)} % (assumed)" if training.spot else ", on-demand"
    return [
        CostItem(
            what,
            key,
            runs * hours * training.nodes,
            "instance-h",
            f"{_num(runs)} runs × {_num(hours)} h × {training.nodes} node(s){market}",
            factor=1 - discount / 100,
        )
    ]


def _serving_usage(env: EnvironmentPlan, values: dict[str, float]) -> list[CostItem]:
    items: list[CostItem] = []
    load = values["endpoint_load"]
    for endpoint in env.serving.endpoints:
        size = catalog.endpoint_size(endpoint.size)
        if endpoint.serverless:
            requests, seconds = (
                values["serverless_requests_per_month"],
                values["serverless_seconds_per_request"],
            )
            memory_gb = size.serverless_memory_mb / 1024
            items.append(
                CostItem(
                    f"endpoint {endpoint.name} (serverless, {size.serverless_memory_mb} MB)",
                    "sagemaker.serverless_inference.gb_second",
                    round(requests * seconds * memory_gb, 2),
                    "GB-s",
                    f"{_num(requests)} requests × {_num(seconds)} s × {_num(memory_gb)} GB",
                )
            )
            continue
        for variant, capacity in endpoint_variants(endpoint).items():
            extra = (capacity["max_capacity"] - capacity["min_capacity"]) * load
            if extra:
                items.append(
                    CostItem(
                        f"endpoint {endpoint.name}/{variant} {size.instance_type} above min",
                        f"sagemaker.hosting.{size.instance_type}",
                        round(extra * HOURS_PER_MONTH, 2),
                        "instance-h",
                        f"{_num(load)} of the {capacity['min_capacity']}-{capacity['max_capacity']} replica "
                        f"range × {HOURS_PER_MONTH} h",
                    )
                )
    return items


def _data_usage(env: EnvironmentPlan, values: dict[str, float]) -> list[CostItem]:
    items = [
        CostItem(
            "data buckets (S3 Standard)",
            "s3.standard_gb_month",
            values["storage_gb"],
            "GB-months",
            f"{_num(values['storage_gb'])} GB",
        ),
        CostItem(
            "container images (ECR)",
            "ecr.storage_gb_month",
            values["registry_gb"],
            "GB-months",
            f"{_num(values['registry_gb'])} GB",
        ),
    ]
    if env.network.nat != "none":
        items.append(
            CostItem(
                "NAT data processed",
                "nat_gateway.gb",
                values["egress_gb"],
                "GB",
                f"{_num(values['egress_gb'])} GB",
            )
        )
    if env.network.private_endpoints:
        items.append(
            CostItem(
                "private endpoint data processed",
                "vpc_endpoint.gb",
                values["endpoint_traffic_gb"],
                "GB",
                f"{_num(values['endpoint_traffic_gb'])} GB",
            )
        )
    return items


def cost_items(env: EnvironmentPlan, values: dict[str, float]) -> tuple[list[CostItem], list[CostItem]]:
    """(idle, usage) items of one environment; ``values`` is the resolved usage scenario."""
    idle = [*_network_idle(env), *_ml_idle(env), *_observability_idle(env, values)]
    usage = [*_training_usage(env, values), *_serving_usage(env, values), *_data_usage(env, values)]
    return idle, usage
