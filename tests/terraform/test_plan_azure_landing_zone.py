"""The Azure landing zone as Terraform plans it: the planned values of the security and cost controls the
issue asks for, read from `terraform show -json` of the offline plan (docs/terraform-harness.md) of the
starter's and the production prod environment. That every root of both Azure examples plans with zero errors
is test_plan_generated_roots.py (it plans every example). The diagnostic-setting tests also plan the two
state bootstraps and read the modules' HCL for what each setting targets. Wall time: about 20 s on 2 cores.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import hcl2
import pytest
from tests.terraform_harness import Harness, PlanResult

from mlgen.plan import load_plan

pytestmark = pytest.mark.slow

REPO_ROOT = Path(__file__).resolve().parents[2]
ROOTS = {
    "starter": REPO_ROOT / "examples/azure-starter/infra/envs/dev",
    "prod": REPO_ROOT / "examples/azure-production/infra/envs/prod",
}


# The state bootstrap of each root above: its resources' diagnostic settings are the environment root's.
BOOTSTRAPS = {name: root.parents[1] / "bootstrap" / root.name for name, root in ROOTS.items()}


@pytest.fixture(scope="module")
def plans(harness: Harness) -> dict[str, PlanResult]:
    results = {name: harness.plan(root, show=True) for name, root in ROOTS.items()}
    for result in results.values():
        assert result.ok and not result.warnings, result.summary()
    return results


def _resources(result: PlanResult) -> dict[str, dict[str, Any]]:
    """address -> planned values, over the root and every module."""
    found: dict[str, dict[str, Any]] = {}

    def walk(module: dict[str, Any]) -> None:
        for resource in module.get("resources", []):
            found[resource["address"]] = resource.get("values", {})
        for child in module.get("child_modules", []):
            walk(child)

    assert result.plan is not None
    walk(result.plan["planned_values"]["root_module"])
    return found


def _one(result: PlanResult, address: str) -> dict[str, Any]:
    resources = _resources(result)
    assert address in resources, sorted(resources)
    return resources[address]


@pytest.mark.parametrize("name", sorted(ROOTS))
def test_the_gpu_cluster_is_spot_scales_to_zero_and_has_no_public_ip(plans, name):
    cluster = _one(plans[name], "module.machine_learning.azurerm_machine_learning_compute_cluster.gpu")
    assert cluster["vm_priority"] == "LowPriority"
    assert cluster["vm_size"].startswith("Standard_NC")
    (scale,) = cluster["scale_settings"]
    assert scale["min_node_count"] == 0 and scale["scale_down_nodes_after_idle_duration"] == "PT10M"
    assert cluster["node_public_ip_enabled"] is False and cluster["local_auth_enabled"] is False


@pytest.mark.parametrize("name", sorted(ROOTS))
def test_the_workspace_is_private_high_business_impact_and_managed_network(plans, name):
    workspace = _one(plans[name], "module.machine_learning.azurerm_machine_learning_workspace.this")
    assert workspace["public_network_access_enabled"] is False
    assert workspace["high_business_impact"] is True
    assert workspace["managed_network"][0]["isolation_mode"] == "AllowOnlyApprovedOutbound"


@pytest.mark.parametrize("name", sorted(ROOTS))
def test_the_lake_is_adls_gen2_private_keyless_and_cmk_encrypted(plans, name):
    lake = _one(plans[name], "module.storage.azurerm_storage_account.lake")
    assert lake["is_hns_enabled"] is True
    assert lake["shared_access_key_enabled"] is False
    assert lake["public_network_access_enabled"] is False
    assert lake["allow_nested_items_to_be_public"] is False
    assert lake["network_rules"][0]["default_action"] == "Deny"
    assert lake["customer_managed_key"], "no CMK block"
    for zone in ("raw", "processed", "features", "artifacts"):
        _one(plans[name], f'module.storage.azurerm_storage_container.zone["{zone}"]')
    for service in ("blob", "dfs"):
        _one(plans[name], f'module.storage.azurerm_private_endpoint.lake["{service}"]')


@pytest.mark.parametrize("name", sorted(ROOTS))
def test_vault_and_registry_are_locked_down(plans, name):
    vault = _one(plans[name], "module.key_vault.azurerm_key_vault.this")
    assert vault["rbac_authorization_enabled"] is True and vault["purge_protection_enabled"] is True
    assert vault["public_network_access_enabled"] is False
    key = _one(plans[name], "module.key_vault.azurerm_key_vault_key.cmk")
    assert key["rotation_policy"][0]["automatic"], "no automatic rotation"
    registry = _one(plans[name], "module.registry.azurerm_container_registry.this")
    assert registry["sku"] == "Premium" and registry["admin_enabled"] is False
    assert registry["public_network_access_enabled"] is False and registry["retention_policy_in_days"] == 7


def test_ci_federation_plans_for_pull_requests_and_applies_only_in_the_environment(plans):
    resources = _resources(plans["prod"])
    plan_subjects = sorted(
        v["subject"] for a, v in resources.items() if "azurerm_federated_identity_credential.plan" in a
    )
    apply_subjects = sorted(
        v["subject"] for a, v in resources.items() if "azurerm_federated_identity_credential.apply" in a
    )
    assert plan_subjects == [
        "repo:example-org/fraud-detect:pull_request",
        "repo:example-org/fraud-detect:ref:refs/heads/main",
    ]
    assert apply_subjects == ["repo:example-org/fraud-detect:environment:prod"]


def test_prod_is_locked_against_deletion_and_the_starter_is_not(plans):
    assert "module.resource_group.azurerm_management_lock.protect[0]" in _resources(plans["prod"])
    assert "module.resource_group.azurerm_management_lock.protect[0]" not in _resources(plans["starter"])


@pytest.mark.parametrize("name", sorted(ROOTS))
def test_endpoints_budget_and_alerts_are_planned(plans, name):
    resources = _resources(plans[name])
    endpoint = resources['module.serving.azurerm_resource_group_template_deployment.endpoint["default"]']
    assert endpoint["deployment_mode"] == "Incremental"
    assert '"apiVersion": "2024-10-01"' in endpoint["template_content"]
    assert 'module.serving.azurerm_monitor_metric_alert.p99_latency["default"]' in resources
    assert 'module.serving.azurerm_monitor_scheduled_query_rules_alert_v2.error_rate["default"]' in resources
    budget = resources["module.budgets.azurerm_consumption_budget_resource_group.this"]
    kinds = sorted((n["threshold_type"], n["threshold"]) for n in budget["notification"])
    assert kinds == [("Actual", 50), ("Actual", 80), ("Actual", 100), ("Forecasted", 100)]


@pytest.mark.parametrize("name", sorted(ROOTS))
def test_the_vnet_flow_log_targets_the_vnet_under_the_regions_network_watcher(plans, name):
    resources = _resources(plans[name])
    flow_log = resources["module.flow_logs.azurerm_network_watcher_flow_log.vnet"]
    region = flow_log["location"]
    # A VNet flow log (NSG flow logs can no longer be created), under Azure's automatic watcher.
    assert flow_log["network_watcher_name"] == f"NetworkWatcher_{region}"
    assert flow_log["resource_group_name"] == "NetworkWatcherRG"
    assert flow_log.get("network_security_group_id") is None
    assert flow_log["enabled"] is True and flow_log["version"] == 2
    (analytics,) = flow_log["traffic_analytics"]
    assert analytics["enabled"] is True and analytics["workspace_region"] == region
    assert analytics["interval_in_minutes"] == 60
    # Retention is the flow-log account's lifecycle rule, not the flow log's (which would rewrite the policy).
    assert flow_log["retention_policy"] == [{"enabled": False, "days": 0}]
    watcher = f"/providers/Microsoft.Network/networkWatchers/NetworkWatcher_{region}"
    roles = {
        a: v["role_definition_name"]
        for a, v in resources.items()
        if "azurerm_role_assignment" in a and v.get("scope", "").endswith(watcher)
    }
    assert sorted(roles.values()) == ["Network Contributor", "Reader"], roles


@pytest.mark.parametrize("name", sorted(ROOTS))
def test_flow_records_have_their_own_cmk_account_reachable_only_by_trusted_services(plans, name):
    """Network Watcher writes with account keys through the trusted-service bypass, which the lake (no keys,
    no public network access) cannot offer: a dedicated account, everything else as locked as the lake."""
    resources = _resources(plans[name])
    account = resources["module.flow_logs.azurerm_storage_account.flow_logs"]
    lake = resources["module.storage.azurerm_storage_account.lake"]
    assert account["name"].startswith("stfl") and account["name"] != lake["name"]
    assert account["location"] == lake["location"] and account["account_tier"] == "Standard"
    assert account["shared_access_key_enabled"] is True and account["public_network_access_enabled"] is True
    (rules,) = account["network_rules"]
    assert rules["default_action"] == "Deny" and "AzureServices" in rules["bypass"]
    assert rules.get("ip_rules") in (None, [])
    assert account["allow_nested_items_to_be_public"] is False and account["customer_managed_key"]
    (policy,) = resources["module.flow_logs.azurerm_storage_management_policy.retention"]["rule"]
    days = policy["actions"][0]["base_blob"][0]["delete_after_days_since_modification_greater_than"]
    env = ROOTS[name].name
    assert (
        days
        == load_plan(ROOTS[name].parents[2] / "mlgen.yaml").environments[env].network.flow_log_retention_days
    )


@pytest.mark.parametrize("name", sorted(ROOTS))
def test_each_lake_container_is_an_identity_based_datastore(plans, name):
    resources = _resources(plans[name])
    zones = {
        v["name"]
        for a, v in resources.items()
        if a.startswith("module.storage.azurerm_storage_container.zone")
    }
    datastores = {
        a: v for a, v in resources.items() if "azurerm_machine_learning_datastore_datalake_gen2.zone" in a
    }
    assert sorted(v["name"] for v in datastores.values()) == sorted(
        f"lake_{zone.replace('-', '_')}" for zone in zones
    )
    for values in datastores.values():
        # No stored credentials: a job reads and writes as its own (training) identity.
        assert values.get("client_id") is None and values.get("client_secret") is None
        assert values["tags"]["managed-by"] == "mlgen"


def test_the_longest_names_the_spec_accepts_pass_every_module_validation(harness, tmp_path):
    """A 21-character project, a 32-character zone and endpoint: every derived name fits its module's
    validation blocks, which Terraform evaluates in the plan."""
    from mlgen.clouds import capabilities
    from mlgen.pipeline import generate_project

    limits = capabilities("azure").name_limits
    project, zone, endpoint = "p" * limits.project, "z" * limits.zone, "e" * limits.endpoint
    spec = (REPO_ROOT / "examples/azure-production/mlgen.yaml").read_text().replace("fraud-detect", project)
    spec += f"storage: {{zones: [raw, artifacts, {zone}]}}\nserving:\n  endpoints:\n    - name: {endpoint}\n"
    (tmp_path / "mlgen.yaml").write_text(spec)
    generate_project(tmp_path)
    result = harness.plan(tmp_path / "infra/envs/staging")
    assert result.ok and not result.warnings, result.summary()
    assert f'module.storage.azurerm_storage_container.zone["{zone}"]' in result.planned


# Every resource type these roots plan that Azure Monitor can route logs or metrics from, with the targets
# each needs a diagnostic setting on ("" is the resource itself). From "Supported Resource log categories for
# Azure Monitor" and its metrics tables (learn.microsoft.com/azure/azure-monitor/reference/logs-index):
DIAGNOSABLE = {
    "azurerm_application_insights": ("",),  # microsoft.insights/components
    "azurerm_container_registry": ("",),  # Microsoft.ContainerRegistry/registries
    "azurerm_key_vault": ("",),  # Microsoft.KeyVault/vaults (AuditEvent)
    "azurerm_log_analytics_workspace": ("",),  # Microsoft.OperationalInsights/workspaces (Audit)
    "azurerm_machine_learning_workspace": ("",),  # Microsoft.MachineLearningServices/workspaces
    "azurerm_network_security_group": ("",),  # Microsoft.Network/networksecuritygroups
    "azurerm_virtual_network": ("",),  # Microsoft.Network/virtualNetworks
    # Microsoft.Storage/storageAccounts has metrics only; the logs are its services'. The accounts here hold
    # blobs only (the lake's dfs endpoint is the same blob service), so queue/table/file settings would be empty.
    "azurerm_storage_account": ("", "/blobServices/default"),
    # The serving module's template deployments each create a Microsoft.MachineLearningServices/workspaces/
    # onlineEndpoints; the setting is the endpoint's (a deployment, Microsoft.Resources/deployments, has none).
    "azurerm_resource_group_template_deployment": ("",),
}
# Left out on purpose: azurerm_private_endpoint and azurerm_private_dns_zone (Microsoft.Network/privateEndpoints
# and privateDnsZones) have platform metrics and no log categories; Azure Monitor keeps platform metrics for 93
# days without a setting, and copying the endpoints' and zones' counters into Log Analytics would bill
# ingestion for data no alert or query here reads.
NOT_DIAGNOSED = {"azurerm_private_endpoint", "azurerm_private_dns_zone"}
# Planned types in neither table (no resource type of theirs has log or metric categories; the compute cluster's
# events are the workspace's AmlComputeClusterEvent, the flow log's records are Traffic Analytics').
NO_CATEGORIES = {
    "azurerm_consumption_budget_resource_group",
    "azurerm_federated_identity_credential",
    "azurerm_key_vault_key",
    "azurerm_machine_learning_compute_cluster",
    "azurerm_machine_learning_datastore_datalake_gen2",
    "azurerm_machine_learning_workspace_network_outbound_rule_fqdn",
    "azurerm_management_lock",
    "azurerm_monitor_action_group",
    "azurerm_monitor_diagnostic_setting",
    "azurerm_monitor_metric_alert",
    "azurerm_monitor_scheduled_query_rules_alert_v2",
    "azurerm_network_security_rule",
    "azurerm_network_watcher_flow_log",
    "azurerm_private_dns_zone_virtual_network_link",
    "azurerm_resource_group",
    "azurerm_role_assignment",
    "azurerm_storage_blob",
    "azurerm_storage_container",
    "azurerm_storage_management_policy",
    "azurerm_subnet",
    "azurerm_subnet_network_security_group_association",
    "azurerm_user_assigned_identity",
}


def _hcl(path: Path) -> dict[str, Any]:
    with path.open() as handle:
        return hcl2.load(handle)


def _blocks(parsed: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    """'type.name' (resources) or 'name' (modules) -> the block's attributes."""
    found: dict[str, dict[str, Any]] = {}
    for entry in parsed.get(kind, []):
        if kind == "module":
            found.update(entry)
        else:
            for type_name, named in entry.items():
                found.update({f"{type_name}.{name}": body for name, body in named.items()})
    return found


