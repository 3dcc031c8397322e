"""Every Azure API version the ops commands call, in one place.

ARM rejects a request without ``api-version``, and request and response shapes change between versions, so
each provider namespace is pinned here and nowhere else; the tests assert that every request carries the
version of its namespace. Change a version only together with the request bodies that depend on it.
"""

from __future__ import annotations

# Azure ML: jobs, environments, models, online endpoints and deployments, computes, workspaces, and the
# location's usages and VM sizes that doctor's quota check reads (GA).
MACHINE_LEARNING = "2024-10-01"
# Resource groups and the generic resource list (the teardown sweep filters it by tag).
RESOURCES = "2022-09-01"
SUBSCRIPTIONS = "2022-12-01"
STORAGE = "2023-05-01"
CONTAINER_REGISTRY = "2023-07-01"
# Key Vault management plane: vaults, deleted vaults and purge.
KEY_VAULT = "2023-07-01"
# Azure Monitor autoscale settings of online deployments (Autoscale Settings - Create Or Update, GA
# 2022-10-01: https://learn.microsoft.com/rest/api/monitor/autoscale-settings/create-or-update).
INSIGHTS = "2022-10-01"
# Blob service data plane (x-ms-version header): list, get ranges, delete.
BLOB_SERVICE = "2023-11-03"

# The ARM provider namespace of a resource path → its version (the tests check requests against it).
BY_NAMESPACE = {
    "Microsoft.MachineLearningServices": MACHINE_LEARNING,
    "Microsoft.Storage": STORAGE,
    "Microsoft.ContainerRegistry": CONTAINER_REGISTRY,
    "Microsoft.KeyVault": KEY_VAULT,
    "Microsoft.Insights": INSIGHTS,
}


def for_path(path: str) -> str:
    """The pinned version for an ARM path: its last provider namespace, else Resources/Subscriptions."""
    parts = path.split("/")
    namespaces = [parts[i + 1] for i, part in enumerate(parts[:-1]) if part.lower() == "providers"]
    for namespace in reversed(namespaces):
        for known, version in BY_NAMESPACE.items():
            if namespace.lower() == known.lower():
                return version
    if path.rstrip("/").count("/") <= 2 and path.startswith("/subscriptions/"):
        return SUBSCRIPTIONS  # /subscriptions/<id>
    return RESOURCES
