"""The cloud-neutral ops interface: what each cloud's ops adapter provides to the commands.

AWS implements it in ``mlgen.clouds.aws.ops``; GCP and Azure add their adapters with the same methods. The
commands and the orchestration (``mlgen.ops.teardown``) only call what is declared here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Literal, Protocol

CheckStatus = Literal["ok", "fail", "skip"]
Echo = Callable[[str], None]


@dataclass(frozen=True)
class CheckResult:
    """One line of `mlgen doctor`: skip means the check could not run here (said why), not a failure."""

    name: str
    status: CheckStatus
    detail: str


@dataclass(frozen=True)
class TrainingOverrides:
    """What the user may change per job on top of the landing zone's job defaults."""

    instance_type: str | None = None
    instance_count: int | None = None
    spot: bool | None = None
    max_runtime_hours: float | None = None
    hyperparameters: dict[str, str] = field(default_factory=dict)
    image_tag: str | None = None
    dataset_version: str | None = None


@dataclass(frozen=True)
class JobStatus:
    name: str
    status: str  # InProgress, Completed, Failed, Stopping, Stopped (cloud words mapped by the adapter)
    secondary_status: str
    created: str
    billable_seconds: int | None = None
    failure_reason: str | None = None

    @property
    def finished(self) -> bool:
        return self.status in {"Completed", "Failed", "Stopped"}


@dataclass(frozen=True)
class Resource:
    """Something the cloud holds for the project: a kind (bucket, repository, key…) and its name or id."""

    kind: str
    name: str

    def __str__(self) -> str:
        return f"{self.kind} {self.name}"


class CloudOps(Protocol):
    cloud: str

    # doctor
    def doctor_checks(self) -> Iterator[CheckResult]: ...

    # train
    def training_request(self, overrides: TrainingOverrides, job_name: str, code_version: str) -> dict: ...
    def submission_summary(self, request: dict) -> str: ...  # "1 × <machine> (spot)", for the user
    def submit_training(self, overrides: TrainingOverrides, job_name: str, code_version: str) -> dict: ...
    def list_jobs(self, limit: int) -> list[JobStatus]: ...
    def job_status(self, job_name: str) -> JobStatus: ...
    def job_log_lines(self, job_name: str, since: dict) -> list[str]: ...
    def stop_job(self, job_name: str) -> None: ...

    # release
    def resolve_model(self, uri: str, release_name: str, echo: Echo) -> str: ...
    def check_image(self, image_tag: str) -> str: ...
    # `mlgen release --apply`: put the release file's release into service (True when something changed)
    def apply_release(self, release: dict, assume_yes: bool, echo: Echo) -> bool: ...
    def release_next_step(self, env_name: str) -> str: ...  # how a reviewed release file goes live

    # teardown (each returns what it did or, with dry_run, would do)
    def running_jobs(self) -> list[str]: ...
    def stop_jobs_and_wait(self, jobs: list[str], dry_run: bool, echo: Echo, timeout_s: float) -> None: ...
    def delete_out_of_band(self, dry_run: bool, echo: Echo) -> list[Resource]: ...
    def empty_stores(self, dry_run: bool, echo: Echo) -> list[Resource]: ...
    def schedule_key_deletion(self, dry_run: bool, echo: Echo) -> list[Resource]: ...
    def leftovers(self) -> list[Resource]: ...
    def state_resources(self) -> list[Resource]: ...
    def empty_state_store(self, dry_run: bool, echo: Echo) -> list[Resource]: ...

    # images
    def registry_login(self) -> tuple[str, str, str]: ...  # registry host, user, password
    def repository_uri(self, repository: str) -> str: ...
