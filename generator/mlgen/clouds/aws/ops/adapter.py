"""AwsOps: the AWS implementation of mlgen's ops interface (mlgen.ops.base.CloudOps)."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from functools import cached_property
from typing import Any

from mlgen.clouds.aws.ops import inventory
from mlgen.clouds.aws.ops.doctor import Doctor
from mlgen.clouds.aws.ops.models import (
    download_s3_prefix,
    pack_model,
    split_s3,
    upload_release,
)
from mlgen.clouds.aws.ops.session import Clients, error_code, translated
from mlgen.clouds.aws.ops.training import TRAINING_LOG_GROUP, build_training_request, job_defaults_parameter
from mlgen.ops.base import CheckResult, Echo, JobStatus, Resource, TrainingOverrides
from mlgen.ops.context import OpsContext
from mlgen.ops.errors import OpsError
from mlgen.ops.follow import wait_until_stopped
from mlgen.ops.mlflow_models import MLFLOW_SCHEMES, download_mlflow_model

# The shortest window KMS allows; prod keeps the spec's window so a mistake can still be undone.
SHORTEST_KEY_WINDOW_DAYS = 7
STOP_POLL_S = 15
# Resources the sweep does not count: finished training jobs cannot be deleted and cost nothing.
NOT_BILLING = (":training-job/",)


class AwsOps:
    cloud = "aws"

    def __init__(self, context: OpsContext) -> None:
        self.context = context
        self.env = context.env
        self.prefix = self.env.prefix
        self.tags = inventory.Tags(context.project, self.env.name)
        self.poll_s = STOP_POLL_S

    @cached_property
    def clients(self) -> Clients:
        return Clients(self.env.region)

    # --- doctor ----------------------------------------------------------------------------------------

    def doctor_checks(self) -> Iterator[CheckResult]:
        return Doctor(self.clients, self.context.project, self.env).checks()

    # --- training --------------------------------------------------------------------------------------

    @translated
    def job_defaults(self) -> dict[str, Any]:
        name = job_defaults_parameter(self.context.project, self.env.name)
        try:
            parameter = self.clients("ssm").get_parameter(Name=name, WithDecryption=True)
        except Exception as error:
            if error_code(error) == "ParameterNotFound":
                raise OpsError(
                    f"the landing zone of {self.env.name} is not applied yet ({name} not found in "
                    f"{self.env.region}): run `make bootstrap init plan apply ENV={self.env.name}` first"
                ) from error
            raise
        return json.loads(parameter["Parameter"]["Value"])

    def training_request(
        self, overrides: TrainingOverrides, job_name: str, code_version: str
    ) -> dict[str, Any]:
        return build_training_request(
            self.job_defaults(), overrides, job_name, code_version, experiment=self.prefix
        )

    def submission_summary(self, request: dict[str, Any]) -> str:
        resources = request["ResourceConfig"]
        capacity = "spot" if request["EnableManagedSpotTraining"] else "on-demand"
        return f"{resources['InstanceCount']} × {resources['InstanceType']} ({capacity})"

    @translated
    def submit_training(
        self, overrides: TrainingOverrides, job_name: str, code_version: str
    ) -> dict[str, Any]:
        request = self.training_request(overrides, job_name, code_version)
        self.clients("sagemaker").create_training_job(**request)
        return request

    @translated
    def list_jobs(self, limit: int) -> list[JobStatus]:
        sagemaker = self.clients("sagemaker")
        summaries = sagemaker.list_training_jobs(
            NameContains=self.prefix,
            SortBy="CreationTime",
            SortOrder="Descending",
            MaxResults=min(limit, 100),
        )["TrainingJobSummaries"]
        return [
            JobStatus(
                name=job["TrainingJobName"],
                status=job["TrainingJobStatus"],
                secondary_status=job.get("SecondaryStatus", ""),
                created=str(job.get("CreationTime", "")),
            )
            for job in summaries
            if job["TrainingJobName"].startswith(f"{self.prefix}-")
        ]

    @translated
    def job_status(self, job_name: str) -> JobStatus:
        try:
            job = self.clients("sagemaker").describe_training_job(TrainingJobName=job_name)
        except Exception as error:
            if error_code(error) in {"ValidationException", "ResourceNotFound"}:
                raise OpsError(
                    f"no training job {job_name} in {self.env.region}: see `mlgen train list`"
                ) from error
            raise
        return JobStatus(
            name=job_name,
            status=job["TrainingJobStatus"],
            secondary_status=job.get("SecondaryStatus", ""),
            created=str(job.get("CreationTime", "")),
            billable_seconds=job.get("BillableTimeInSeconds"),
            failure_reason=job.get("FailureReason"),
        )

    @translated
    def job_log_lines(self, job_name: str, since: dict[str, str]) -> list[str]:
        """New log lines of every stream of the job (``since`` keeps each stream's token between calls)."""
        logs = self.clients("logs")
        try:
            streams = logs.describe_log_streams(
                logGroupName=TRAINING_LOG_GROUP, logStreamNamePrefix=f"{job_name}/"
            )
        except Exception as error:
            if error_code(error) == "ResourceNotFoundException":
                return []  # the group appears with the first job's first line
            raise
        lines = []
        for stream in sorted(s["logStreamName"] for s in streams.get("logStreams", [])):
            kwargs: dict[str, Any] = {
                "logGroupName": TRAINING_LOG_GROUP,
                "logStreamName": stream,
                "startFromHead": True,
            }
            while True:
                if stream in since:
                    kwargs["nextToken"] = since[stream]
                page = logs.get_log_events(**kwargs)
                lines += [f"[{stream.split('/', 1)[-1]}] {event['message']}" for event in page["events"]]
                token = page.get("nextForwardToken")
                if not page["events"] or token == since.get(stream):
                    since[stream] = token or since.get(stream, "")
                    break
                since[stream] = token
        return lines

    @translated
    def stop_job(self, job_name: str) -> None:
        self.clients("sagemaker").stop_training_job(TrainingJobName=job_name)

    # --- release ---------------------------------------------------------------------------------------

    @translated
    def check_image(self, image_tag: str) -> str:
        repository = f"{self.prefix}/serving"
        try:
            self.clients("ecr").describe_images(repositoryName=repository, imageIds=[{"imageTag": image_tag}])
        except Exception as error:
            if error_code(error) in {"ImageNotFoundException", "RepositoryNotFoundException"}:
                raise OpsError(
                    f"no image {repository}:{image_tag} in ECR: push it first "
                    f"(mlgen images push --env {self.env.name} --tag {image_tag})"
                ) from error
            raise
        return f"{repository}:{image_tag}"

    @translated
    def resolve_model(self, uri: str, release_name: str, echo: Echo) -> str:
        s3 = self.clients("s3")
        if uri.startswith("s3://") and uri.endswith(".tar.gz"):
            bucket, key = split_s3(uri)
            try:
                s3.head_object(Bucket=bucket, Key=key)
            except Exception as error:
                raise OpsError(f"{uri} cannot be read ({error_code(error)}): check the URI") from error
            return uri
        defaults = self.job_defaults()
        if uri.startswith(MLFLOW_SCHEMES):
            echo(f"resolving {uri} through MLflow")
            directory = download_mlflow_model(uri, defaults.get("mlflow_tracking_arn"))
        elif uri.startswith("s3://"):
            directory = download_s3_prefix(s3, uri)
        else:
            raise OpsError(
                f"{uri!r} is not a model URI: use s3://…/model.tar.gz, s3://<model dir>, models:/ or runs:/"
            )
        artifacts_bucket, _ = split_s3(defaults["output_s3_uri"])
        return upload_release(
            s3, artifacts_bucket, pack_model(directory), defaults.get("output_kms_key_id"), echo
        )

    def apply_release(self, release: dict[str, Any], assume_yes: bool, echo: Echo) -> bool:
        """The environment root reads the release file (serving_release): plan, confirm, apply."""
        from mlgen.ops.release_apply import apply_release

        return apply_release(self.context, assume_yes, echo)

    def release_next_step(self, env_name: str) -> str:
        return f"run `make plan apply ENV={env_name}` (the root reads the file on every plan), or re-run with --apply"

    # --- teardown --------------------------------------------------------------------------------------

    @translated
    def running_jobs(self) -> list[str]:
        return inventory.running_training_jobs(self.clients, self.tags)

    @translated
    def stop_jobs_and_wait(self, jobs: list[str], dry_run: bool, echo: Echo, timeout_s: float) -> None:
        """Stop each job, then wait until none is InProgress/Stopping: their ENIs hold the subnets."""
        sagemaker = self.clients("sagemaker")
        for job in jobs:
            echo(f"    {'would stop' if dry_run else 'stopping'} training job {job}")
            if not dry_run:
                sagemaker.stop_training_job(TrainingJobName=job)
        if dry_run or not jobs:
            return

        def final_status(job: str) -> str | None:
            status = sagemaker.describe_training_job(TrainingJobName=job)["TrainingJobStatus"]
            return None if status in {"InProgress", "Stopping"} else status

        wait_until_stopped(jobs, final_status, echo, timeout_s, self.poll_s)

    @translated
    def delete_out_of_band(self, dry_run: bool, echo: Echo) -> list[Resource]:
        return inventory.delete_sagemaker(self.clients, self.tags, dry_run, echo)

    @translated
    def empty_stores(self, dry_run: bool, echo: Echo) -> list[Resource]:
        state = {item.name for item in self.state_resources()}
        done = []
        for bucket in inventory.tagged_buckets(self.clients, self.tags):
            if f"arn:aws:s3:::{bucket}" in state:
                continue  # the state bucket is emptied only with --include-state, last
            done.append(self._empty_bucket(bucket, dry_run, echo))
        for repository in inventory.tagged_repositories(self.clients, self.tags):
            count = inventory.empty_repository(self.clients, repository["repositoryName"], dry_run)
            verb = "would delete" if dry_run else "deleted"
            echo(f"    {verb} {count} image(s) from repository {repository['repositoryName']}")
            done.append(Resource("ecr-repository", repository["repositoryArn"]))
        return done

    def _empty_bucket(self, bucket: str, dry_run: bool, echo: Echo) -> Resource:
        count = inventory.empty_bucket(self.clients, bucket, dry_run)
        verb = "would delete" if dry_run else "deleted"
        echo(f"    {verb} {count} object version(s) and delete marker(s) from bucket {bucket}")
        return Resource("s3-bucket", f"arn:aws:s3:::{bucket}")

    @translated
    def schedule_key_deletion(self, dry_run: bool, echo: Echo) -> list[Resource]:
        protected = self.context.protected
        window = self.env.encryption.key_deletion_window_days if protected else SHORTEST_KEY_WINDOW_DAYS
        state = {item.name for item in self.state_resources()}
        done = []
        for arn in inventory.tagged_live_keys(self.clients, self.tags):
            if arn in state:
                continue
            echo(
                f"    {'would schedule' if dry_run else 'scheduling'} deletion of key {arn} in {window} days"
            )
            if not dry_run:
                # The key id, not the ARN: both are valid for AWS, moto 5.2.5 accepts only the id.
                key_id = arn.rsplit("/", 1)[-1]
                self.clients("kms").schedule_key_deletion(KeyId=key_id, PendingWindowInDays=window)
            done.append(Resource("kms-key", arn))
        return done

    @cached_property
    def _state_key_arn(self) -> str | None:
        try:
            return self.clients("kms").describe_key(KeyId=f"alias/{self.prefix}-tfstate")["KeyMetadata"][
                "Arn"
            ]
        except Exception as error:
            if error_code(error) == "NotFoundException":
                return None
            raise

    @translated
    def state_resources(self) -> list[Resource]:
        account = self.env.account_id
        items = [
            Resource("s3-bucket", f"arn:aws:s3:::{self.env.state.bucket}"),
            Resource("s3-bucket", f"arn:aws:s3:::{self.prefix}-tfstate-logs-{account}"),
        ]
        if self._state_key_arn:
            items.append(Resource("kms-key", self._state_key_arn))
        return items

    @translated
    def empty_state_store(self, dry_run: bool, echo: Echo) -> list[Resource]:
        existing = set(inventory.tagged_buckets(self.clients, self.tags))
        done = []
        for item in self.state_resources():
            bucket = item.name.removeprefix("arn:aws:s3:::")
            if item.kind == "s3-bucket" and bucket in existing:
                done.append(self._empty_bucket(bucket, dry_run, echo))
        return done

    @translated
    def leftovers(self) -> list[Resource]:
        """Sweep: the tagging API plus a listing of each service; keys pending deletion and deleted NAT
        gateways do not count."""
        arns: dict[str, str] = {}
        for arn in inventory.tagged_by_tagging_api(self.clients, self.tags):
            arns[arn] = arn.split(":")[2]
        arns.update(
            {f"arn:aws:s3:::{b}": "s3-bucket" for b in inventory.tagged_buckets(self.clients, self.tags)}
        )
        for repository in inventory.tagged_repositories(self.clients, self.tags):
            arns[repository["repositoryArn"]] = "ecr-repository"
        for kind, _, arn, _, _ in inventory.tagged_sagemaker(self.clients, self.tags):
            arns[arn] = f"sagemaker-{kind}"
        arns.update({arn: "iam-role" for arn in inventory.tagged_roles(self.clients, self.tags)})
        arns.update({arn: "log-group" for arn in inventory.tagged_log_groups(self.clients, self.tags)})
        for name in inventory.tagged_parameters(self.clients, self.tags):
            arns[f"ssm-parameter:{name}"] = "ssm-parameter"
        live_keys = set(inventory.tagged_live_keys(self.clients, self.tags))
        for arn in [a for a in arns if a.split(":")[2:3] == ["kms"]]:
            if arn not in live_keys:
                del arns[arn]  # pending deletion: gone once the window passes, billing stopped
        for arn in live_keys:
            arns[arn] = "kms-key"
        for arn in inventory.finished_nat_gateways(self.clients, list(arns)):
            del arns[arn]  # deleted: still listed by EC2 for a while, no longer billing
        left = [arn for arn in arns if not any(marker in arn for marker in NOT_BILLING)]
        return [Resource(arns[arn], arn) for arn in sorted(left)]

    # --- images ----------------------------------------------------------------------------------------

    @translated
    def registry_login(self) -> tuple[str, str, str]:
        data = self.clients("ecr").get_authorization_token()["authorizationData"][0]
        user, _, password = base64.b64decode(data["authorizationToken"]).decode().partition(":")
        return data["proxyEndpoint"].removeprefix("https://"), user, password

    @translated
    def repository_uri(self, repository: str) -> str:
        name = f"{self.prefix}/{repository}"
        try:
            found = self.clients("ecr").describe_repositories(repositoryNames=[name])["repositories"]
        except Exception as error:
            if error_code(error) == "RepositoryNotFoundException":
                raise OpsError(
                    f"no ECR repository {name} in {self.env.region}: apply the landing zone of {self.env.name} first"
                ) from error
            raise
        return found[0]["repositoryUri"]


OPS_ADAPTER = AwsOps  # what mlgen.ops.get_ops looks up
