"""The AWS adapter: spec checks, state naming, plan → Terraform roots, cost items, idle-cost notes and CI
data."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlgen.clouds.aws import catalog
from mlgen.clouds.aws.capabilities import CAPABILITIES
from mlgen.clouds.base import SpecFinding
from mlgen.clouds.package_adapter import PackageAdapter

if TYPE_CHECKING:
    from mlgen.spec.models import Spec


class AwsAdapter(PackageAdapter):
    cloud = "aws"
    capabilities = CAPABILITIES

    def check_spec(self, spec: Spec) -> list[SpecFinding]:
        """Every environment's training must map to an instance (the capabilities already say which
        counts exist; this runs the very lookup generate runs, so the two cannot drift apart)."""
        findings = []
        for name, env in spec.environments.items():
            lookups = [catalog.sagemaker_training_instance]
            if env.training.platform == "vm":
                lookups.append(catalog.ec2_gpu_instance)
            for lookup in lookups:
                try:
                    lookup(env.training.gpu, env.training.gpus_per_node)
                except catalog.CatalogError as error:
                    findings.append(SpecFinding(f"environments.{name}.training", str(error)))
        return findings

    def state_bucket(self, project: str, environment: str, account_id: str) -> str:
        # S3 bucket names are global; the account id makes this one unique.
        return f"{project}-{environment}-tfstate-{account_id}"


ADAPTER = AwsAdapter()