def _one_value(body: dict[str, Any], attribute: str) -> str:
    value = body[attribute]
    return value[0] if isinstance(value, list) else value


def _diagnosed_targets(root: Path) -> tuple[dict[tuple[str, str, str], str], set[str]]:
    """What the root's diagnostic settings target, read from the configuration (the plan only knows their
    target_resource_id after apply): (module, resource, suffix) -> the setting's address, for the root's own
    resources, and the literal ids of resources outside the root (the state bootstrap's). A for_each setting
    targets the resource it iterates over; its instance keys are matched in the plan."""
    in_root: dict[tuple[str, str, str], str] = {}
    literal: set[str] = set()
    calls = _blocks(_hcl(root / "main.tf"), "module")
    for module, call in calls.items():
        main = _hcl((root / _one_value(call, "source") / "main.tf").resolve())
        locals_ = {k: v for entry in main.get("locals", []) for k, v in entry.items()}
        for address, body in _blocks(main, "resource").items():
            if not address.startswith("azurerm_monitor_diagnostic_setting."):
                continue
            target = _one_value(body, "target_resource_id")
            direct = re.fullmatch(r"\$\{(azurerm_[a-z0-9_]+\.[a-z0-9_]+)\.id\}(.*)", target)
            from_each = re.fullmatch(r"\$\{each\.value\.id\}", target)
            from_local = re.fullmatch(r"\$\{local\.([a-z_]+)\[each\.key\]\}", target)
            from_var = re.fullmatch(r"\$\{var\.([a-z_]+)\}(.*)", target)
            if direct:
                in_root[(module, direct.group(1), direct.group(2))] = address
            elif from_each:
                iterated = re.fullmatch(
                    r"\$\{(azurerm_[a-z0-9_]+\.[a-z0-9_]+)\}", _one_value(body, "for_each")
                )
                assert iterated, f"{module}: {address} iterates over something other than a resource"
                in_root[(module, iterated.group(1), "")] = address
            elif from_local:
                definition = str(locals_[from_local.group(1)])
                (resource,) = set(re.findall(r"\bazurerm_[a-z0-9_]+\.[a-z0-9_]+", definition))
                in_root[(module, resource, "")] = address
            elif from_var:
                value = _one_value(call, from_var.group(1))
                assert "${" not in value, f"{module}.{from_var.group(1)} is not a literal id: {value}"
                literal.add(value + from_var.group(2))
            else:
                pytest.fail(f"{module}: {address} targets {target!r}, which this test cannot resolve")
    return in_root, literal


