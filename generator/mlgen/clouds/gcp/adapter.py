"""The GCP adapter: spec checks, state naming, plan → Terraform roots, cost items, idle-cost notes and CI
data."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlgen.clouds.base import SpecFinding
from mlgen.clouds.gcp import catalog, naming
from mlgen.clouds.gcp.capabilities import CAPABILITIES
from mlgen.clouds.package_adapter import PackageAdapter

if TYPE_CHECKING:
    from mlgen.spec.models import Spec

LOG_RETENTION_MAX_DAYS = 3650  # Cloud Logging buckets keep logs 1 to 3650 days


class GcpAdapter(PackageAdapter):
    cloud = "gcp"
    capabilities = CAPABILITIES

    def check_spec(self, spec: Spec) -> list[SpecFinding]:
        """Every environment's training must map to a machine type (the very lookup generate runs), and
        what Cloud Logging accepts."""
        findings = []
        for name, env in spec.environments.items():
            try:
                catalog.gpu_machine(env.training.gpu, env.training.gpus_per_node)
            except catalog.CatalogError as error:
                findings.append(SpecFinding(f"environments.{name}.training", str(error)))
            retention = {
                "monitoring.log_retention_days": env.monitoring.log_retention_days,
                "network.flow_log_retention_days": env.network.flow_log_retention_days,
            }
            for field, days in retention.items():
                if days > LOG_RETENTION_MAX_DAYS:
                    findings.append(
                        SpecFinding(
                            f"environments.{name}.{field}",
                            f"Cloud Logging keeps logs at most {LOG_RETENTION_MAX_DAYS} days, not {days}",
                            f"set {field.split('.')[1]} to {LOG_RETENTION_MAX_DAYS} or less",
                        )
                    )
        return findings

    def state_bucket(self, project: str, environment: str, account_id: str) -> str:
        # GCS bucket names are global; a hash of the project id makes this one unique.
        return naming.state_bucket(project, environment, account_id)


ADAPTER = GcpAdapter()
