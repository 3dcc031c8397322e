"""What the Azure landing zone bills, counted from the plan: cost items for mlgen's cost engine.

Quantities follow what environment_root writes (the same catalog, the same private endpoints). Prices live in
prices/<region>.json; a region without a table prints every line as "not priced" (never as zero).
RESOURCE_PRICING lists every resource type modules/azure declares with how it bills, so a new resource cannot
slip into the landing zone unpriced (tests/clouds/azure enumerates the modules).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mlgen.clouds.azure import catalog
from mlgen.clouds.azure.environment_root import PRIVATE_DNS_ZONES, training_size
from mlgen.cost.model import HOURS_PER_MONTH, CostItem
from mlgen.plan.variants import endpoint_variants

if TYPE_CHECKING:
    from mlgen.plan import EnvironmentPlan

PRICES_DIR = Path(__file__).resolve().parent / "prices"
# Private endpoints per environment: lake blob + dfs, Key Vault, registry, workspace.
PRIVATE_ENDPOINTS = 5
HSM_KEYS = 2  # the environment CMK and the state key (RSA-HSM 2048)

RESOURCE_PRICING: dict[str, str] = {
    "azurerm_private_endpoint": "private_endpoint.hour",
    "azurerm_private_dns_zone": "private_dns.zone_month",
    "azurerm_container_registry": "acr.premium_day",
    "azurerm_key_vault_key": "key_vault.hsm_key_month",
    "azurerm_log_analytics_workspace": "log_analytics.ingest_gb",
    "azurerm_storage_account": "storage.adls_hot_gb_month",
    "azurerm_machine_learning_compute_cluster": "vm.<size> (usage: scales to zero when idle)",
    "azurerm_resource_group_template_deployment": "vm.<size> per deployment instance (`mlgen release`)",
    "azurerm_monitor_metric_alert": "monitor.metric_alert_month",
    "azurerm_monitor_scheduled_query_rules_alert_v2": "monitor.log_alert_month",
    "azurerm_network_watcher_flow_log": (
        "usage-billed: flow records per GB collected, Traffic Analytics per GB processed, plus their Log "
        "Analytics ingestion; not priced (it follows traffic, near nothing while idle)"
    ),
    "azurerm_key_vault": "free: the vault bills per key and operation",
    "azurerm_machine_learning_workspace": "free: Azure ML bills the compute, not the workspace",
    "azurerm_machine_learning_datastore_datalake_gen2": "free: a registration; the data bills as the lake",
    "azurerm_machine_learning_workspace_network_outbound_rule_fqdn": "free: but any FQDN rule brings a managed firewall (not priced)",
    "azurerm_application_insights": "free: ingestion bills as Log Analytics",
    "azurerm_monitor_action_group": "free: e-mail notifications are free",
    "azurerm_monitor_diagnostic_setting": "free: the logs bill as Log Analytics ingestion",
    "azurerm_consumption_budget_resource_group": "free: budgets have no charge",
    "azurerm_resource_group": "free: no charge",
    "azurerm_management_lock": "free: no charge",
    "azurerm_virtual_network": "free: no charge",
    "azurerm_subnet": "free: no charge",
    "azurerm_network_security_group": "free: no charge",
    "azurerm_network_security_rule": "free: no charge",
    "azurerm_subnet_network_security_group_association": "free: no charge",
    "azurerm_private_dns_zone_virtual_network_link": "free: no charge without auto-registration",
    "azurerm_user_assigned_identity": "free: no charge",
    "azurerm_federated_identity_credential": "free: no charge",
    "azurerm_role_assignment": "free: no charge",
    "azurerm_storage_container": "free: the blobs are the account's storage",
    "azurerm_storage_blob": "free: a few bytes of storage",
    "azurerm_storage_management_policy": "free: configuration",
}


def _num(value: float) -> str:
    return f"{value:g}"


def _idle(env: EnvironmentPlan, values: dict[str, float]) -> list[CostItem]:
    items = [
        CostItem(
            "private endpoints",
            "private_endpoint.hour",
            PRIVATE_ENDPOINTS * HOURS_PER_MONTH,
            "endpoint-h",
            f"{PRIVATE_ENDPOINTS} endpoints × {HOURS_PER_MONTH} h",
        ),
        CostItem(
            "private DNS zones",
            "private_dns.zone_month",
            len(PRIVATE_DNS_ZONES),
            "zone-months",
            f"{len(PRIVATE_DNS_ZONES)} zones",
        ),
        CostItem(
            "container registry (Premium)",
            "acr.premium_day",
            30.42,
            "registry-days",
            "1 registry × 30.42 days",
        ),
        CostItem(
            "Key Vault HSM keys",
            "key_vault.hsm_key_month",
            HSM_KEYS,
            "key-months",
            "environment CMK + state key",
        ),
        CostItem(
            "log ingestion",
            "log_analytics.ingest_gb",
            values["idle_log_gb"],
            "GB",
            f"{_num(values['idle_log_gb'])} GB/month (assumed)",
        ),
    ]
    for endpoint in env.serving.endpoints:
        size = catalog.endpoint_size(endpoint.size)
        for variant, capacity in endpoint_variants(endpoint).items():
            replicas = capacity["min_capacity"]
            items.append(
                CostItem(
                    f"endpoint {endpoint.name}/{variant} {size} at min instances (after `mlgen release`)",
                    f"vm.{size}",
                    replicas * HOURS_PER_MONTH,
                    "instance-h",
                    f"{replicas} instance(s) × {HOURS_PER_MONTH} h",
                )
            )
        items += [
            CostItem(
                f"endpoint {endpoint.name} alerts",
                "monitor.metric_alert_month",
                1,
                "alert-months",
                "p99 latency",
            ),
            CostItem(
                f"endpoint {endpoint.name} error-rate query",
                "monitor.log_alert_month",
                1,
                "alert-months",
                "every 5 min",
            ),
        ]
    items += [
        CostItem(
            "GPU cluster",
            None,
            0,
            "node-h",
            "0 nodes when idle",
            free_reason="min 0 nodes: idle clusters bill nothing",
        ),
        CostItem(
            "Azure ML workspace",
            None,
            1,
            "workspace",
            "1 workspace",
            free_reason="the workspace has no charge",
        ),
        CostItem("monthly budget", None, 1, "budget", "1 budget", free_reason="budgets have no charge"),
    ]
    return items


def _usage(env: EnvironmentPlan, values: dict[str, float]) -> list[CostItem]:
    training = env.training
    runs, hours = values["training_runs_per_month"], values["training_hours_per_run"]
    discount = values["spot_discount_percent"] if training.spot else 0.0
    size = training_size(env)
    market = f", low priority −{_num(discount)} % (assumed)" if training.spot else ", dedicated"
    items = [
        CostItem(
            f"training cluster {size}",
            f"vm.{size}",
            runs * hours * training.nodes,
            "node-h",
            f"{_num(runs)} runs × {_num(hours)} h × {training.nodes} node(s){market}",
            factor=1 - discount / 100,
        ),
        CostItem(
            "data lake (ADLS Gen2 hot)",
            "storage.adls_hot_gb_month",
            values["storage_gb"],
            "GB-months",
            f"{_num(values['storage_gb'])} GB",
        ),
        CostItem(
            "private endpoint data processed",
            "private_endpoint.gb",
            values["endpoint_traffic_gb"],
            "GB",
            f"{_num(values['endpoint_traffic_gb'])} GB",
        ),
    ]
    load = values["endpoint_load"]
    for endpoint in env.serving.endpoints:
        size_name = catalog.endpoint_size(endpoint.size)
        for variant, capacity in endpoint_variants(endpoint).items():
            extra = (capacity["max_capacity"] - capacity["min_capacity"]) * load
            if extra:
                items.append(
                    CostItem(
                        f"endpoint {endpoint.name}/{variant} {size_name} above min",
                        f"vm.{size_name}",
                        round(extra * HOURS_PER_MONTH, 2),
                        "instance-h",
                        f"{_num(load)} of the {capacity['min_capacity']}-{capacity['max_capacity']} range × "
                        f"{HOURS_PER_MONTH} h",
                    )
                )
    return items


def cost_items(env: EnvironmentPlan, values: dict[str, float]) -> tuple[list[CostItem], list[CostItem]]:
    return _idle(env, values), _usage(env, values)
