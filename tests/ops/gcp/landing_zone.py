"""What `terraform apply` of a GCP environment leaves behind, made directly in the fakes.

Only what the ops commands read or must remove: the project and its APIs, the zone buckets (labelled as the
modules label them) with the job-defaults document, the Artifact Registry repository, the empty Vertex AI
endpoint, and the key ring's keys. Names come from mlgen.clouds.gcp.naming, as the landing zone's do.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.ops.gcp.fake_google import FakeGoogle, compute_quota, quota_info

from mlgen.clouds.gcp import naming
from mlgen.clouds.gcp.ops.job_defaults import example
from mlgen.plan import EnvironmentPlan, load_plan

PROJECT = "churn-gcp"
REGION = "us-central1"
PROJECT_NUMBER = {"dev": "111111111111", "prod": "222222222222"}
APIS = (
    "aiplatform.googleapis.com",
    "artifactregistry.googleapis.com",
    "cloudasset.googleapis.com",  # optional for mlgen; a test turns it off
    "cloudkms.googleapis.com",
    "cloudquotas.googleapis.com",  # optional for mlgen: the Vertex AI quota checks read through it
    "compute.googleapis.com",
    "logging.googleapis.com",
    "storage.googleapis.com",
)
# What a project's quotas could look like, enough for the spec below: Vertex AI's (Cloud Quotas metric ->
# quota id, value in us-central1, default elsewhere) and Compute Engine's regional and project-wide limits.
VERTEX_QUOTAS = {
    "custom_model_training_cpus": ("CustomModelTrainingCPUsPerProjectPerRegion", 64, 24),
    "custom_model_training_nvidia_t4_gpus": ("CustomModelTrainingT4GPUsPerProjectPerRegion", 4, 1),
    "custom_model_training_preemptible_nvidia_t4_gpus": (
        "CustomModelTrainingPreemptibleT4GPUsPerProjectPerRegion",
        4,
        1,
    ),
    "custom_model_training_nvidia_l4_gpus": ("CustomModelTrainingL4GPUsPerProjectPerRegion", 0, 0),
    "custom_model_serving_cpus": ("CustomModelServingCPUsPerProjectPerRegion", 16, 8),
    "custom_model_serving_nvidia_l4_gpus": ("CustomModelServingL4GPUsPerProjectPerRegion", 2, 0),
}
COMPUTE_QUOTAS = {"CPUS": 24, "NVIDIA_T4_GPUS": 4, "PREEMPTIBLE_NVIDIA_T4_GPUS": 8, "NVIDIA_L4_GPUS": 0}
PROJECT_QUOTAS = {"CPUS_ALL_REGIONS": 32, "GPUS_ALL_REGIONS": 8}

SPEC = """\
project: {project}
cloud: gcp
region: us-central1
blueprint: starter
owner: "data-team@example.com"
cost_center: "cc-0042"
serving:
  endpoints:
    - name: default
      size: small
      serverless: false
      min_replicas: 1
      max_replicas: 2
environments:
  dev:
    account_id: "churn-gcp-dev"
    state: {{bucket: churn-gcp-dev-tfstate-5d41402a}}
  prod:
    account_id: "churn-gcp-prod"
    deletion_protection: {prod_protection}
    state: {{bucket: churn-gcp-prod-tfstate-5d41402a}}
