"""What the GCP landing zone bills, counted from the plan: cost items for mlgen's cost engine.

Quantities follow what environment_root/bootstrap_root write (the same catalog). Prices live in
prices/<region>.json (us-central1 and europe-west4 so far: the regions of the examples); anywhere else every
line is "not priced". RESOURCE_PRICING lists every resource type the GCP modules declare with how it bills,
so a new resource cannot slip into the landing zone unpriced (a test enumerates the modules).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mlgen.clouds.gcp import catalog
from mlgen.cost.model import HOURS_PER_MONTH, CostItem

if TYPE_CHECKING:
    from mlgen.plan import EnvironmentPlan

PRICES_DIR = Path(__file__).resolve().parent / "prices"
SQL_STORAGE_GB = 10  # the tracking database's disk (modules/gcp/tracking disk_size)
FREE_CONFIG = "free: configuration"
PRIVATE_DNS_ZONES = 4  # modules/gcp/network/dns.tf: googleapis.com, pkg.dev, gcr.io, run.app

# Terraform resource type -> the price key it bills under, or "free: <why>", or "not priced: <why>".
RESOURCE_PRICING: dict[str, str] = {
    "google_kms_crypto_key": "kms.key_version_month",
    "google_sql_database_instance": "cloudsql.<tier>.hour + cloudsql.ssd_gb_month",
    "google_storage_bucket": "gcs.standard_gb_month",
    "google_artifact_registry_repository": "artifactregistry.storage_gb_month",
    "google_vertex_ai_endpoint": "vertex.prediction.<machine>.hour (nodes deployed by mlgen release)",
    "google_compute_region_instance_group_manager": "not priced: the GPU group is sized 0 while idle",
    "google_compute_router_nat": "free: Cloud NAT bills per VM using it and per GB; no VM runs while idle",
    "google_cloud_run_v2_service": "free: min instances 0, billed per request",
    "google_monitoring_alert_policy": "not priced: Cloud Monitoring alerting charges per condition",
    "google_monitoring_dashboard": "free: dashboards have no charge",
    "google_logging_project_sink": "free: routing has no charge",
    "google_logging_project_exclusion": "free: excluded logs are not ingested",
    "google_monitoring_notification_channel": "free: no charge",
    "google_billing_budget": "free: budgets have no charge",
    "google_pubsub_topic": "free: budget notifications stay within the free tier",
    "google_logging_project_bucket_config": "free: the first 50 GiB of logs a month are free",
    "google_compute_instance_template": "free: a template bills nothing; its instances are the group's",
    "google_storage_bucket_object": "free: one small object",
    "google_dns_managed_zone": "dns.managed_zone_month",
    "google_dns_record_set": "free: record sets are part of their zone (queries are usage, ignored)",
    "google_compute_network": "free: no charge",
    "google_compute_subnetwork": "free: no charge (flow logs bill as log ingestion)",
    "google_compute_router": "free: no charge",
    "google_compute_firewall": "free: no charge",
    "google_compute_global_address": "free: an internal range has no charge",
    "google_service_networking_connection": "free: no charge",
    "google_kms_key_ring": "free: no charge",
    "google_kms_crypto_key_iam_member": FREE_CONFIG,
    "google_project_service": FREE_CONFIG,
    "google_project_service_identity": FREE_CONFIG,
    "google_project_iam_member": FREE_CONFIG,
    "google_service_account": "free: IAM has no charge",
    "google_service_account_iam_member": "free: IAM has no charge",
    "google_storage_bucket_iam_member": "free: IAM has no charge",
    "google_artifact_registry_repository_iam_member": "free: IAM has no charge",
    "google_cloud_run_v2_service_iam_member": "free: IAM has no charge",
    "google_iam_workload_identity_pool": "free: IAM has no charge",
    "google_iam_workload_identity_pool_provider": "free: IAM has no charge",
    "google_pubsub_topic_iam_member": "free: IAM has no charge",
    "google_sql_database": FREE_CONFIG,
    "google_sql_user": FREE_CONFIG,
}


def _num(value: float) -> str:
    return f"{value:g}"


def _hours(count: float, what: str) -> str:
    return f"{_num(count)} {what} × {HOURS_PER_MONTH} h"


def key_count(env: EnvironmentPlan) -> int:
    """Keys the environment root makes (one per purpose) plus the state key of the bootstrap root."""
    purposes = 7 if env.tracking.mlflow != "none" else 6
    return purposes + 1


def _idle(env: EnvironmentPlan) -> list[CostItem]:
    keys = key_count(env)
    items = [
        CostItem(
            "Cloud KMS keys",
            "kms.key_version_month",
            keys,
            "key-version-months",
            f"{keys} keys × 1 version; each 90-day rotation adds one",
        )
    ]
    items.append(
        CostItem(
            "Cloud DNS private zones",
            "dns.managed_zone_month",
            PRIVATE_DNS_ZONES,
            "zone-months",
            f"{PRIVATE_DNS_ZONES} zones (googleapis.com, pkg.dev, gcr.io, run.app to private.googleapis.com)",
        )
    )
    if env.network.nat != "none":
        items.append(
            CostItem(
                "Cloud NAT",
                None,
                1,
                "gateway",
                "1 regional gateway",
                free_reason="Cloud NAT bills per VM using it and per GB; none runs while idle",
            )
        )
    if env.tracking.mlflow != "none":
        tier = catalog.TRACKING_SIZES[env.tracking.server_size]["sql_tier"]
        items.append(
            CostItem(
                f"MLflow database (Cloud SQL {tier})",
                f"cloudsql.{tier}.hour",
                HOURS_PER_MONTH,
                "h",
                _hours(1, "instance"),
            )
        )
        items.append(
            CostItem(
                "MLflow database storage",
                "cloudsql.ssd_gb_month",
                SQL_STORAGE_GB,
                "GB-months",
                f"{SQL_STORAGE_GB} GB SSD",
            )
        )
        items.append(
            CostItem(
                "MLflow server (Cloud Run)",
                None,
                0,
                "h",
                "no requests",
                free_reason="Cloud Run scales to zero and bills per request",
            )
        )
    for endpoint in env.serving.endpoints:
        machine = catalog.endpoint_size(endpoint.size).machine_type
        items.append(
            CostItem(
                f"endpoint {endpoint.name} {machine} at min replicas (once a model is deployed)",
                f"vertex.prediction.{machine}.hour",
                endpoint.min_replicas * HOURS_PER_MONTH,
                "node-h",
                _hours(endpoint.min_replicas, "node(s)"),
            )
        )
    if env.serving.endpoints:
        conditions = 2 * len(env.serving.endpoints)
        items.append(
            CostItem(
                "alert policy conditions",
                "monitoring.alert_condition_month",
                conditions,
                "condition-months",
                f"{conditions} conditions",
            )
        )
    items.append(
        CostItem("logs", None, 1, "GB", "idle logs", free_reason="within the 50 GiB monthly free allotment")
    )
    items.append(CostItem("monthly budget", None, 1, "budget", "1 budget", free_reason="budgets are free"))
    return items


def _usage(env: EnvironmentPlan, values: dict[str, float]) -> list[CostItem]:
    training = env.training
    machine = catalog.gpu_machine(training.gpu, training.gpus_per_node)
    runs, hours = values["training_runs_per_month"], values["training_hours_per_run"]
    discount = values["spot_discount_percent"] if training.spot else 0.0
    market = f", spot −{_num(discount)} % (assumed)" if training.spot else ", on-demand"
    items = [
        CostItem(
            f"training jobs {machine.machine_type} + {training.gpus_per_node} × {training.gpu}",
            f"vertex.training.{machine.machine_type}.{training.gpus_per_node}x{training.gpu}.hour",
            runs * hours * training.nodes,
            "machine-h",
            f"{_num(runs)} runs × {_num(hours)} h × {training.nodes} node(s){market}",
            factor=1 - discount / 100,
        )
    ]
    load = values["endpoint_load"]
    for endpoint in env.serving.endpoints:
        machine_type = catalog.endpoint_size(endpoint.size).machine_type
        extra = (endpoint.max_replicas - endpoint.min_replicas) * load
        if extra:
            items.append(
                CostItem(
                    f"endpoint {endpoint.name} {machine_type} above min",
                    f"vertex.prediction.{machine_type}.hour",
                    round(extra * HOURS_PER_MONTH, 2),
                    "node-h",
                    f"{_num(load)} of the {endpoint.min_replicas}-{endpoint.max_replicas} node range × "
                    f"{HOURS_PER_MONTH} h",
                )
            )
    items += [
        CostItem(
            "data buckets (GCS Standard)",
            "gcs.standard_gb_month",
            values["storage_gb"],
            "GB-months",
            f"{_num(values['storage_gb'])} GB",
        ),
        CostItem(
            "container images (Artifact Registry)",
            "artifactregistry.storage_gb_month",
            values["registry_gb"],
            "GB-months",
            f"{_num(values['registry_gb'])} GB",
        ),
    ]
    if env.network.nat != "none":
        items.append(
            CostItem(
                "Cloud NAT data processed",
                "nat.gb",
                values["egress_gb"],
                "GB",
                f"{_num(values['egress_gb'])} GB",
            )
        )
    return items


def cost_items(env: EnvironmentPlan, values: dict[str, float]) -> tuple[list[CostItem], list[CostItem]]:
    """(idle, usage) items of one environment; ``values`` is the resolved usage scenario."""
    return _idle(env), _usage(env, values)
