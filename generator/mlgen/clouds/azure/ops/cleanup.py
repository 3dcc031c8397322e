"""The Azure steps of `mlgen teardown` (order and guards are mlgen.ops.teardown's).

What jobs and releases made outside Terraform (autoscale settings, online deployments, endpoints not in the
spec) is deleted
through ARM; every blob version of the zone containers is deleted so no data outlives the environment; after
`terraform destroy` the soft-deleted Key Vault is purged where purge protection allows; the sweep lists what
still carries the project and environment tags. Nothing without those tags is touched.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from mlgen.clouds.azure.ops.arm import Azure
from mlgen.clouds.azure.ops.paths import Paths
from mlgen.ops.base import Echo, Resource

DELETE_TIMEOUT_S = 30 * 60


def carries_tags(resource: dict[str, Any], project: str, environment: str) -> bool:
    tags = resource.get("tags") or {}
    return tags.get("project") == project and tags.get("environment") == environment


def delete_and_wait(azure: Azure, path: str, what: str, echo: Echo) -> None:
    response = azure.request("DELETE", path, ok=(200, 202, 204, 404))
    if response.status_code != 404:
        azure.wait(response, what, echo, DELETE_TIMEOUT_S)


def online_leftovers(
    azure: Azure, paths: Paths, planned: set[str], project: str, environment: str, dry_run: bool, echo: Echo
) -> list[Resource]:
    """Every deployment of the workspace's endpoints, then the tagged endpoints the spec does not name
    (Terraform destroys the ones it made)."""
    if azure.get_or_none(paths.workspace) is None:
        return []
    done = []
    verb = "would delete" if dry_run else "deleting"
    for endpoint in sorted(azure.paged(paths.endpoints), key=lambda item: item["name"]):
        name = endpoint["name"]
        for deployment in sorted(azure.paged(f"{paths.endpoint(name)}/deployments"), key=lambda d: d["name"]):
            echo(f"    {verb} online deployment {name}/{deployment['name']}")
            if not dry_run:
                delete_and_wait(
                    azure,
                    paths.deployment(name, deployment["name"]),
                    f"deployment {deployment['name']}",
                    echo,
                )
            done.append(Resource("online-deployment", f"{name}/{deployment['name']}"))
        if name not in planned and carries_tags(endpoint, project, environment):
            echo(f"    {verb} online endpoint {name} (not in the spec)")
            if not dry_run:
                delete_and_wait(azure, paths.endpoint(name), f"endpoint {name}", echo)
            done.append(Resource("online-endpoint", name))
    return done


def autoscale_leftovers(
    azure: Azure, paths: Paths, project: str, environment: str, dry_run: bool, echo: Echo
) -> list[Resource]:
    """The Azure Monitor autoscale settings `mlgen release` made in the resource group (tagged)."""
    if azure.get_or_none(paths.resource_group) is None:
        return []
    done = []
    verb = "would delete" if dry_run else "deleting"
    for setting in sorted(azure.paged(paths.autoscale_settings), key=lambda item: item["name"]):
        if not carries_tags(setting, project, environment):
            continue
        echo(f"    {verb} autoscale setting {setting['name']}")
        if not dry_run:
            delete_and_wait(azure, setting["id"], f"autoscale setting {setting['name']}", echo)
        done.append(Resource("autoscale-setting", setting["name"]))
    return done


def containers(azure: Azure, account_path: str) -> list[str]:
    found = azure.get_or_none(account_path)
    if found is None:
        return []
    return sorted(item["name"] for item in azure.paged(f"{account_path}/blobServices/default/containers"))


def empty_container(azure: Azure, account: str, container: str, dry_run: bool) -> int:
    """Delete every blob, then every older version and snapshot left (versioning turns a deleted current
    version into a previous one); the count of versions and snapshots there were, as a dry run counts."""
    blobs = list(azure.list_blobs(account, container, versions=True))
    if dry_run:
        return len(blobs)
    # Deepest names first: on a hierarchical-namespace (ADLS Gen2) account a directory is a blob too, and
    # it can be deleted only once what is under it is gone ("train/a.csv" sorts after "train").
    for blob in sorted(blobs, key=lambda item: item["name"], reverse=True):
        if blob["current"] == "true" or not (blob["version_id"] or blob["snapshot"]):
            azure.blob(
                "DELETE",
                account,
                f"{container}/{quote(blob['name'])}",
                ok=(202, 404),
                headers={"x-ms-delete-snapshots": "include"},
            )
    # The whole listing first: deleting while paging would move the service's continuation point.
    for blob in list(azure.list_blobs(account, container, versions=True)):
        if blob["version_id"]:
            params = {"versionid": blob["version_id"]}
        elif blob["snapshot"]:
            params = {"snapshot": blob["snapshot"]}
        else:
            params = {}
        azure.blob("DELETE", account, f"{container}/{quote(blob['name'])}", params=params, ok=(202, 404))
    return len(blobs)


def tagged_resources(azure: Azure, paths: Paths, project: str, environment: str) -> list[Resource]:
    """Resource groups and resources of the subscription that carry both tags (ARM filters on one tag,
    the second is checked here)."""
    tag_filter = {"$filter": f"tagName eq 'project' and tagValue eq '{project}'"}
    found = []
    for group in azure.paged(f"{paths.subscription}/resourcegroups", params=tag_filter):
        if carries_tags(group, project, environment):
            found.append(Resource("Microsoft.Resources/resourceGroups", group["id"]))
    for resource in azure.paged(f"{paths.subscription}/resources", params=tag_filter):
        if carries_tags(resource, project, environment):
            found.append(Resource(resource["type"], resource["id"]))
    return sorted(found, key=lambda item: item.name.lower())
