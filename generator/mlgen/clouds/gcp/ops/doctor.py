"""`mlgen doctor` on GCP: are the credentials, the project, its APIs and the landing zone ready?

Each check returns one CheckResult; a check that cannot apply to this spec (no endpoints, no tracking) is a
skip that says why, and so is one that another failure already decides.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from mlgen.clouds.gcp import naming
from mlgen.clouds.gcp.ops.session import Clients, describe_google_error, is_google_error, is_not_found
from mlgen.ops.base import CheckResult
from mlgen.ops.errors import OpsError
from mlgen.plan import EnvironmentPlan

# The APIs the landing zone and the ops commands call (enabled by the landing zone's project services).
REQUIRED_APIS = (
    "aiplatform.googleapis.com",
    "artifactregistry.googleapis.com",
    "cloudkms.googleapis.com",
    "compute.googleapis.com",
    "logging.googleapis.com",
    "storage.googleapis.com",
)
# Used when enabled: the teardown sweep's search by label over every service.
OPTIONAL_APIS = ("cloudasset.googleapis.com",)


def _guarded(name: str, check: Callable[[], CheckResult]) -> CheckResult:
    try:
        return check()
    except OpsError as error:
        return CheckResult(name, "fail", error.message)
    except Exception as error:  # a Google error becomes one actionable line, never a traceback
        if is_google_error(error):
            return CheckResult(name, "fail", describe_google_error(error))
        raise


class Doctor:
    def __init__(
        self, clients: Clients, env: EnvironmentPlan, read_job_defaults: Callable[[], object]
    ) -> None:
        self.clients, self.env = clients, env
        self.read_job_defaults = read_job_defaults

    def checks(self) -> Iterator[CheckResult]:
        credentials = _guarded("credentials", self._credentials)
        yield credentials
        if credentials.status != "ok":
            return  # every other check would fail for the same reason
        project = _guarded("project", self._project)
        yield project
        if project.status != "ok":
            return
        yield _guarded("apis", self._apis)
        yield _guarded("landing zone", self._landing_zone)
        yield _guarded("buckets", self._buckets)
        yield _guarded("repository", self._repository)
        yield from self._endpoints()

    def _credentials(self) -> CheckResult:
        if self.clients.anonymous:
            return CheckResult(
                "credentials", "ok", f"anonymous, calling {self.clients.endpoint} (MLGEN_GCP_ENDPOINT)"
            )
        credentials = self.clients.credentials
        who = getattr(credentials, "service_account_email", None) or type(credentials).__name__
        return CheckResult("credentials", "ok", f"application default credentials ({who})")

    def _project(self) -> CheckResult:
        project_id = self.env.account_id
        try:
            project = self.clients.call("GET", "cloudresourcemanager", f"v3/projects/{project_id}")
        except Exception as error:
            if is_not_found(error) or getattr(error, "status", None) == 403:
                return CheckResult(
                    "project",
                    "fail",
                    f"project {project_id} is not visible to these credentials (it does not exist, or they "
                    "lack resourcemanager.projects.get there)",
                )
            raise
        if project.get("state") != "ACTIVE":
            return CheckResult(
                "project", "fail", f"project {project_id} is {project.get('state')}, not ACTIVE"
            )
        return CheckResult("project", "ok", f"{project_id} ({project.get('name', '?')}) is active")

    def _apis(self) -> CheckResult:
        services = self.clients.pages(
            "serviceusage", f"v1/projects/{self.env.account_id}/services", "services", filter="state:ENABLED"
        )
        enabled = {
            service.get("config", {}).get("name") or service["name"].rsplit("/", 1)[-1]
            for service in services
        }
        missing = [api for api in REQUIRED_APIS if api not in enabled]
        if missing:
            return CheckResult(
                "apis",
                "fail",
                f"not enabled: {', '.join(missing)} (the landing zone enables them: apply it, or "
                f"`gcloud services enable {' '.join(missing)} --project {self.env.account_id}`)",
            )
        note = ""
        off = [api for api in OPTIONAL_APIS if api not in enabled]
        if off:
            note = f"; {', '.join(off)} is not: the teardown sweep will list each service instead of searching by label"
        return CheckResult("apis", "ok", f"{len(REQUIRED_APIS)} required APIs enabled{note}")

    def _landing_zone(self) -> CheckResult:
        defaults = self.read_job_defaults()
        return CheckResult(
            "landing zone",
            "ok",
            f"job defaults found ({defaults.machine_type}, {defaults.accelerator_count} × "  # type: ignore[attr-defined]
            f"{defaults.accelerator_type or 'no GPU'})",  # type: ignore[attr-defined]
        )

    def _buckets(self) -> CheckResult:
        missing = []
        for zone in self.env.storage.zones:
            bucket = naming.bucket_name(self.env, zone)
            if self.clients.storage.lookup_bucket(bucket) is None:
                missing.append(bucket)
        if missing:
            return CheckResult("buckets", "fail", f"missing: {', '.join(missing)} (apply the landing zone)")
        return CheckResult("buckets", "ok", f"{len(self.env.storage.zones)} zone bucket(s) exist")

    def _repository(self) -> CheckResult:
        name = f"projects/{self.env.account_id}/locations/{self.env.region}/repositories/{naming.repository_id(self.env)}"
        try:
            repository = self.clients.call("GET", "artifactregistry", f"v1/{name}")
        except Exception as error:
            if is_not_found(error):
                return CheckResult(
                    "repository", "fail", f"no Artifact Registry repository {name} (apply the landing zone)"
                )
            raise
        if repository.get("format") not in (None, "DOCKER"):
            return CheckResult(
                "repository", "fail", f"{name} is a {repository.get('format')} repository, not DOCKER"
            )
        return CheckResult(
            "repository",
            "ok",
            f"{naming.registry_host(self.env)}/{self.env.account_id}/{naming.repository_id(self.env)}",
        )

    def _endpoints(self) -> Iterator[CheckResult]:
        endpoints = self.env.serving.endpoints
        if not endpoints:
            yield CheckResult("endpoints", "skip", "the spec has no serving endpoints")
            return
        for endpoint in endpoints:
            yield _guarded(
                f"endpoint {endpoint.name}", lambda endpoint=endpoint: self._endpoint(endpoint.name)
            )

    def _endpoint(self, endpoint: str) -> CheckResult:
        name = (
            f"projects/{self.env.account_id}/locations/{self.env.region}/endpoints/"
            f"{naming.endpoint_id(self.env, endpoint)}"
        )
        try:
            found = self.clients.vertex("endpoint").get_endpoint(name=name)
        except Exception as error:
            if is_not_found(error):
                return CheckResult(
                    f"endpoint {endpoint}", "fail", f"no Vertex AI endpoint {name} (apply the landing zone)"
                )
            raise
        serving = len(found.deployed_models)
        return CheckResult(f"endpoint {endpoint}", "ok", f"{found.display_name}: {serving} deployed model(s)")
