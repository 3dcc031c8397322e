"""AzureOps: the Azure implementation of mlgen's ops interface (mlgen.ops.base.CloudOps), over ARM REST."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property
from typing import Any

from mlgen.clouds.azure import naming
from mlgen.clouds.azure.ops import cleanup, registry, serving, training
from mlgen.clouds.azure.ops.arm import ArmError, Azure
from mlgen.clouds.azure.ops.doctor import Doctor
from mlgen.clouds.azure.ops.job_defaults import JobDefaults, parse_job_defaults
from mlgen.clouds.azure.ops.paths import Paths
from mlgen.ops.base import CheckResult, Echo, JobStatus, Resource, TrainingOverrides
from mlgen.ops.context import OpsContext
from mlgen.ops.errors import OpsError
from mlgen.ops.follow import wait_until_stopped

STOP_POLL_S = 15
# Where Azure ML keeps a job's user logs: the workspace's artifact store (container azureml of the
# workspace storage account), one file per node and process.
LOG_CONTAINER = "azureml"
PURGE_TIMEOUT_S = 15 * 60


def log_prefix(job_name: str) -> str:
    return f"ExperimentRun/dcid.{job_name}/user_logs/"


class AzureOps:
    cloud = "azure"

    def __init__(self, context: OpsContext) -> None:
        self.context = context
        self.env = context.env
        self.prefix = self.env.prefix
        self.paths = Paths(self.env)
        self.tags = naming.tags(self.env)
        self.poll_s = STOP_POLL_S

    @cached_property
    def azure(self) -> Azure:
        return Azure(self.env.account_id)

    # --- doctor ----------------------------------------------------------------------------------------

    def doctor_checks(self) -> Iterator[CheckResult]:
        return Doctor(self.azure, self.env, self.job_defaults).checks()

    # --- training --------------------------------------------------------------------------------------

    @cached_property
    def _job_defaults(self) -> JobDefaults:
        account = naming.storage_account(self.env)
        where = f"{account}/{naming.ARTIFACTS_CONTAINER}/{naming.JOB_DEFAULTS_BLOB}"
        try:
            response = self.azure.blob(
                "GET", account, f"{naming.ARTIFACTS_CONTAINER}/{naming.JOB_DEFAULTS_BLOB}", ok=(200,)
            )
        except ArmError as error:
            if error.status == 404:
                raise OpsError(
                    f"the landing zone of {self.env.name} is not applied yet ({where} not found): run "
                    f"`make bootstrap init plan apply ENV={self.env.name}` first"
                ) from error
            if error.status == 403:
                # Shared keys are off and the lake denies public networks: both the role and the network
                # path are needed (error code AuthorizationPermissionMismatch vs AuthorizationFailure).
                raise OpsError(
                    f"cannot read {where} ({error.code}): the caller needs 'Storage Blob Data Reader' on "
                    f"{account}, and the lake denies public networks: run from inside the VNet or from an "
                    "address the landing zone allows"
                ) from error
            raise
        except OpsError as error:
            raise OpsError(f"cannot read {where}: {error.message}") from error
        return parse_job_defaults(response.content, where)

    def job_defaults(self) -> JobDefaults:
        return self._job_defaults

    def training_request(
        self, overrides: TrainingOverrides, job_name: str, code_version: str
    ) -> dict[str, Any]:
        return training.build_job_body(
            self.job_defaults(), overrides, job_name, code_version, experiment=self.prefix, tags=self.tags
        )

    def submission_summary(self, request: dict[str, Any]) -> str:
        return training.summary(request, self.job_defaults())

    def _ensure_environment(
        self, environment_id: str, body: dict[str, Any], echo: Echo | None = None
    ) -> None:
        """Environment versions are immutable: create one per image tag, reuse it afterwards."""
        if self.azure.get_or_none(environment_id) is None:
            if echo:
                echo(f"registering environment {environment_id.split('/environments/', 1)[1]}")
            self.azure.request("PUT", environment_id, body=body, ok=(200, 201))

    def submit_training(
        self, overrides: TrainingOverrides, job_name: str, code_version: str
    ) -> dict[str, Any]:
        body = self.training_request(overrides, job_name, code_version)
        properties = body["properties"]
        image = training.with_image_tag(self.job_defaults().image_uri, overrides.image_tag)
        self._ensure_environment(properties["environmentId"], training.environment_body(image, self.tags))
        self.azure.request("PUT", self.paths.job(job_name), body=body, ok=(200, 201))
        return body

    def _status(self, job: dict[str, Any]) -> JobStatus:
        status = job.get("properties", {}).get("status", "Unknown")
        return JobStatus(
            name=job["name"],
            status=training.neutral_status(status),
            secondary_status=status,
            created=str(job.get("systemData", {}).get("createdAt", "")),
        )

    def list_jobs(self, limit: int) -> list[JobStatus]:
        if self.azure.get_or_none(self.paths.workspace) is None:
            raise OpsError(
                f"no workspace {naming.workspace(self.env)}: apply the landing zone of {self.env.name} first"
            )
        jobs = [
            job
            for job in self.azure.paged(self.paths.jobs, params={"jobType": "Command", "listViewType": "All"})
            if job["name"].startswith(f"{self.prefix}-")
        ]
        jobs.sort(key=lambda job: str(job.get("systemData", {}).get("createdAt", "")), reverse=True)
        return [self._status(job) for job in jobs[:limit]]

    def _job(self, job_name: str) -> dict[str, Any]:
        job = self.azure.get_or_none(self.paths.job(job_name))
        if job is None:
            raise OpsError(
                f"no training job {job_name} in {naming.workspace(self.env)}: see `mlgen train list`"
            )
        return job

    def job_status(self, job_name: str) -> JobStatus:
        return self._status(self._job(job_name))

    @cached_property
    def _log_account(self) -> str:
        workspace = self.azure.get(self.paths.workspace)
        return str(workspace.get("properties", {}).get("storageAccount", "")).rsplit("/", 1)[-1]

    def job_log_lines(self, job_name: str, since: dict[str, int]) -> list[str]:
        """New complete lines of every log file of the job (``since`` keeps each file's byte offset)."""
        account = self._log_account
        lines = []
        for blob in sorted(
            b["name"] for b in self.azure.list_blobs(account, LOG_CONTAINER, log_prefix(job_name))
        ):
            offset = since.get(blob, 0)
            response = self.azure.blob(
                "GET",
                account,
                f"{LOG_CONTAINER}/{blob}",
                headers={"Range": f"bytes={offset}-"},
                ok=(200, 206, 416),
            )
            if response.status_code == 416:
                continue  # nothing past the offset yet
            data = response.content
            end = data.rfind(b"\n") + 1  # a line still being written is read whole next time
            since[blob] = offset + end
            stream = blob.removeprefix(log_prefix(job_name))
            lines += [f"[{stream}] {line}" for line in data[:end].decode("utf-8", "replace").splitlines()]
        return lines

    def stop_job(self, job_name: str) -> None:
        self._job(job_name)
        self.azure.request("POST", f"{self.paths.job(job_name)}/cancel", ok=(200, 202, 204))

    # --- release ---------------------------------------------------------------------------------------

    @cached_property
    def _login_server(self) -> str:
        found = self.azure.get_or_none(self.paths.registry)
        if found is None:
            raise OpsError(
                f"no container registry {naming.container_registry(self.env)}: apply the landing zone of "
                f"{self.env.name} first"
            )
        return found["properties"]["loginServer"]

    def check_image(self, image_tag: str) -> str:
        repository = naming.image_repository("serving")
        if not registry.tag_exists(self.azure, self._login_server, repository, image_tag):
            raise OpsError(
                f"no image {repository}:{image_tag} in {self._login_server}: push it first "
                f"(mlgen images push --env {self.env.name} --tag {image_tag})"
            )
        return f"{self._login_server}/{repository}:{image_tag}"

    def resolve_model(self, uri: str, release_name: str, echo: Echo) -> str:
        """The ARM id of a registered model version; a datastore path is registered first."""
        reference = serving.model_reference(uri)
        if reference is not None:
            path = self.paths.model_version(*reference)
            if self.azure.get_or_none(path) is None:
                raise OpsError(
                    f"no model {reference[0]} version {reference[1]} in {naming.workspace(self.env)}"
                )
            return path
        name = f"{self.prefix}-serving"
        # Model versions are numbers: a number from the path, so the same path is the same version.
        version = str(int(naming.short_hash(uri, 8), 16))
        path = self.paths.model_version(name, version)
        if self.azure.get_or_none(path) is None:
            echo(f"registering {uri} as model {name} version {version}")
            self.azure.request("PUT", path, body=serving.model_version_body(uri, self.tags), ok=(200, 201))
        return path

    def release_next_step(self, env_name: str) -> str:
        # Deployments and traffic have no Terraform resource on Azure: a plan would not change them.
        return "re-run with --apply to deploy it (Azure ML online deployments are not in Terraform)"

    def apply_release(self, release: dict[str, Any], assume_yes: bool, echo: Echo) -> bool:
        """Each endpoint of the spec: a deployment per wanted variant of this release, the traffic split,
        then every other deployment deleted. False when every endpoint already serves it."""
        from mlgen.ops.release_apply import confirm_release

        endpoints = self.env.serving.endpoints
        if not endpoints:
            raise OpsError(f"the spec has no serving endpoints in {self.env.name}: nothing to release to")
        plans = []
        for spec in endpoints:
            name = naming.online_endpoint(self.env, spec.name)
            endpoint = self.azure.get_or_none(self.paths.endpoint(name))
            if endpoint is None:
                raise OpsError(f"no online endpoint {name}: apply the landing zone of {self.env.name} first")
            wanted = serving.wanted_deployments(spec, release)
            traffic = {item.name: item.weight for item in wanted}
            existing = {d["name"] for d in self.azure.paged(f"{self.paths.endpoint(name)}/deployments")}
            current = endpoint.get("properties", {}).get("traffic") or {}
            autoscaled = all(
                self._autoscale_current(spec, name, endpoint, item)
                for item in wanted
                if item.name in existing
            )
            if current == traffic and existing == set(traffic) and autoscaled:
                echo(f"{name}: already serves this release")
                continue
            plans.append((spec, name, endpoint, wanted, traffic, existing))
        if not plans:
            return False
        confirm_release(self.context, assume_yes)
        for spec, name, endpoint, wanted, traffic, existing in plans:
            for item in wanted:
                if item.name not in existing:
                    self._create_deployment(spec, name, endpoint, item, echo)
                self._ensure_autoscale(spec, name, endpoint, item, echo)
            split = ", ".join(f"{k} {v}%" for k, v in sorted(traffic.items()))
            echo(f"{name}: traffic {split}")
            response = self.azure.request(
                "PUT", self.paths.endpoint(name), body=serving.with_traffic(endpoint, traffic), ok=(200, 201)
            )
            self.azure.wait(response, f"traffic of {name}", echo, serving.DEPLOY_TIMEOUT_S)
            for old in sorted(existing - set(traffic)):
                echo(f"{name}: deleting the previous deployment {old}")
                # Its autoscale setting first: Azure Monitor does not delete a setting with its target.
                cleanup.delete_and_wait(
                    self.azure, self.paths.autoscale_setting(name, old), f"autoscale setting of {old}", echo
                )
                cleanup.delete_and_wait(
                    self.azure, self.paths.deployment(name, old), f"deployment {old}", echo
                )
        return True

    def _create_deployment(
        self, spec: Any, endpoint_name: str, endpoint: dict[str, Any], item: serving.Wanted, echo: Echo
    ) -> None:
        image = f"{self._login_server}/{naming.image_repository('serving')}:{item.image_tag}"
        environment_id = self.paths.environment_version(
            serving.serving_environment(self.prefix), training.image_version(image)
        )
        self._ensure_environment(environment_id, serving.serving_environment_body(image, self.tags), echo)
        tags = {**self.tags, "mlgen-variant": item.variant} if item.variant else self.tags
        # It starts at the minimum of its range; its autoscale setting moves it within the range.
        instances, _ = serving.capacity(spec, item.variant)
        body = serving.deployment_body(
            location=endpoint["location"],
            model_id=item.model_id,
            environment_id=environment_id,
            size=spec.size,
            instances=instances,
            tags=tags,
        )
        label = f" (variant {item.variant})" if item.variant else ""
        echo(
            f"{endpoint_name}: creating deployment {item.name}{label}: {body['properties']['instanceType']} × "
            f"{instances}, image {item.image_tag}"
        )
        response = self.azure.request(
            "PUT", self.paths.deployment(endpoint_name, item.name), body=body, ok=(200, 201)
        )
        self.azure.wait(response, f"deployment {item.name}", echo, serving.DEPLOY_TIMEOUT_S)

    def _autoscale_body(
        self, spec: Any, endpoint_name: str, endpoint: dict[str, Any], item: serving.Wanted
    ) -> dict[str, Any] | None:
        """None where the spec fixes the count (min_replicas = max_replicas): a setting could not change it."""
        minimum, maximum = serving.capacity(spec, item.variant)
        if minimum == maximum:
            return None
        tags = {**self.tags, "mlgen-variant": item.variant} if item.variant else self.tags
        return serving.autoscale_body(
            name=naming.autoscale_setting(endpoint_name, item.name),
            location=endpoint["location"],
            deployment_id=self.paths.deployment(endpoint_name, item.name),
            minimum=minimum,
            maximum=maximum,
            tags=tags,
        )

    def _autoscale_current(
        self, spec: Any, endpoint_name: str, endpoint: dict[str, Any], item: serving.Wanted
    ) -> bool:
        body = self._autoscale_body(spec, endpoint_name, endpoint, item)
        found = self.azure.get_or_none(self.paths.autoscale_setting(endpoint_name, item.name))
        return found is None if body is None else serving.autoscale_current(found, body)

    def _ensure_autoscale(
        self, spec: Any, endpoint_name: str, endpoint: dict[str, Any], item: serving.Wanted, echo: Echo
    ) -> None:
        """Create or update the deployment's autoscale setting from the spec's range; where the range is one
        count, remove a setting an earlier range left (it would scale against the spec)."""
        path = self.paths.autoscale_setting(endpoint_name, item.name)
        body = self._autoscale_body(spec, endpoint_name, endpoint, item)
        if body is None:
            count, _ = serving.capacity(spec, item.variant)
            echo(
                f"{endpoint_name}/{item.name}: {count} instance(s), min_replicas = max_replicas: no autoscale"
            )
            if self.azure.get_or_none(path) is not None:
                cleanup.delete_and_wait(self.azure, path, f"autoscale setting of {item.name}", echo)
            return
        if serving.autoscale_current(self.azure.get_or_none(path), body):
            return
        capacity = body["properties"]["profiles"][0]["capacity"]
        echo(
            f"{endpoint_name}/{item.name}: autoscale {capacity['minimum']}–{capacity['maximum']} instances on "
            f"{serving.SCALE_METRIC}"
        )
        self.azure.request("PUT", path, body=body, ok=(200, 201))

    # --- teardown --------------------------------------------------------------------------------------

    def running_jobs(self) -> list[str]:
        if self.azure.get_or_none(self.paths.workspace) is None:
            return []
        return sorted(
            job["name"]
            for job in self.azure.paged(self.paths.jobs, params={"listViewType": "ActiveOnly"})
            if job.get("properties", {}).get("status") in training.RUNNING_STATUSES
        )

    def stop_jobs_and_wait(self, jobs: list[str], dry_run: bool, echo: Echo, timeout_s: float) -> None:
        """Cancel each job, then wait until none is running: their nodes hold the cluster's subnet."""
        for job in jobs:
            echo(f"    {'would cancel' if dry_run else 'cancelling'} training job {job}")
            if not dry_run:
                self.azure.request("POST", f"{self.paths.job(job)}/cancel", ok=(200, 202, 204, 404))
        if dry_run or not jobs:
            return

        def final_status(job: str) -> str | None:
            found = self.azure.get_or_none(self.paths.job(job))
            status = (found or {}).get("properties", {}).get("status", "gone")
            return None if status in training.RUNNING_STATUSES else status

        wait_until_stopped(jobs, final_status, echo, timeout_s, self.poll_s)

    def delete_out_of_band(self, dry_run: bool, echo: Echo) -> list[Resource]:
        planned = {naming.online_endpoint(self.env, e.name) for e in self.env.serving.endpoints}
        project, environment = self.context.project, self.env.name
        # Autoscale settings first: each targets a deployment deleted next, and a resource group that still
        # holds them is not destroyed by azurerm (prevent_deletion_if_contains_resources).
        scaled = cleanup.autoscale_leftovers(self.azure, self.paths, project, environment, dry_run, echo)
        return scaled + cleanup.online_leftovers(
            self.azure, self.paths, planned, project, environment, dry_run, echo
        )

    def _empty_account(self, account: str, account_path: str, dry_run: bool, echo: Echo) -> list[Resource]:
        done = []
        for container in cleanup.containers(self.azure, account_path):
            count = cleanup.empty_container(self.azure, account, container, dry_run)
            verb = "would delete" if dry_run else "deleted"
            echo(f"    {verb} {count} blob(s) and version(s) from {account}/{container}")
            done.append(Resource("storage-container", f"{account}/{container}"))
        return done

    def empty_stores(self, dry_run: bool, echo: Echo) -> list[Resource]:
        # The registry's images go with the registry (deleting it deletes every repository); the zone
        # containers are emptied so that no data outlives the environment in soft-deleted form either.
        account = naming.storage_account(self.env)
        return self._empty_account(account, self.paths.storage_account, dry_run, echo)

    def schedule_key_deletion(self, dry_run: bool, echo: Echo) -> list[Resource]:
        """Terraform destroy soft-deletes the Key Vault; purge it so a redeploy can reuse the name, unless
        purge protection forbids it or the environment is protected (then it stays recoverable)."""
        vault = naming.key_vault(self.env)
        live = self.azure.get_or_none(self.paths.key_vault)
        deleted = self.azure.get_or_none(self.paths.deleted_key_vault)
        if live is not None and dry_run:
            deleted = {
                "properties": {
                    "purgeProtectionEnabled": live.get("properties", {}).get("enablePurgeProtection")
                }
            }
        if deleted is None:
            return []
        properties = deleted.get("properties", {})
        if properties.get("purgeProtectionEnabled"):
            when = properties.get("scheduledPurgeDate", "the end of its retention period")
            echo(
                f"    key vault {vault}: purge protection is on, so Azure forbids a purge; it stays soft-deleted "
                f"until {when} and its name cannot be reused before (docs/operations.md, 'Azure')"
            )
            return []
        if self.context.protected:
            echo(
                f"    key vault {vault}: kept soft-deleted (recoverable) because {self.env.name} is protected"
            )
            return []
        echo(f"    {'would purge' if dry_run else 'purging'} the soft-deleted key vault {vault}")
        if not dry_run:
            response = self.azure.request("POST", f"{self.paths.deleted_key_vault}/purge", ok=(200, 202))
            self.azure.wait(response, f"purge of {vault}", echo, PURGE_TIMEOUT_S)
        return [Resource("deleted-key-vault", vault)]

    def state_resources(self) -> list[Resource]:
        account = self.env.state.bucket
        return [
            Resource("Microsoft.Resources/resourceGroups", self.paths.state_resource_group),
            Resource("Microsoft.Storage/storageAccounts", self.paths.state_storage_account(account)),
        ]

    def empty_state_store(self, dry_run: bool, echo: Echo) -> list[Resource]:
        account = self.env.state.bucket
        return self._empty_account(account, self.paths.state_storage_account(account), dry_run, echo)

    def leftovers(self) -> list[Resource]:
        """Sweep: what carries the project and environment tags (state resources keep their identity so
        the teardown can tell them apart, whatever case ARM returns their ids in)."""
        state = {item.name.lower(): item for item in self.state_resources()}
        found = cleanup.tagged_resources(self.azure, self.paths, self.context.project, self.env.name)
        return [state.get(item.name.lower(), item) for item in found]

    # --- images ----------------------------------------------------------------------------------------

    def registry_login(self) -> tuple[str, str, str]:
        return self._login_server, registry.TOKEN_USER, registry.refresh_token(self.azure, self._login_server)

    def repository_uri(self, repository: str) -> str:
        return f"{self._login_server}/{naming.image_repository(repository)}"


OPS_ADAPTER = AzureOps  # what mlgen.ops.get_ops looks up