def _planned(result: PlanResult) -> list[dict[str, Any]]:
    assert result.plan is not None
    return [change for change in result.plan["resource_changes"] if change["mode"] == "managed"]


@pytest.fixture(scope="module")
def bootstrap_plans(harness: Harness) -> dict[str, PlanResult]:
    results = {name: harness.plan(root, show=True) for name, root in BOOTSTRAPS.items()}
    for result in results.values():
        assert result.ok and not result.warnings, result.summary()
    return results


@pytest.mark.parametrize("name", sorted(ROOTS))
def test_every_diagnosable_instance_has_a_setting(plans, name):
    """Each planned instance of a DIAGNOSABLE type has a diagnostic setting on each of its targets, and no
    planned type is unaccounted for (a new one must go into DIAGNOSABLE, NOT_DIAGNOSED or NO_CATEGORIES)."""
    in_root, _ = _diagnosed_targets(ROOTS[name])
    changes = _planned(plans[name])
    addresses = {change["address"] for change in changes}
    missing = []
    checked = 0
    for change in changes:
        if change["type"] not in DIAGNOSABLE:
            continue
        module = change.get("module_address", "").removeprefix("module.")
        for suffix in DIAGNOSABLE[change["type"]]:
            checked += 1
            setting = in_root.get((module, f"{change['type']}.{change['name']}", suffix))
            if setting is None:
                missing.append(f"{change['address']}{suffix}")
            elif (
                "index" in change
                and f"module.{module}.{setting}[{json.dumps(change['index'])}]" not in addresses
            ):
                # A for_each setting over the resource: the planned setting instance with the same key.
                missing.append(f"{change['address']}{suffix} (no instance of {setting} for its key)")
    assert not missing, f"no diagnostic setting on: {missing}"
    assert checked >= 12, checked
    types = {change["type"] for change in changes}
    assert types & NOT_DIAGNOSED == NOT_DIAGNOSED, "the exclusions no longer match what is planned"
    unsorted = types - set(DIAGNOSABLE) - NOT_DIAGNOSED - NO_CATEGORIES
    assert not unsorted, (
        f"new planned types: add each to DIAGNOSABLE, NOT_DIAGNOSED or NO_CATEGORIES: {unsorted}"
    )


