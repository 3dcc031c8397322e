"""`mlgen doctor` on AWS: is this account ready for the landing zone's jobs and endpoints?

Each check returns one CheckResult; a check whose API the endpoint does not offer is a skip that says so.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from mlgen.clouds.aws import catalog
from mlgen.clouds.aws.ops.session import Clients, describe_aws_error, is_unavailable
from mlgen.clouds.aws.ops.training import job_defaults_parameter
from mlgen.ops.base import CheckResult
from mlgen.plan import EnvironmentPlan

GITHUB_OIDC_HOST = "token.actions.githubusercontent.com"
COST_TAG = "project"


def quota_result(name: str, quotas: list[dict[str, Any]], quota_name: str, needed: int) -> CheckResult:
    """Compare the applied quota named ``quota_name`` (Service Quotas' words) with what the spec needs."""
    for quota in quotas:
        if quota.get("QuotaName") == quota_name:
            value = int(quota.get("Value", 0))
            if value >= needed:
                return CheckResult(name, "ok", f"{quota_name}: {value} (need {needed})")
            return CheckResult(
                name,
                "fail",
                f"{quota_name} is {value}, the spec needs {needed}: request an increase in the Service Quotas "
                f"console (service SageMaker, code {quota.get('QuotaCode', '?')})",
            )
    return CheckResult(
        name,
        "fail",
        f"no quota named {quota_name!r} in this region: the instance type may not be offered here",
    )


def _guarded(name: str, check: Callable[[], CheckResult]) -> CheckResult:
    try:
        return check()
    except Exception as error:  # any AWS error becomes one actionable line, never a traceback
        if is_unavailable(error):
            return CheckResult(
                name, "skip", f"the endpoint does not offer this API ({describe_aws_error(error)})"
            )
        from botocore.exceptions import BotoCoreError, ClientError

        if isinstance(error, BotoCoreError | ClientError):
            return CheckResult(name, "fail", describe_aws_error(error))
        raise


class Doctor:
    def __init__(self, clients: Clients, project: str, env: EnvironmentPlan) -> None:
        self.clients, self.project, self.env = clients, project, env
        self.identity: dict[str, Any] | None = None

    def checks(self) -> Iterator[CheckResult]:
        credentials = _guarded("credentials", self._credentials)
        yield credentials
        if credentials.status != "ok":
            return  # every other check would fail for the same reason
        yield self._account()
        yield _guarded("region", self._region)
        yield _guarded("landing zone", self._landing_zone)
        yield _guarded("training quota", self._training_quota)
        yield from self._endpoint_quotas()
        yield _guarded("cost allocation tag", self._cost_tag)
        yield _guarded("github oidc", self._oidc)

    def _credentials(self) -> CheckResult:
        self.identity = self.clients("sts").get_caller_identity()
        return CheckResult("credentials", "ok", f"calling as {self.identity['Arn']}")

    def _account(self) -> CheckResult:
        account = self.identity["Account"] if self.identity else "?"
        if account == self.env.account_id:
            return CheckResult("account", "ok", f"{account} is the account of {self.env.name}")
        return CheckResult(
            "account",
            "fail",
            f"credentials are for account {account}, but {self.env.name} lives in {self.env.account_id}: "
            f"switch profile (AWS_PROFILE) to one for {self.env.account_id}",
        )

    def _region(self) -> CheckResult:
        zones = self.clients("ec2").describe_availability_zones(
            Filters=[{"Name": "state", "Values": ["available"]}]
        )["AvailabilityZones"]
        needed = self.env.network.az_count
        if len(zones) < needed:
            return CheckResult(
                "region",
                "fail",
                f"{self.env.region} has {len(zones)} available zones, the spec needs {needed}",
            )
        return CheckResult(
            "region", "ok", f"{self.env.region}: {len(zones)} availability zones (need {needed})"
        )

    def _landing_zone(self) -> CheckResult:
        name = job_defaults_parameter(self.project, self.env.name)
        try:
            value = self.clients("ssm").get_parameter(Name=name, WithDecryption=True)["Parameter"]["Value"]
        except Exception as error:
            if getattr(error, "response", {}).get("Error", {}).get("Code") == "ParameterNotFound":
                return CheckResult(
                    "landing zone",
                    "fail",
                    f"{name} not found: the landing zone of {self.env.name} is not applied yet "
                    f"(make bootstrap init plan apply ENV={self.env.name})",
                )
            raise
        defaults = json.loads(value)
        return CheckResult("landing zone", "ok", f"applied ({name}, schema {defaults.get('schema_version')})")

    def _service_quotas(self) -> list[dict[str, Any]]:
        quotas = self.clients("service-quotas")
        found: list[dict[str, Any]] = []
        for page in quotas.get_paginator("list_service_quotas").paginate(ServiceCode="sagemaker"):
            found += page["Quotas"]
        return found

    def _training_quota(self) -> CheckResult:
        training = self.env.training
        instance = catalog.sagemaker_training_instance(training.gpu, training.gpus_per_node)
        usage = "spot training job usage" if training.spot else "training job usage"
        return quota_result(
            "training quota", self._service_quotas(), f"{instance} for {usage}", training.nodes
        )

    def _endpoint_quotas(self) -> Iterator[CheckResult]:
        needed: dict[str, int] = {}
        for endpoint in self.env.serving.endpoints:
            if not endpoint.serverless:
                instance = catalog.endpoint_size(endpoint.size).instance_type
                needed[instance] = needed.get(instance, 0) + endpoint.max_replicas
        if not needed:
            yield CheckResult("endpoint quota", "skip", "no instance-backed endpoints in the spec")
            return
        for instance, count in sorted(needed.items()):
            yield _guarded(
                "endpoint quota",
                lambda instance=instance, count=count: quota_result(
                    "endpoint quota", self._service_quotas(), f"{instance} for endpoint usage", count
                ),
            )

    def _cost_tag(self) -> CheckResult:
        # Cost Explorer is a global service served from us-east-1.
        ce = self.clients.other_region("ce", "us-east-1")
        tags = ce.list_cost_allocation_tags(TagKeys=[COST_TAG]).get("CostAllocationTags", [])
        if any(tag.get("TagKey") == COST_TAG and tag.get("Status") == "Active" for tag in tags):
            return CheckResult(
                "cost allocation tag", "ok", f"'{COST_TAG}' is active for cost reports and budgets"
            )
        return CheckResult(
            "cost allocation tag",
            "fail",
            f"'{COST_TAG}' is not an active cost allocation tag: the budget's project filter sees no costs. "
            "Activate it in Billing → Cost allocation tags (from the payer account)",
        )

    def _oidc(self) -> CheckResult:
        if self.env.access.ci is None:
            return CheckResult("github oidc", "skip", "no access.ci in the spec: CI does not assume a role")
        providers = self.clients("iam").list_open_id_connect_providers()["OpenIDConnectProviderList"]
        matching = [p["Arn"] for p in providers if p["Arn"].endswith(f"/{GITHUB_OIDC_HOST}")]
        if matching:
            return CheckResult("github oidc", "ok", f"provider {matching[0]}")
        return CheckResult(
            "github oidc",
            "fail",
            f"no OIDC provider for {GITHUB_OIDC_HOST} in {self.env.account_id}: the landing zone creates it on "
            "apply (access.ci), or it was deleted",
        )
