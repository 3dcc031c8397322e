"""The Azure adapter: spec checks, state naming, plan → Terraform roots, cost items, idle-cost notes and CI
data."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from mlgen.clouds.azure import catalog, naming
from mlgen.clouds.azure.capabilities import CAPABILITIES
from mlgen.clouds.base import SpecFinding
from mlgen.clouds.package_adapter import PackageAdapter

if TYPE_CHECKING:
    from mlgen.spec.models import Spec

# Log Analytics (PerGB2018) keeps logs interactively for 30-730 days.
LOG_RETENTION_DAYS = (30, 730)
# A budget has at most five notifications; the forecast notification takes one.
MAX_BUDGET_THRESHOLDS = 4
STORAGE_ACCOUNT_NAME = re.compile(r"^[a-z0-9]{3,24}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class AzureAdapter(PackageAdapter):
    cloud = "azure"
    capabilities = CAPABILITIES

    def check_spec(self, spec: Spec) -> list[SpecFinding]:
        """What the spec allows but the Azure modules cannot build; each check is the one generate relies on."""
        findings = []
        limit = CAPABILITIES.name_limits.project
        if len(spec.project) > limit:
            findings.append(
                SpecFinding(
                    "project",
                    f"{spec.project!r} is {len(spec.project)} characters; Azure ML workspace names "
                    f"(mlw-<project>-<environment>) allow a project of at most {limit}",
                    f"shorten the project name to {limit} characters",
                )
            )
        owner_is_email = EMAIL.match(spec.owner) is not None
        ci = spec.access.ci
        for index, branch in enumerate(ci.branches if ci is not None else []):
            if "*" in branch:
                # A federated identity credential matches its subject exactly (the wildcard "flexible"
                # credentials are a preview azurerm cannot create): a glob would be a login that never works.
                findings.append(
                    SpecFinding(
                        f"access.ci.branches[{index}]",
                        f"{branch!r} is a glob; Azure federated credentials match one exact branch each",
                        "list the branches by name (pull requests can always plan)",
                    )
                )
        for name, env in spec.environments.items():
            where = f"environments.{name}"
            try:
                catalog.training_size(env.training.gpu, env.training.gpus_per_node)
            except catalog.CatalogError as error:
                findings.append(SpecFinding(f"{where}.training", str(error)))
            if env.training.platform == "vm":
                findings.append(
                    SpecFinding(
                        f"{where}.training.platform",
                        "Azure has no separate GPU VM fleet: training runs on the Azure ML compute cluster",
                        "set training.platform: managed",
                    )
                )
            low, high = LOG_RETENTION_DAYS
            days = env.monitoring.log_retention_days
            if not low <= days <= high:
                findings.append(
                    SpecFinding(
                        f"{where}.monitoring.log_retention_days",
                        f"Log Analytics keeps logs {low}-{high} days, not {days}",
                        f"set monitoring.log_retention_days to {min(max(days, low), high)}",
                    )
                )
            if len(env.budgets.thresholds) > MAX_BUDGET_THRESHOLDS:
                findings.append(
                    SpecFinding(
                        f"{where}.budgets.thresholds",
                        f"an Azure budget has at most 5 notifications: {MAX_BUDGET_THRESHOLDS} thresholds plus "
                        f"the forecast, not {len(env.budgets.thresholds)}",
                        "keep the 4 thresholds that matter, e.g. [50, 80, 100]",
                    )
                )
            if not env.budgets.emails and not owner_is_email:
                findings.append(
                    SpecFinding(
                        f"{where}.budgets.emails",
                        "Azure budget notifications need at least one e-mail, and owner is not one",
                        "set budgets.emails, or an e-mail address as owner",
                    )
                )
            if not env.monitoring.emails and not owner_is_email:
                findings.append(
                    SpecFinding(
                        f"{where}.monitoring.emails",
                        "the alert action group needs at least one e-mail, and owner is not one",
                        "set monitoring.emails, or an e-mail address as owner",
                    )
                )
            bucket = env.state.bucket
            if bucket is not None and not STORAGE_ACCOUNT_NAME.match(bucket):
                findings.append(
                    SpecFinding(
                        f"{where}.state.bucket",
                        f"{bucket!r} is not a storage account name (3-24 lower-case letters and digits)",
                        "remove state.bucket to use the derived name",
                    )
                )
        return findings

    def state_bucket(self, project: str, environment: str, account_id: str) -> str:
        # Storage account names are global: a hash of the subscription makes this one unique.
        return naming.state_storage_account(project, environment, account_id)


ADAPTER = AzureAdapter()