@pytest.mark.parametrize("name", sorted(ROOTS))
def test_the_state_bootstraps_account_blobs_and_vault_report_to_the_environments_workspace(
    plans, bootstrap_plans, name
):
    """The bootstrap is applied before the environment's workspace exists; the environment root's
    state_diagnostics module sets them, on the ids of what the bootstrap plans."""
    _, literal = _diagnosed_targets(ROOTS[name])
    needed = []
    for change in _planned(bootstrap_plans[name]):
        values = change["change"]["after"]
        if change["type"] == "azurerm_storage_account":
            tail = f"/resourceGroups/{values['resource_group_name']}/providers/Microsoft.Storage/storageAccounts/{values['name']}"
            needed += [tail, f"{tail}/blobServices/default"]
        elif change["type"] == "azurerm_key_vault":
            needed.append(
                f"/resourceGroups/{values['resource_group_name']}/providers/Microsoft.KeyVault/vaults/{values['name']}"
            )
        else:
            assert change["type"] not in DIAGNOSABLE, change["address"]
    assert len(needed) == 3, needed
    for tail in needed:
        assert [target for target in literal if target.endswith(tail)], f"no diagnostic setting on …{tail}"
    resources = _resources(plans[name])
    assert {
        "module.state_diagnostics.azurerm_monitor_diagnostic_setting.account",
        "module.state_diagnostics.azurerm_monitor_diagnostic_setting.blob",
        "module.state_diagnostics.azurerm_monitor_diagnostic_setting.vault",
    } <= set(resources)


