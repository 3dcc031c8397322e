"""`mlgen doctor` on Azure: can this caller reach the environment's subscription and its landing zone?

Each check is one CheckResult. A check whose resource cannot exist yet (the resource group is missing, so
the workspace cannot be there) is a skip that says why, not a second failure for the same cause.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from typing import Any

from mlgen.clouds.azure import catalog, naming
from mlgen.clouds.azure.ops import quota, serving
from mlgen.clouds.azure.ops.arm import ARM_SCOPE, Azure
from mlgen.clouds.azure.ops.paths import Paths
from mlgen.clouds.base import AdapterError
from mlgen.ops.base import CheckResult
from mlgen.ops.errors import OpsError
from mlgen.plan import EnvironmentPlan
from mlgen.plan.variants import endpoint_variants


def caller(token: str) -> str:
    """Who the token is for, from its claims (read, not verified: ARM verifies it)."""
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError):
        return "a token was issued"
    who = claims.get("upn") or claims.get("unique_name") or claims.get("appid") or claims.get("oid")
    return f"calling as {who} (tenant {claims.get('tid', '?')})" if who else "a token was issued"


def _guarded(name: str, check: Callable[[], CheckResult]) -> CheckResult:
    try:
        return check()
    except OpsError as error:  # every Azure failure is one actionable line, never a traceback
        return CheckResult(name, "fail", error.message)


class Doctor:
    def __init__(self, azure: Azure, env: EnvironmentPlan, read_job_defaults: Callable[[], Any]) -> None:
        self.azure, self.env, self.paths = azure, env, Paths(env)
        self.read_job_defaults = read_job_defaults

    def checks(self) -> Iterator[CheckResult]:
        credentials = _guarded("credentials", self._credentials)
        yield credentials
        if credentials.status != "ok":
            return  # every other check would fail for the same reason
        subscription = _guarded("subscription", self._subscription)
        yield subscription
        if subscription.status != "ok":
            return
        group = _guarded("resource group", self._resource_group)
        yield group
        resources = [
            ("workspace", self._workspace),
            ("compute cluster", self._compute),
            ("storage", self._storage),
            ("job defaults", self._job_defaults),
            ("registry", self._registry),
            ("key vault", self._key_vault),
        ]
        for name, check in resources:
            if group.status != "ok":
                yield CheckResult(name, "skip", f"{naming.resource_group(self.env)} is not there yet")
            else:
                yield _guarded(name, check)
        yield from self._endpoints(group.status == "ok")
        # Quota is the subscription's in the region: it matters before the zone is applied too.
        yield from self._quotas()

    def _credentials(self) -> CheckResult:
        return CheckResult("credentials", "ok", caller(self.azure.token(ARM_SCOPE)))

    def _subscription(self) -> CheckResult:
        found = self.azure.get_or_none(self.paths.subscription)
        if found is None:
            return CheckResult(
                "subscription", "fail", f"{self.env.account_id} not found or not visible to this caller"
            )
        state = found.get("state", "?")
        if state != "Enabled":
            return CheckResult("subscription", "fail", f"{found.get('displayName', '?')} is {state}")
        return CheckResult(
            "subscription", "ok", f"{found.get('displayName', '?')} ({self.env.account_id}) is Enabled"
        )

    def _lookup(self, name: str, path: str) -> dict[str, Any] | CheckResult:
        """The resource, or the failed check when it is missing or not provisioned."""
        found = self.azure.get_or_none(path)
        if found is None:
            return CheckResult(
                name,
                "fail",
                f"{path.rsplit('/', 1)[-1]} not found: apply the landing zone (make plan apply ENV={self.env.name})",
            )
        state = found.get("properties", {}).get("provisioningState", "Succeeded")
        if state not in {"Succeeded", "Updating"}:
            return CheckResult(name, "fail", f"{path.rsplit('/', 1)[-1]} is {state}")
        return found

    def _exists(self, name: str, path: str, describe: Callable[[dict[str, Any]], str]) -> CheckResult:
        found = self._lookup(name, path)
        return found if isinstance(found, CheckResult) else CheckResult(name, "ok", describe(found))

    def _resource_group(self) -> CheckResult:
        return self._exists(
            "resource group",
            self.paths.resource_group,
            lambda found: f"{found['name']} in {found.get('location', '?')}",
        )

    def _workspace(self) -> CheckResult:
        def describe(found: dict[str, Any]) -> str:
            access = found.get("properties", {}).get("publicNetworkAccess", "?")
            return f"{found['name']} (public network access {access})"

        return self._exists("workspace", self.paths.workspace, describe)

    def _compute(self) -> CheckResult:
        def describe(found: dict[str, Any]) -> str:
            inner = found.get("properties", {}).get("properties", {})
            scale = inner.get("scaleSettings", {})
            return (
                f"{found['name']}: {inner.get('vmSize', '?')} {inner.get('vmPriority', '?')}, "
                f"{scale.get('minNodeCount', '?')}–{scale.get('maxNodeCount', '?')} nodes"
            )

        return self._exists("compute cluster", self.paths.compute, describe)

    def _storage(self) -> CheckResult:
        def describe(found: dict[str, Any]) -> str:
            shared = found.get("properties", {}).get("allowSharedKeyAccess")
            keys = "shared keys off" if shared is False else "shared keys allowed"
            return f"{found['name']} ({keys})"

        return self._exists("storage", self.paths.storage_account, describe)

    def _job_defaults(self) -> CheckResult:
        defaults = self.read_job_defaults()
        return CheckResult(
            "job defaults",
            "ok",
            f"{naming.ARTIFACTS_CONTAINER}/{naming.JOB_DEFAULTS_BLOB} (schema {defaults.schema_version}): "
            f"{defaults.instance_count} × {defaults.vm_size} on {defaults.compute_name}",
        )

    def _registry(self) -> CheckResult:
        def describe(found: dict[str, Any]) -> str:
            properties = found.get("properties", {})
            admin = "admin user ON" if properties.get("adminUserEnabled") else "admin user off"
            return f"{properties.get('loginServer', found['name'])} ({found.get('sku', {}).get('name', '?')}, {admin})"

        return self._exists("registry", self.paths.registry, describe)

    def _key_vault(self) -> CheckResult:
        def describe(found: dict[str, Any]) -> str:
            properties = found.get("properties", {})
            purge = "on" if properties.get("enablePurgeProtection") else "off"
            return f"{found['name']} (RBAC {properties.get('enableRbacAuthorization', '?')}, purge protection {purge})"

        return self._exists("key vault", self.paths.key_vault, describe)

    def _endpoints(self, group_ok: bool) -> Iterator[CheckResult]:
        endpoints = self.env.serving.endpoints
        if not endpoints:
            yield CheckResult("endpoint", "skip", "the spec has no serving endpoints")
            return
        for endpoint in endpoints:
            label = f"endpoint {endpoint.name}"
            if not group_ok:
                yield CheckResult(label, "skip", f"{naming.resource_group(self.env)} is not there yet")
                continue
            name = naming.online_endpoint(self.env, endpoint.name)
            yield _guarded(
                label, lambda label=label, name=name, auth=endpoint.auth: self._endpoint(label, name, auth)
            )

    def _endpoint(self, label: str, name: str, auth: str) -> CheckResult:
        found = self._lookup(label, self.paths.endpoint(name))
        if isinstance(found, CheckResult):
            return found
        properties = found.get("properties", {})
        traffic = properties.get("traffic") or {}
        served = ", ".join(f"{k} {v}%" for k, v in sorted(traffic.items())) or "no deployment yet"
        live = properties.get("authMode", "?")
        detail = f"{found['name']} ({live} auth): {served}"
        expected = catalog.ENDPOINT_AUTH_MODES[auth]
        if live == expected:
            return CheckResult(label, "ok", detail)
        # Changed by hand, or the spec changed and was not applied: callers holding the spec's kind of
        # credential get 401s.
        return CheckResult(
            label,
            "fail",
            f"{detail}; the spec says auth: {auth} ({expected}): apply the landing zone "
            f"(make plan apply ENV={self.env.name})",
        )

    def _quotas(self) -> Iterator[CheckResult]:
        """The cluster at its maximum nodes and every endpoint at its maximum instances against the vCPU
        quota of their VM families (mlgen.clouds.azure.ops.quota says where the numbers come from)."""
        training = self.env.training
        try:
            cluster = (
                catalog.training_size(training.gpu, training.gpus_per_node),
                training.nodes,
                training.spot,
            )
            endpoints = [
                (
                    f"endpoint {endpoint.name}",
                    # What the release deploys (serving.deployment_body), not an estimate's size.
                    serving.INSTANCE_TYPES[endpoint.size],
                    sum(variant["max_capacity"] for variant in endpoint_variants(endpoint).values()),
                )
                for endpoint in self.env.serving.endpoints
                if not endpoint.serverless
            ]
        except (AdapterError, KeyError) as error:
            yield CheckResult("vCPU quota", "fail", f"the spec has no Azure size: {error}")
            return
        try:
            sizes = list(self.azure.paged(f"{self.paths.ml_location}/vmSizes"))
            usages = list(self.azure.paged(f"{self.paths.ml_location}/usages"))
        except OpsError as error:  # a denied or failed read is one failed check, never a traceback
            yield CheckResult("vCPU quota", "fail", error.message)
            return
        needs, problems = quota.needs(sizes, cluster, endpoints)
        yield from problems
        yield from quota.results(usages, needs, self.env.region)