"""


def storage_client(project: str) -> Any:
    from google.auth.credentials import AnonymousCredentials
    from google.cloud import storage

    return storage.Client(project=project, credentials=AnonymousCredentials())


class LandingZone:
    def __init__(self, fake: FakeGoogle, project_dir: Path) -> None:
        self.fake = fake
        self.project_dir = project_dir

    def write_spec(self, prod_protection: bool = False) -> Path:
        self.project_dir.mkdir(parents=True, exist_ok=True)
        path = self.project_dir / "mlgen.yaml"
        path.write_text(
            SPEC.format(project=PROJECT, prod_protection=str(prod_protection).lower()), encoding="utf-8"
        )
        return path

    def env(self, name: str = "dev") -> EnvironmentPlan:
        return load_plan(self.project_dir / "mlgen.yaml").environments[name]

    def location(self, name: str = "dev") -> str:
        return f"projects/{self.env(name).account_id}/locations/{REGION}"

    def job_defaults(self, name: str = "dev", **changes: Any) -> dict[str, Any]:
        env = self.env(name)
        number = PROJECT_NUMBER[name]
        return example(
            project_id=env.account_id,
            project_number=number,
            region=REGION,
            network=f"projects/{number}/global/networks/{env.prefix}",
            image_uri=naming.image_uri(env, "training", "git-abc1234"),
            machine_type="n1-standard-8",
            accelerator_type="NVIDIA_TESLA_T4",
            accelerator_count=1,
            replica_count=1,
            spot=True,
            service_account=naming.service_account_email(env, "training"),
            kms_key_name=f"{self.location(name)}/keyRings/{naming.key_ring(env)}/cryptoKeys/{env.prefix}-vertex",
            base_output_uri=f"gs://{naming.bucket_name(env, 'artifacts')}/jobs",
            staging_bucket=f"gs://{naming.bucket_name(env, 'staging')}",
            **changes,
        )

    def bucket(self, project_id: str, name: str, labels: dict[str, str] | None) -> Any:
        client = storage_client(project_id)
        bucket = client.create_bucket(name)
        if labels is not None:
            bucket.labels = labels
            bucket.patch()
        return bucket

    def apply(self, name: str = "dev", job_defaults: dict[str, Any] | None = None) -> None:
        env = self.env(name)
        labels = naming.labels(env)
        state = self.fake.state
        state.projects[env.account_id] = {
            "name": f"projects/{PROJECT_NUMBER[name]}",
            "projectId": env.account_id,
            "state": "ACTIVE",
        }
        state.services[env.account_id] = set(APIS)
        self.set_quotas(name)
        for zone in [*env.storage.zones, "staging"]:
            self.bucket(env.account_id, naming.bucket_name(env, zone), labels)
        self.bucket(env.account_id, env.state.bucket, labels)
        artifacts = storage_client(env.account_id).bucket(naming.bucket_name(env, "artifacts"))
        document = job_defaults if job_defaults is not None else self.job_defaults(name)
        artifacts.blob(naming.JOB_DEFAULTS_OBJECT).upload_from_string(json.dumps(document))
        repository = f"{self.location(name)}/repositories/{naming.repository_id(env)}"
        state.repositories[repository] = {"name": repository, "format": "DOCKER", "labels": labels}
        for endpoint in env.serving.endpoints:
            endpoint_name = f"{self.location(name)}/endpoints/{naming.endpoint_id(env, endpoint.name)}"
            state.endpoints[endpoint_name] = {
                "name": endpoint_name,
                "displayName": naming.endpoint_display_name(env, endpoint.name),
                "labels": labels,
                "deployedModels": [],
                "trafficSplit": {},
                # modules/gcp/serving: private endpoints are Private Service Connect, this project allowed.
                **(
                    {
                        "privateServiceConnectConfig": {
                            "enablePrivateServiceConnect": True,
                            "projectAllowlist": [env.account_id],
                        }
                    }
                    if env.network.private_endpoints
                    else {}
                ),
            }
        ring = f"{self.location(name)}/keyRings/{naming.key_ring(env)}"
        for purpose in ("storage", "vertex"):
            key = f"{ring}/cryptoKeys/{env.prefix}-{purpose}"
            state.keys[key] = {
                "name": key,
                "labels": labels,
                "versions": [{"name": f"{key}/cryptoKeyVersions/1", "state": "ENABLED"}],
            }

    def set_quotas(self, name: str = "dev", **vertex: int | None) -> None:
        """The project's quotas (VERTEX_QUOTAS, COMPUTE_QUOTAS, PROJECT_QUOTAS); ``vertex`` sets a Vertex AI
        metric's value in the region (its key without the service), or removes the metric when None."""
        env = self.env(name)
        values = {
            metric: (quota_id, regional, other)
            for metric, (quota_id, regional, other) in VERTEX_QUOTAS.items()
        }
        for metric, value in vertex.items():
            if value is None:
                values.pop(metric, None)
            else:
                quota_id = values.get(metric, (f"{metric}-id", 0, 0))[0]
                values[metric] = (quota_id, value, 0)
        service = "aiplatform.googleapis.com"
        self.fake.state.quota_infos[(env.account_id, service)] = [
            quota_info(
                PROJECT_NUMBER[name],
                service,
                quota_id,
                f"{service}/{metric}",
                {REGION: regional, None: other},
            )
            for metric, (quota_id, regional, other) in sorted(values.items())
        ]
        self.fake.state.region_quotas[(env.account_id, REGION)] = [
            compute_quota(metric, limit) for metric, limit in COMPUTE_QUOTAS.items()
        ]
        self.fake.state.project_quotas[env.account_id] = [
            compute_quota(metric, limit) for metric, limit in PROJECT_QUOTAS.items()
        ]

    def push_serving_tag(self, tag: str, name: str = "dev") -> None:
        env = self.env(name)
        repository = f"{self.location(name)}/repositories/{naming.repository_id(env)}"
        self.fake.state.tags.add(f"{repository}/packages/serving/tags/{tag}")

    def upload_model_files(self, prefix: str, name: str = "dev") -> str:
        env = self.env(name)
        bucket = naming.bucket_name(env, "artifacts")
        blob = storage_client(env.account_id).bucket(bucket).blob(f"{prefix}/MLmodel")
        blob.upload_from_string("flavors: {}\n")
        return f"gs://{bucket}/{prefix}"