def test_endpoint_auth_follows_the_spec_identity_by_default(harness, tmp_path):
    """serving.endpoints[].auth reaches the serving module per endpoint: identity (the default) is AADToken,
    key is Key, and the plan passes the module's validation of them; a mode the module does not offer
    (AMLToken) fails that validation. (The template's parameters are unknown until apply: they carry the
    serving identity's id, so the module call's constant is what the plan shows.)"""
    from mlgen.pipeline import generate_project

    spec = (REPO_ROOT / "examples/azure-starter/mlgen.yaml").read_text()
    served = "      max_replicas: 1\n"
    assert spec.count(served) == 1
    spec = spec.replace(served, served + "    - name: partner\n      auth: key\n")
    (tmp_path / "mlgen.yaml").write_text(spec)
    generate_project(tmp_path)
    root = tmp_path / "infra/envs/dev"
    result = harness.plan(root, show=True)
    assert result.ok and not result.warnings, result.summary()
    assert result.plan is not None
    call = result.plan["configuration"]["root_module"]["module_calls"]["serving"]
    endpoints = call["expressions"]["endpoints"]["constant_value"]
    assert {key: e["auth_mode"] for key, e in endpoints.items()} == {"default": "AADToken", "partner": "Key"}
    for key in endpoints:
        assert (
            f'module.serving.azurerm_resource_group_template_deployment.endpoint["{key}"]' in result.planned
        )

    main_tf = root / "main.tf"
    text = main_tf.read_text()
    assert text.count('auth_mode             = "Key"') == 1
    main_tf.write_text(text.replace('auth_mode             = "Key"', 'auth_mode             = "AMLToken"'))
    refused = harness.plan(root)
    assert not refused.ok
    assert "auth_mode AADToken or Key" in refused.summary()
