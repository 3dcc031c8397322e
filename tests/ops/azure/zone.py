"""What `terraform apply` of an Azure environment leaves, made directly in the fake: only what the ops
commands read or must remove, named by mlgen.clouds.azure.naming and tagged as the landing zone tags."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.ops.azure.fake_azure import FakeAzure

from mlgen.clouds.azure import naming
from mlgen.clouds.azure.ops.job_defaults import KEYS
from mlgen.clouds.azure.ops.paths import Paths
from mlgen.plan import EnvironmentPlan, load_plan

PROJECT = "churn-az"
SUBSCRIPTION = "00000000-0000-0000-0000-0000000000aa"
REGION = "westeurope"

SPEC = """\
project: {project}
cloud: azure
region: westeurope
blueprint: starter
owner: "data-team@example.com"
cost_center: "cc-0042"
serving:
  endpoints:
    - name: default
      size: small
      serverless: false
      min_replicas: 1
{variants}environments:
  dev:
    account_id: "{subscription}"
    state:
      bucket: "{dev_state}"
  prod:
    account_id: "{subscription}"
    deletion_protection: {prod_protection}
    state:
      bucket: "{prod_state}"
"""


VARIANTS = """\
      variants:
        - {name: blue, weight: 90}
        - {name: green, weight: 10}
"""


def write_spec(directory: Path, *, prod_protection: bool = True, variants: bool = False) -> Path:
    """A spec with cloud: azure. The state account is spelled out, so the ops tests do not depend on the
    landing zone's derivation; it is the name naming.state_storage_account gives."""
    directory.mkdir(parents=True, exist_ok=True)
    text = SPEC.format(
        project=PROJECT,
        subscription=SUBSCRIPTION,
        prod_protection=str(prod_protection).lower(),
        variants=VARIANTS if variants else "",
        dev_state=naming.state_storage_account(PROJECT, "dev", SUBSCRIPTION),
        prod_state=naming.state_storage_account(PROJECT, "prod", SUBSCRIPTION),
    )
    (directory / "mlgen.yaml").write_text(text, encoding="utf-8")
    return directory


def environment(project_dir: Path, name: str = "dev") -> EnvironmentPlan:
    return load_plan(project_dir / "mlgen.yaml").environments[name]


def job_defaults(env: EnvironmentPlan, paths: Paths) -> dict[str, Any]:
    registry = f"{naming.container_registry(env)}.azurecr.io"
    defaults = {
        "schema_version": 1,
        "subscription_id": env.account_id,
        "resource_group": naming.resource_group(env),
        "location": env.region,
        "workspace_name": naming.workspace(env),
        "compute_name": naming.compute_cluster(env),
        "vm_size": "Standard_NC4as_T4_v3",
        "gpus_per_instance": 1,
        "instance_count": 1,
        "max_instance_count": 2,
        "spot": True,
        "image_uri": f"{registry}/training:git-0000001",
        "distribution_type": "PyTorch",
        "process_count_per_instance": 1,
        "identity_resource_id": (
            f"{paths.resource_group}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/"
            f"{naming.identity(env, 'training')}"
        ),
        "identity_client_id": "11111111-1111-1111-1111-111111111111",
        # What the landing zone writes (environment_root._job_defaults): datastore paths.
        "training_data_uri": naming.datastore_uri("raw", "train"),
        "model_output_uri": naming.datastore_uri("artifacts", "models"),
        "checkpoint_uri": naming.datastore_uri("artifacts", "checkpoints"),
        "output_uri": naming.datastore_uri("artifacts", "jobs"),
        "max_runtime_seconds": 86400,
        "shm_size": "16g",
    }
    assert tuple(defaults) == KEYS  # the contract, in its order
    return defaults


def seed(fake: FakeAzure, env: EnvironmentPlan, *, purge_protection: bool = False) -> dict[str, Any]:
    """The environment's resources; returns the job defaults written to the artifacts container."""
    paths = Paths(env)
    tags = naming.tags(env)
    fake.put(
        paths.subscription, {"displayName": "ml-dev", "state": "Enabled", "subscriptionId": env.account_id}
    )
    fake.put(
        paths.resource_group,
        {"location": env.region, "tags": tags, "properties": {"provisioningState": "Succeeded"}},
    )
    account = naming.storage_account(env)
    workspace_storage = (
        f"{paths.resource_group}/providers/Microsoft.Storage/storageAccounts/stmlw{account[2:]}"
    )
    fake.put(
        paths.workspace,
        {
            "location": env.region,
            "tags": tags,
            "properties": {"storageAccount": workspace_storage, "publicNetworkAccess": "Disabled"},
        },
    )
    fake.put(
        paths.compute,
        {
            "location": env.region,
            "properties": {
                "computeType": "AmlCompute",
                "properties": {
                    "vmSize": "Standard_NC4as_T4_v3",
                    "vmPriority": "LowPriority",
                    "scaleSettings": {"minNodeCount": 0, "maxNodeCount": 2},
                },
            },
        },
    )
    fake.put(
        paths.storage_account,
        {"location": env.region, "tags": tags, "properties": {"allowSharedKeyAccess": False}},
    )
    fake.versioned_accounts.add(account)
    fake.hierarchical_accounts.add(account)
    for zone in env.storage.zones:
        fake.put(f"{paths.storage_account}/blobServices/default/containers/{zone}", {"properties": {}})
        fake.blobs[(account, zone)] = {}
        # The identity-based datastore the machine_learning module registers for each container.
        fake.put(
            f"{paths.workspace}/datastores/{naming.datastore(zone)}",
            {
                "properties": {
                    "datastoreType": "AzureDataLakeGen2",
                    "accountName": account,
                    "filesystem": zone,
                    "credentials": {"credentialsType": "None"},
                }
            },
        )
    defaults = job_defaults(env, paths)
    fake.put_blob(
        account, naming.ARTIFACTS_CONTAINER, naming.JOB_DEFAULTS_BLOB, json.dumps(defaults).encode()
    )
    fake.put(
        paths.registry,
        {
            "location": env.region,
            "tags": tags,
            "sku": {"name": "Premium"},
            "properties": {
                "loginServer": f"{naming.container_registry(env)}.azurecr.io",
                "adminUserEnabled": False,
            },
        },
    )
    fake.put(
        paths.key_vault,
        {
            "location": env.region,
            "tags": tags,
            "properties": {"enableRbacAuthorization": True, "enablePurgeProtection": purge_protection},
        },
    )
    for endpoint in env.serving.endpoints:
        fake.put(
            paths.endpoint(naming.online_endpoint(env, endpoint.name)),
            {
                "location": env.region,
                "tags": tags,
                "identity": {"type": "UserAssigned", "userAssignedIdentities": {"id-serving": {}}},
                "kind": "Managed",
                "properties": {"authMode": "AADToken", "publicNetworkAccess": "Disabled", "traffic": {}},
            },
        )
    # The bootstrap root's state account, tagged like everything else.
    fake.put(paths.state_resource_group, {"location": env.region, "tags": tags})
    state_account = env.state.bucket
    state_path = paths.state_storage_account(state_account)
    fake.put(state_path, {"location": env.region, "tags": tags})
    fake.put(f"{state_path}/blobServices/default/containers/tfstate", {"properties": {}})
    fake.blobs[(state_account, "tfstate")] = {}
    fake.put_blob(state_account, "tfstate", "churn-az/dev.tfstate", b"{}")
    seed_quota(fake, env)
    return defaults


