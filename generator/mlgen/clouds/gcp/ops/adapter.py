"""GcpOps: the GCP implementation of mlgen's ops interface (mlgen.ops.base.CloudOps)."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property
from typing import Any

import click

from mlgen.clouds.gcp import naming
from mlgen.clouds.gcp.ops import inventory, serving
from mlgen.clouds.gcp.ops.doctor import Doctor
from mlgen.clouds.gcp.ops.job_defaults import JobDefaults, parse_job_defaults
from mlgen.clouds.gcp.ops.models import upload_model_folder
from mlgen.clouds.gcp.ops.session import Clients, is_not_found, translated
from mlgen.clouds.gcp.ops.training import (
    RUNNING_STATES,
    build_custom_job,
    custom_job_json,
    neutral_status,
)
from mlgen.ops.base import CheckResult, Echo, JobStatus, Resource, TrainingOverrides
from mlgen.ops.context import OpsContext
from mlgen.ops.errors import OpsError
from mlgen.ops.follow import wait_until_stopped
from mlgen.ops.mlflow_models import MLFLOW_SCHEMES, download_mlflow_model
from mlgen.ops.release_apply import confirm_release

STOP_POLL_S = 15
REGISTRY_USER = "oauth2accesstoken"  # Artifact Registry's docker user for an OAuth access token
OPERATION_TIMEOUT_S = 1800


class GcpOps:
    cloud = "gcp"

    def __init__(self, context: OpsContext) -> None:
        self.context = context
        self.env = context.env
        self.prefix = self.env.prefix
        self.labels = inventory.Labels(context.project, self.env.name)
        self.poll_s = STOP_POLL_S

    @cached_property
    def clients(self) -> Clients:
        return Clients(self.env.account_id, self.env.region)

    @property
    def location(self) -> str:
        return inventory.location(self.clients)

    # --- doctor ----------------------------------------------------------------------------------------

    def doctor_checks(self) -> Iterator[CheckResult]:
        return Doctor(self.clients, self.env, self.job_defaults).checks()

    # --- training --------------------------------------------------------------------------------------

    @property
    def job_defaults_uri(self) -> str:
        return f"gs://{naming.bucket_name(self.env, 'artifacts')}/{naming.JOB_DEFAULTS_OBJECT}"

    @translated
    def job_defaults(self) -> JobDefaults:
        bucket = self.clients.storage.bucket(naming.bucket_name(self.env, "artifacts"))
        blob = bucket.blob(naming.JOB_DEFAULTS_OBJECT)
        try:
            raw = blob.download_as_bytes()
        except Exception as error:
            if not is_not_found(error):
                raise
            raw = None
        defaults = parse_job_defaults(raw, self.job_defaults_uri)
        if defaults.project_id != self.env.account_id:
            raise OpsError(
                f"{self.job_defaults_uri} names project {defaults.project_id}, but {self.env.name} is "
                f"{self.env.account_id} in mlgen.yaml: apply the landing zone of this spec"
            )
        return defaults

    def custom_job(self, overrides: TrainingOverrides, job_name: str, code_version: str) -> Any:
        return build_custom_job(
            self.job_defaults(),
            overrides,
            job_name,
            code_version,
            experiment=self.prefix,
            labels=naming.labels(self.env),
        )

    def training_request(self, overrides: TrainingOverrides, job_name: str, code_version: str) -> dict:
        return custom_job_json(self.custom_job(overrides, job_name, code_version))

    def submission_summary(self, request: dict) -> str:
        pools = request["jobSpec"]["workerPoolSpecs"]
        machine = pools[0]["machineSpec"]
        count = sum(int(pool.get("replicaCount", 0)) for pool in pools)
        gpus = (
            f" + {machine['acceleratorCount']} × {machine['acceleratorType']}"
            if machine.get("acceleratorType")
            else ""
        )
        strategy = request["jobSpec"].get("scheduling", {}).get("strategy", "STANDARD")
        capacity = "spot" if strategy == "SPOT" else "on-demand"
        return f"{count} × {machine['machineType']}{gpus} ({capacity})"

    @translated
    def submit_training(self, overrides: TrainingOverrides, job_name: str, code_version: str) -> dict:
        job = self.custom_job(overrides, job_name, code_version)
        created = self.clients.vertex("job").create_custom_job(parent=self.location, custom_job=job)
        return {**custom_job_json(job), "name": created.name}

    def _jobs(self, extra: str = "") -> list[Any]:
        return inventory.custom_jobs(self.clients, self.labels, extra)

    def _job(self, job_name: str) -> Any:
        found = self._jobs(f'display_name="{job_name}"')
        if not found:
            raise OpsError(f"no training job {job_name} in {self.env.region}: see `mlgen train list`")
        return found[0]

    @staticmethod
    def _status(job: Any) -> JobStatus:
        status, secondary = neutral_status(job.state.name)
        seconds = None
        if job.start_time and job.end_time:
            seconds = int((job.end_time - job.start_time).total_seconds())
        return JobStatus(
            name=job.display_name,
            status=status,
            secondary_status=secondary,
            created=job.create_time.isoformat() if job.create_time else "",
            # Vertex reports no billable time; the run time between start and end is what is billed.
            billable_seconds=seconds,
            failure_reason=job.error.message or None,
        )

    @translated
    def list_jobs(self, limit: int) -> list[JobStatus]:
        jobs = [job for job in self._jobs() if job.display_name.startswith(f"{self.prefix}-")]
        return [self._status(job) for job in jobs[:limit]]

    @translated
    def job_status(self, job_name: str) -> JobStatus:
        return self._status(self._job(job_name))

    @translated
    def job_log_lines(self, job_name: str, since: dict[str, str]) -> list[str]:
        """New lines of every replica (Cloud Logging, resource ml_job); ``since`` keeps the last timestamp
        and the entries already printed at it, because several entries can share one timestamp."""
        job_id = self._job(job_name).name.rsplit("/", 1)[-1]
        query = f'resource.type="ml_job" AND resource.labels.job_id="{job_id}"'
        if since.get("timestamp"):
            query += f' AND timestamp>="{since["timestamp"]}"'
        seen = set(filter(None, since.get("seen", "").split(",")))
        body: dict[str, Any] = {
            "resourceNames": [f"projects/{self.env.account_id}"],
            "filter": query,
            "orderBy": "timestamp asc",
            "pageSize": 1000,
        }
        lines = []
        while True:
            page = self.clients.call("POST", "logging", "v2/entries:list", body)
            for entry in page.get("entries", []):
                if entry.get("insertId") in seen:
                    continue
                if entry.get("timestamp") != since.get("timestamp"):
                    since["timestamp"], seen = entry.get("timestamp", ""), set()
                seen.add(entry.get("insertId", ""))
                replica = entry.get("labels", {}).get("ml.googleapis.com/task_name", "job")
                text = entry.get("textPayload") or entry.get("jsonPayload", {}).get("message", "")
                lines.append(f"[{replica}] {text}")
            if not page.get("nextPageToken"):
                break
            body["pageToken"] = page["nextPageToken"]
        since["seen"] = ",".join(sorted(seen))
        return lines

    @translated
    def stop_job(self, job_name: str) -> None:
        self.clients.vertex("job").cancel_custom_job(name=self._job(job_name).name)

    # --- release ---------------------------------------------------------------------------------------

    @translated
    def check_image(self, image_tag: str) -> str:
        repository = f"{self.location}/repositories/{naming.repository_id(self.env)}"
        try:
            self.clients.call("GET", "artifactregistry", f"v1/{repository}/packages/serving/tags/{image_tag}")
        except Exception as error:
            if is_not_found(error):
                raise OpsError(
                    f"no image serving:{image_tag} in {naming.image_uri(self.env, 'serving', image_tag)}: push "
                    f"it first (mlgen images push --env {self.env.name} --tag {image_tag})"
                ) from error
            raise
        return naming.image_uri(self.env, "serving", image_tag)

    @translated
    def resolve_model(self, uri: str, release_name: str, echo: Echo) -> str:
        """The gs:// folder Vertex downloads into the serving container: a gs:// folder as given, or an
        MLflow model (models:/, runs:/) uploaded to the artifacts bucket under releases/<content hash>/."""
        if uri.startswith(MLFLOW_SCHEMES):
            echo(f"resolving {uri} through MLflow")
            directory = download_mlflow_model(uri, self.job_defaults().mlflow_tracking_uri or None)
            bucket = naming.bucket_name(self.env, "artifacts")
            return upload_model_folder(self.clients.storage, bucket, directory, echo)
        if not uri.startswith("gs://"):
            raise OpsError(
                f"{uri!r} is not a model URI mlgen can release on GCP: give the gs:// folder of an MLflow "
                "model (e.g. the model/ folder a training job wrote under its base output directory), "
                "models:/NAME/VERSION or runs:/RUN_ID/PATH"
            )
        bucket, _, prefix = uri.removeprefix("gs://").partition("/")
        prefix = prefix.rstrip("/")
        listed = self.clients.storage.bucket(bucket).list_blobs(
            prefix=f"{prefix}/" if prefix else None, max_results=1
        )
        if not list(listed):
            raise OpsError(f"{uri} holds no objects: check the URI (it must be the model's folder)")
        return f"gs://{bucket}/{prefix}/" if prefix else f"gs://{bucket}/"

    @translated
    def apply_release(self, release: dict, assume_yes: bool, echo: Echo) -> bool:
        """Upload each model once, deploy to every endpoint of the spec (per variant, with the release's
        weights), move the traffic, undeploy what served before."""
        if not self.env.serving.endpoints:
            raise OpsError(f"{self.env.name} has no serving endpoints in mlgen.yaml: nothing to release to")
        targets = ", ".join(endpoint.name for endpoint in self.env.serving.endpoints)
        confirm_release(self.context, assume_yes, f"this release (endpoints {targets})")
        defaults = self.job_defaults()
        wanted = {
            endpoint.name: serving.wanted_models(endpoint, release) for endpoint in self.env.serving.endpoints
        }
        # One Vertex model per image and model folder, reused when an earlier release uploaded it.
        existing = {
            (model.container_spec.image_uri, model.artifact_uri): model.name
            for model in inventory.models(self.clients, self.labels)
        }
        models: dict[tuple[str, str], str] = {}
        for tag, uri in sorted({(w.image_tag, w.artifact_uri) for items in wanted.values() for w in items}):
            image = naming.image_uri(self.env, "serving", tag)
            if (image, uri) in existing:
                models[tag, uri] = existing[image, uri]
                continue
            model = serving.build_model(self.env, tag, uri, defaults.kms_key_name, naming.labels(self.env))
            models[tag, uri] = serving.upload_model(self.clients, model, echo)
        for endpoint in self.env.serving.endpoints:
            split = serving.reconcile_endpoint(
                self.clients, self.env, endpoint, wanted[endpoint.name], models, echo
            )
            echo(f"endpoint {endpoint.name}: serving {len(split)} model(s)")
        return True

    def release_next_step(self, env_name: str) -> str:
        # No Terraform resource deploys a Vertex AI model: the release goes live through the API.
        return f"deploy it with `mlgen release --env {env_name} … --apply` (same --image-tag and --model)"

    # --- teardown --------------------------------------------------------------------------------------

    @translated
    def running_jobs(self) -> list[str]:
        return [job.display_name for job in self._jobs() if job.state.name in RUNNING_STATES]

    @translated
    def stop_jobs_and_wait(self, jobs: list[str], dry_run: bool, echo: Echo, timeout_s: float) -> None:
        """Cancel each job, then wait until none is running or cancelling (they hold the network peering)."""
        service = self.clients.vertex("job")
        names = {job: self._job(job).name for job in jobs}
        for job, name in names.items():
            echo(f"    {'would cancel' if dry_run else 'cancelling'} training job {job}")
            if not dry_run:
                service.cancel_custom_job(name=name)
        if dry_run or not jobs:
            return

        def final_status(job: str) -> str | None:
            state = service.get_custom_job(name=names[job]).state.name
            return None if state in RUNNING_STATES | {"JOB_STATE_CANCELLING"} else neutral_status(state)[0]

        wait_until_stopped(jobs, final_status, echo, timeout_s, self.poll_s)

    @translated
    def delete_out_of_band(self, dry_run: bool, echo: Echo) -> list[Resource]:
        """Undeploy every model from the environment's endpoints, then delete the endpoints, the models
        and the finished custom jobs: releases and jobs made them through the API, outside Terraform."""
        done: list[Resource] = []
        endpoint_service = self.clients.vertex("endpoint")
        for endpoint in inventory.endpoints(self.clients, self.labels):
            remaining = [deployed.id for deployed in endpoint.deployed_models]
            while remaining:
                target, remaining = remaining[0], remaining[1:]
                echo(
                    f"    {'would undeploy' if dry_run else 'undeploying'} model {target} from {endpoint.name}"
                )
                if dry_run:
                    continue
                # Vertex refuses to undeploy a model that holds traffic unless the split moves it to the
                # models that stay; the last one may go with an empty split.
                split = {model: (100 if index == 0 else 0) for index, model in enumerate(remaining)}
                endpoint_service.undeploy_model(
                    request={"endpoint": endpoint.name, "deployed_model_id": target, "traffic_split": split}
                ).result(timeout=OPERATION_TIMEOUT_S)
            self._delete(endpoint_service.delete_endpoint, endpoint.name, "endpoint", dry_run, echo)
            done.append(Resource("vertex-endpoint", endpoint.name))
        for model in inventory.models(self.clients, self.labels):
            self._delete(self.clients.vertex("model").delete_model, model.name, "model", dry_run, echo)
            done.append(Resource("vertex-model", model.name))
        for job in self._jobs():
            if job.state.name in RUNNING_STATES | {"JOB_STATE_CANCELLING"}:
                continue  # step 2 stopped them; one still running is reported by the sweep
            self._delete(
                self.clients.vertex("job").delete_custom_job,
                job.name,
                f"custom job {job.display_name}",
                dry_run,
                echo,
            )
            done.append(Resource("vertex-custom-job", job.name))
        return done

    @staticmethod
    def _delete(method: Any, name: str, what: str, dry_run: bool, echo: Echo) -> None:
        echo(f"    {'would delete' if dry_run else 'deleting'} {what} {name}")
        if not dry_run:
            try:
                method(name=name).result(timeout=OPERATION_TIMEOUT_S)
            except Exception as error:
                if not is_not_found(error):
                    raise

    @translated
    def empty_stores(self, dry_run: bool, echo: Echo) -> list[Resource]:
        """Empty the labelled buckets (state bucket excepted). Artifact Registry deletes a repository's
        images with the repository, so the destroy needs no emptying there."""
        state = {item.name for item in self.state_resources()}
        done = []
        for bucket in inventory.buckets(self.clients, self.labels):
            if f"gs://{bucket}" in state:
                continue  # emptied only with --include-state, last
            done.append(self._empty_bucket(bucket, dry_run, echo))
        return done

    def _empty_bucket(self, bucket: str, dry_run: bool, echo: Echo) -> Resource:
        count = inventory.empty_bucket(self.clients, bucket, dry_run)
        echo(f"    {'would delete' if dry_run else 'deleted'} {count} object version(s) from bucket {bucket}")
        return Resource("gcs-bucket", f"gs://{bucket}")

    @translated
    def schedule_key_deletion(self, dry_run: bool, echo: Echo) -> list[Resource]:
        """Schedule the destruction of every live version of the environment's keys. GCP never deletes a
        key or key ring; destroyed versions stop billing. The wait is the key's own destroy_scheduled_duration,
        set by the landing zone (the spec's key_deletion_window_days)."""
        done = []
        for key, versions in inventory.live_keys(self.clients, self.labels, naming.key_ring(self.env)):
            for version in versions:
                echo(
                    f"    {'would schedule' if dry_run else 'scheduling'} destruction of key version {version['name']}"
                )
                if not dry_run:
                    self.clients.call("POST", "cloudkms", f"v1/{version['name']}:destroy", {})
            done.append(Resource("kms-key", key["name"]))
        return done

    def state_resources(self) -> list[Resource]:
        return [Resource("gcs-bucket", f"gs://{self.env.state.bucket}")]

    @translated
    def empty_state_store(self, dry_run: bool, echo: Echo) -> list[Resource]:
        if self.clients.storage.lookup_bucket(self.env.state.bucket) is None:
            return []
        return [self._empty_bucket(self.env.state.bucket, dry_run, echo)]

    @translated
    def leftovers(self) -> list[Resource]:
        """Sweep: Cloud Asset Inventory by label, plus the listings of Vertex AI, Cloud Storage and keys
        (the asset index lags behind deletions by minutes, the listings do not)."""
        found: dict[str, str] = {}
        try:
            assets = inventory.labelled_assets(self.clients, self.labels)
        except Exception as error:
            if getattr(error, "status", None) != 403:
                raise
            # The API is off (or not granted): the listings below still cover what mlgen and jobs make.
            click.echo(
                f"    warning: no Cloud Asset search in {self.env.account_id} ({error}); the sweep lists "
                "buckets, Vertex AI, Artifact Registry and keys only (enable cloudasset.googleapis.com "
                "to search every service by label)",
                err=True,
            )
            assets = []
        for asset in assets:
            if asset.get("assetType") not in inventory.ASSET_TYPES_LISTED_ELSEWHERE:
                found[asset["name"].removeprefix("//")] = asset.get("assetType", "asset")
        found.update({f"gs://{b}": "gcs-bucket" for b in inventory.buckets(self.clients, self.labels)})
        for endpoint in inventory.endpoints(self.clients, self.labels):
            found[endpoint.name] = "vertex-endpoint"
        for model in inventory.models(self.clients, self.labels):
            found[model.name] = "vertex-model"
        for job in self._jobs():
            found[job.name] = "vertex-custom-job"
        for repository in inventory.repositories(self.clients, self.labels):
            found[repository["name"]] = "artifact-registry-repository"
        for key, _ in inventory.live_keys(self.clients, self.labels, naming.key_ring(self.env)):
            found[key["name"]] = "kms-key"
        return [Resource(kind, name) for name, kind in sorted(found.items())]

    # --- images ----------------------------------------------------------------------------------------

    @translated
    def registry_login(self) -> tuple[str, str, str]:
        return naming.registry_host(self.env), REGISTRY_USER, self.clients.access_token()

    def repository_uri(self, repository: str) -> str:
        """Where images named ``repository`` (training, serving) live: one Artifact Registry repository per
        environment holds both, so the image name is the last path part (naming.image_uri without a tag)."""
        return f"{naming.registry_host(self.env)}/{self.env.account_id}/{naming.repository_id(self.env)}/{repository}"


OPS_ADAPTER = GcpOps  # what mlgen.ops.get_ops looks up
