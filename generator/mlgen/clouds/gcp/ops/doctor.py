"""`mlgen doctor` on GCP: are the credentials, the project, its APIs and the landing zone ready?

Each check returns one CheckResult; a check that cannot apply to this spec (no endpoints, no tracking) is a
skip that says why, and so is one that another failure already decides.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from mlgen.clouds.gcp import catalog, naming
from mlgen.clouds.gcp.ops import quotas
from mlgen.clouds.gcp.ops.quotas import Need
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
# Used when enabled (the landing zone enables both); what is lost without each is its note.
OPTIONAL_APIS = ("cloudasset.googleapis.com", quotas.QUOTAS_API)
OPTIONAL_NOTES = {
    "cloudasset.googleapis.com": "the teardown sweep will list each service instead of searching by label",
    quotas.QUOTAS_API: "the Vertex AI quota checks are skipped",
}


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
        self.enabled: set[str] | None = None  # the enabled APIs, once the apis check has listed them
        self._vertex_quotas: list[dict] | None = None

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
        yield _guarded("training quota", self._training_quota)
        if self.env.training.platform == "vm":
            yield _guarded("vm group quota", self._vm_group_quota)
        yield from self._endpoint_quotas()
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
        enabled = self.enabled = {
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
        note = "".join(
            f"; {api} is not: {OPTIONAL_NOTES[api]}" for api in OPTIONAL_APIS if api not in enabled
        )
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

    # --- quotas -----------------------------------------------------------------------------------------

    def _vertex_quota_infos(self) -> list[dict]:
        """Every QuotaInfo of Vertex AI in the project (one paged read, shared by the Vertex checks)."""
        if self._vertex_quotas is None:
            self._vertex_quotas = self.clients.pages(
                "cloudquotas",
                f"v1/projects/{self.env.account_id}/locations/global/services/{quotas.VERTEX_SERVICE}/quotaInfos",
                "quotaInfos",
            )
        return self._vertex_quotas

    def _compare(self, name: str, need: Need, value: int | None, where: str) -> CheckResult:
        if value is None:
            return CheckResult(
                name,
                "skip",
                f"no quota {need.metric} in {where}: it may not be offered there, or the API does not list "
                "it; check the Quotas page before relying on it",
            )
        if value == quotas.UNLIMITED:
            return CheckResult(
                name, "ok", f"{need.metric}: unlimited in {where} (need {need.count}: {need.why})"
            )
        if value >= need.count:
            return CheckResult(
                name, "ok", f"{need.metric}: {value} in {where} (need {need.count}: {need.why})"
            )
        return CheckResult(
            name,
            "fail",
            f"{need.metric} is {value} in {where}, the spec needs {need.count} ({need.why}): request an "
            f"increase at {quotas.console_link(self.env.account_id)} (filter by {need.metric})",
        )

    def _vertex_check(self, name: str, need: Need) -> CheckResult:
        if self.enabled is not None and quotas.QUOTAS_API not in self.enabled:
            return CheckResult(
                name,
                "skip",
                f"{quotas.QUOTAS_API} is not enabled, so {need.metric} cannot be read (the landing zone "
                f"enables it: apply it, or `gcloud services enable {quotas.QUOTAS_API} --project "
                f"{self.env.account_id}`)",
            )
        value = quotas.quota_info_value(self._vertex_quota_infos(), need.metric, self.env.region)
        return self._compare(name, need, value, self.env.region)

    def _training_quota(self) -> CheckResult:
        training = self.env.training
        machine = catalog.gpu_machine(training.gpu, training.gpus_per_node)
        need = Need(
            quotas.vertex_training_metric(machine.quota_gpu, training.spot),
            training.gpus_per_node * training.nodes,
            f"{training.nodes} node(s) × {training.gpus_per_node} {training.gpu} per Vertex AI custom job"
            f"{', spot' if training.spot else ', on-demand'}",
        )
        return self._vertex_check("training quota", need)

    def _vm_group_quota(self) -> CheckResult:
        """The Spot GPU VM group at its largest: preemptible quota, else the standard one, and the project's
        GPUs in all regions."""
        training = self.env.training
        machine = catalog.gpu_machine(training.gpu, training.gpus_per_node)
        count = training.vm_max_instances * training.gpus_per_node
        why = f"{training.vm_max_instances} Spot VM(s) × {training.gpus_per_node} {training.gpu}"
        region = self.clients.call(
            "GET", "compute", f"compute/v1/projects/{self.env.account_id}/regions/{self.env.region}"
        )
        limits = region.get("quotas", [])
        spot = Need(quotas.compute_metric(machine.quota_gpu, True), count, why)
        standard = Need(quotas.compute_metric(machine.quota_gpu, False), count, why)
        spot_limit = quotas.compute_limit(limits, spot.metric)
        # With no preemptible quota (absent or 0) Spot VMs draw on the standard quota.
        regional = spot if spot_limit else standard
        result = self._compare(
            "vm group quota", regional, quotas.compute_limit(limits, regional.metric), self.env.region
        )
        if result.status != "ok":
            return result
        project = self.clients.call("GET", "compute", f"compute/v1/projects/{self.env.account_id}")
        overall = self._compare(
            "vm group quota",
            Need(quotas.ALL_REGIONS, count, why),
            quotas.compute_limit(project.get("quotas", []), quotas.ALL_REGIONS),
            f"project {self.env.account_id}",
        )
        if overall.status != "ok":
            return overall
        return CheckResult("vm group quota", "ok", f"{result.detail}; {overall.detail}")

    def _endpoint_needs(self) -> list[Need]:
        """Serving CPUs and GPUs at every endpoint's max replicas. Each variant is its own deployed model
        scaling to the endpoint's max replicas (serving.build_deployed_model), so variants multiply."""
        cpus, gpus, why = 0, {}, []
        for endpoint in self.env.serving.endpoints:
            size = catalog.endpoint_size(endpoint.size)
            replicas = endpoint.max_replicas * max(1, len(endpoint.variants or []))
            vcpus = catalog.machine_vcpus(size.machine_type)
            if vcpus is not None:
                cpus += vcpus * replicas
            if size.accelerator:
                gpu = catalog.quota_gpu(size.accelerator)
                gpus[gpu] = gpus.get(gpu, 0) + size.accelerator_count * replicas
            why.append(f"{endpoint.name}: {replicas} × {size.machine_type}")
        reason = ", ".join(why)
        needs = [Need(quotas.vertex_serving_metric(None), cpus, reason)] if cpus else []
        return needs + [
            Need(quotas.vertex_serving_metric(gpu), count, reason) for gpu, count in sorted(gpus.items())
        ]

    def _endpoint_quotas(self) -> Iterator[CheckResult]:
        if not self.env.serving.endpoints:
            yield CheckResult("endpoint quota", "skip", "the spec has no serving endpoints")
            return
        for need in self._endpoint_needs():
            yield _guarded("endpoint quota", lambda need=need: self._vertex_check("endpoint quota", need))