def destroy(fake: FakeAzure, env: EnvironmentPlan, *, purge_protection: bool = False) -> None:
    """What terraform destroy would do: the resource group goes, the Key Vault becomes soft-deleted."""
    paths = Paths(env)
    fake.remove(paths.resource_group)
    fake.put(
        paths.deleted_key_vault,
        {
            "properties": {
                "purgeProtectionEnabled": purge_protection,
                "scheduledPurgeDate": "2027-03-03T00:00:00Z",
            }
        },
    )


def _usage(
    subscription: str, name: str, kind: str, current: int, limit: int, scope: str = ""
) -> dict[str, Any]:
    """One Usages - List entry in the shape of the API's example (2024-10-01 Usage/list.json)."""
    return {
        "id": f"/subscriptions/{subscription}{scope}/usages/{name.replace(' ', '_')}",
        "type": f"Microsoft.MachineLearningServices/{kind}/usages",
        "currentValue": current,
        "limit": limit,
        "name": {"value": name, "localizedValue": name},
        "unit": "Count",
    }


def seed_quota(
    fake: FakeAzure,
    env: EnvironmentPlan,
    *,
    t4_low_priority: int = -1,
    low_priority_total: int = 100,
    low_priority_used: int = 0,
    dsv2_dedicated: int = 24,
    dsv2_used: int = 0,
    dedicated_total: int = 100,
    low_priority_capable: bool = True,
) -> None:
    """Azure ML's usages and VM sizes in the environment's region: by default enough for the spec (a
    low-priority T4 cluster, DS3_v2 endpoints). A workspace's own entry with a tiny limit is there too: it is
    not the subscription's limit and must not be read as one."""
    sub = env.account_id
    ws = f"/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/{naming.workspace(env)}"
    fake.usages[env.region] = [
        _usage(sub, "Clusters", "totalCores", 1, 100),
        _usage(sub, "Total Cluster Dedicated Regional vCPUs", "dedicatedCores", 0, dedicated_total),
        # First, so a lookup that took any entry of the name would read its limit of 1.
        _usage(sub, "Standard DSv2 Family Cluster Dedicated vCPUs", "workspaces", 0, 1, scope=ws),
        _usage(sub, "Standard DSv2 Family Cluster Dedicated vCPUs", "vmFamily", dsv2_used, dsv2_dedicated),
        _usage(sub, "Standard FSv2 Family Cluster Dedicated vCPUs", "vmFamily", 0, 24),
        _usage(sub, "Standard NCASv3_T4 Family Cluster Dedicated vCPUs", "vmFamily", 0, 0),
        _usage(
            sub,
            "Total Cluster LowPriority Regional vCPUs",
            "lowPriorityCores",
            low_priority_used,
            low_priority_total,
        ),
        _usage(sub, "Standard NCASv3_T4 Family Cluster LowPriority vCPUs", "vmFamily", 0, t4_low_priority),
        _usage(sub, "Standard DSv2 Family Cluster LowPriority vCPUs", "vmFamily", 0, -1),
    ]

    def size(name: str, family: str, vcpus: int, gpus: int = 0) -> dict[str, Any]:
        return {
            "name": name,
            "family": family,
            "vCPUs": vcpus,
            "gpus": gpus,
            "lowPriorityCapable": low_priority_capable if gpus else True,
            "supportedComputeTypes": ["AmlCompute", "MIR"],
        }

    fake.vm_sizes[env.region] = [
        size("Standard_DS3_v2", "standardDSv2Family", 4),
        size("Standard_F8s_v2", "standardFSv2Family", 8),
        size("Standard_F16s_v2", "standardFSv2Family", 16),
        size("Standard_NC4as_T4_v3", "standardNCASv3_T4Family", 4, 1),
        size("Standard_NC64as_T4_v3", "standardNCASv3_T4Family", 64, 4),
    ]
