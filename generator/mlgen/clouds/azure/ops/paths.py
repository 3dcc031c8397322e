"""ARM resource paths of one environment, from the shared names (mlgen.clouds.azure.naming)."""

from __future__ import annotations

from dataclasses import dataclass

from mlgen.clouds.azure import naming
from mlgen.plan import EnvironmentPlan

ML = "Microsoft.MachineLearningServices"


@dataclass(frozen=True)
class Paths:
    env: EnvironmentPlan

    @property
    def subscription(self) -> str:
        return f"/subscriptions/{self.env.account_id}"

    @property
    def resource_group(self) -> str:
        return f"{self.subscription}/resourceGroups/{naming.resource_group(self.env)}"

    @property
    def state_resource_group(self) -> str:
        return f"{self.subscription}/resourceGroups/{naming.state_resource_group(self.env)}"

    def _in_group(self, provider_path: str) -> str:
        return f"{self.resource_group}/providers/{provider_path}"

    @property
    def workspace(self) -> str:
        return self._in_group(f"{ML}/workspaces/{naming.workspace(self.env)}")

    @property
    def compute(self) -> str:
        return f"{self.workspace}/computes/{naming.compute_cluster(self.env)}"

    @property
    def jobs(self) -> str:
        return f"{self.workspace}/jobs"

    def job(self, name: str) -> str:
        return f"{self.jobs}/{name}"

    def environment_version(self, name: str, version: str) -> str:
        return f"{self.workspace}/environments/{name}/versions/{version}"

    def model_version(self, name: str, version: str) -> str:
        return f"{self.workspace}/models/{name}/versions/{version}"

    @property
    def endpoints(self) -> str:
        return f"{self.workspace}/onlineEndpoints"

    def endpoint(self, name: str) -> str:
        return f"{self.endpoints}/{name}"

    def deployment(self, endpoint: str, name: str) -> str:
        return f"{self.endpoint(endpoint)}/deployments/{name}"

    @property
    def autoscale_settings(self) -> str:
        return self._in_group("Microsoft.Insights/autoscalesettings")

    def autoscale_setting(self, endpoint: str, deployment: str) -> str:
        return f"{self.autoscale_settings}/{naming.autoscale_setting(endpoint, deployment)}"

    @property
    def ml_location(self) -> str:
        """The subscription's Azure ML resources in the environment's region: usages and VM sizes."""
        return f"{self.subscription}/providers/{ML}/locations/{self.env.region}"

    @property
    def storage_account(self) -> str:
        return self._in_group(f"Microsoft.Storage/storageAccounts/{naming.storage_account(self.env)}")

    def state_storage_account(self, account: str) -> str:
        return f"{self.state_resource_group}/providers/Microsoft.Storage/storageAccounts/{account}"

    @property
    def registry(self) -> str:
        return self._in_group(f"Microsoft.ContainerRegistry/registries/{naming.container_registry(self.env)}")

    @property
    def key_vault(self) -> str:
        return self._in_group(f"Microsoft.KeyVault/vaults/{naming.key_vault(self.env)}")

    @property
    def deleted_key_vault(self) -> str:
        return (
            f"{self.subscription}/providers/Microsoft.KeyVault/locations/{self.env.region}"
            f"/deletedVaults/{naming.key_vault(self.env)}"
        )
