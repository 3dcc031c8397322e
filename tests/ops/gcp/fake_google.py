"""A local fake of the Google REST APIs the GCP ops commands call, served over loopback HTTP.

Vertex AI v1 (custom jobs, models, endpoints with deploy/undeploy and long-running operations), Cloud
Logging (entries:list), Resource Manager (projects.get), Service Usage (services.list), Artifact Registry
(repositories, tags), Cloud KMS (keys, versions, destroy), Cloud Asset (searchAllResources), Cloud Quotas
(quotaInfos.list, paged) and Compute Engine's regions.get / projects.get (their quotas lists). Cloud
Storage is not here: the tests use gcp-storage-emulator for it.

It keeps every request (method, path, query, JSON body) so that tests assert what the real client library
sent, and it enforces the rules of the real API that the commands depend on: an endpoint cannot be deleted
while models are deployed to it, a model with traffic cannot be undeployed unless the traffic moves, a
deployed model cannot be deleted, a running job cannot be deleted, and traffic splits sum to 100.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

AIP = "type.googleapis.com/google.cloud.aiplatform.v1"
EMPTY = "type.googleapis.com/google.protobuf.Empty"
RUNNING = {"JOB_STATE_QUEUED", "JOB_STATE_PENDING", "JOB_STATE_RUNNING", "JOB_STATE_CANCELLING"}
LOCATION = r"v1/(?P<loc>projects/[^/]+/locations/[^/]+)"


class ApiFailure(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, list[str]]
    body: Any


@dataclass
class FakeState:
    projects: dict[str, dict] = field(default_factory=dict)
    services: dict[str, set[str]] = field(default_factory=dict)
    repositories: dict[str, dict] = field(default_factory=dict)
    tags: set[str] = field(default_factory=set)  # <repository name>/packages/<image>/tags/<tag>
    keys: dict[str, dict] = field(default_factory=dict)  # key name -> key (with "versions": [...])
    jobs: dict[str, dict] = field(default_factory=dict)
    models: dict[str, dict] = field(default_factory=dict)
    endpoints: dict[str, dict] = field(default_factory=dict)
    log_entries: list[dict] = field(default_factory=list)
    assets: list[dict] = field(default_factory=list)
    # Cloud Quotas: (project, service) -> QuotaInfo objects as the API returns them.
    quota_infos: dict[tuple[str, str], list[dict]] = field(default_factory=dict)
    quota_page_size: int = 2  # small, so that the commands' paging is exercised
    quota_permission: bool = True  # False: quotaInfos.list answers 403, as without cloudquotas.quotas.get
    # Compute Engine: (project, region) -> regions.get quotas[]; project -> projects.get quotas[].
    region_quotas: dict[tuple[str, str], list[dict]] = field(default_factory=dict)
    project_quotas: dict[str, list[dict]] = field(default_factory=dict)
    requests: list[Recorded] = field(default_factory=list)
    # What :cancel leaves a running job in: CANCELLED at once, or CANCELLING to test the wait.
    cancel_to: str = "JOB_STATE_CANCELLED"


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def matches_filter(item: dict, text: str) -> bool:
    """Vertex AI list filters as the commands write them: terms joined by AND, each labels.K="V" or
    display_name="V". Anything else is refused, so a filter the fake does not understand fails loudly."""
    if not text:
        return True
    for term in text.split(" AND "):
        found = re.fullmatch(r'\s*([a-z_][\w.-]*)\s*=\s*"([^"]*)"\s*', term)
        if not found:
            raise ApiFailure(400, f"fake cannot evaluate filter term {term!r}")
        key, value = found.groups()
        if key.startswith("labels."):
            if item.get("labels", {}).get(key.removeprefix("labels.")) != value:
                return False
        elif key == "display_name":
            if item.get("displayName") != value:
                return False
        else:
            raise ApiFailure(400, f"fake cannot filter on {key}")
    return True


class FakeGoogle:
    """Start with :meth:`start`; ``url`` is the value for MLGEN_GCP_ENDPOINT / api_endpoint."""

    def __init__(self) -> None:
        self.state = FakeState()
        self._ids = itertools.count(1001)
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    # --- lifecycle ------------------------------------------------------------------------------------

    def start(self) -> str:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _handle(self) -> None:
                fake._dispatch(self)

            do_GET = do_POST = do_DELETE = do_PATCH = _handle

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self.url

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    def reset(self) -> None:
        with self._lock:
            self.state = FakeState()

    def new_id(self) -> str:
        return str(next(self._ids))

    # --- what tests look at ---------------------------------------------------------------------------

    def calls(self, method: str, pattern: str) -> list[Recorded]:
        return [r for r in self.state.requests if r.method == method and re.search(pattern, r.path)]

    # --- dispatch -------------------------------------------------------------------------------------

    def _dispatch(self, handler: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(handler.path)
        path = parts.path.lstrip("/")
        query = parse_qs(parts.query)
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        body = json.loads(raw) if raw.strip() else None
        with self._lock:
            self.state.requests.append(Recorded(handler.command, path, query, body))
            try:
                status, answer = self._route(handler.command, path, query, body or {})
            except ApiFailure as failure:
                status = failure.status
                answer = {"error": {"code": failure.status, "message": failure.message, "status": "FAILED"}}
        data = json.dumps(answer).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def _route(self, method: str, path: str, query: dict, body: dict) -> tuple[int, Any]:
        for verb, pattern, action in self._routes():
            found = re.fullmatch(pattern, path)
            if verb == method and found:
                return HTTPStatus.OK, action(query=query, body=body, **found.groupdict())
        raise ApiFailure(404, f"fake has no route {method} {path}")

    def _routes(self) -> list[tuple[str, str, Any]]:
        return [
            ("POST", LOCATION + r"/customJobs", self._create_job),
            ("GET", LOCATION + r"/customJobs", self._lister("jobs", "customJobs")),
            ("GET", r"v1/(?P<name>projects/[^/]+/locations/[^/]+/customJobs/[^/:]+)", self._getter("jobs")),
            (
                "POST",
                r"v1/(?P<name>projects/[^/]+/locations/[^/]+/customJobs/[^/:]+):cancel",
                self._cancel_job,
            ),
            ("DELETE", r"v1/(?P<name>projects/[^/]+/locations/[^/]+/customJobs/[^/:]+)", self._delete_job),
            ("POST", LOCATION + r"/models:upload", self._upload_model),
            ("GET", LOCATION + r"/models", self._lister("models", "models")),
            ("GET", r"v1/(?P<name>projects/[^/]+/locations/[^/]+/models/[^/:]+)", self._getter("models")),
            ("DELETE", r"v1/(?P<name>projects/[^/]+/locations/[^/]+/models/[^/:]+)", self._delete_model),
            ("GET", LOCATION + r"/endpoints", self._lister("endpoints", "endpoints")),
            (
                "GET",
                r"v1/(?P<name>projects/[^/]+/locations/[^/]+/endpoints/[^/:]+)",
                self._getter("endpoints"),
            ),
            (
                "POST",
                r"v1/(?P<name>projects/[^/]+/locations/[^/]+/endpoints/[^/:]+):deployModel",
                self._deploy,
            ),
            (
                "POST",
                r"v1/(?P<name>projects/[^/]+/locations/[^/]+/endpoints/[^/:]+):undeployModel",
                self._undeploy,
            ),
            (
                "DELETE",
                r"v1/(?P<name>projects/[^/]+/locations/[^/]+/endpoints/[^/:]+)",
                self._delete_endpoint,
            ),
            ("PATCH", r"v1/(?P<name>projects/[^/]+/locations/[^/]+/endpoints/[^/:]+)", self._update_endpoint),
            ("POST", r"v2/entries:list", self._log_entries),
            ("GET", r"v3/projects/(?P<project>[^/]+)", self._project),
            ("GET", r"v1/projects/(?P<project>[^/]+)/services", self._services),
            ("GET", LOCATION + r"/repositories", self._repositories),
            ("GET", r"v1/(?P<name>projects/[^/]+/locations/[^/]+/repositories/[^/]+)", self._repository),
            (
                "DELETE",
                r"v1/(?P<name>projects/[^/]+/locations/[^/]+/repositories/[^/]+)",
                self._delete_repository,
            ),
            ("GET", r"v1/(?P<name>projects/.+/packages/[^/]+/tags/[^/]+)", self._tag),
            ("GET", r"v1/(?P<ring>projects/[^/]+/locations/[^/]+/keyRings/[^/]+)/cryptoKeys", self._keys),
            ("GET", r"v1/(?P<key>projects/.+/cryptoKeys/[^/]+)/cryptoKeyVersions", self._versions),
            ("POST", r"v1/(?P<name>projects/.+/cryptoKeyVersions/[^/:]+):destroy", self._destroy_version),
            ("GET", r"v1/projects/(?P<project>[^/:]+):searchAllResources", self._search_assets),
            (
                "GET",
                r"v1/projects/(?P<project>[^/]+)/locations/global/services/(?P<service>[^/]+)/quotaInfos",
                self._quota_infos,
            ),
            ("GET", r"compute/v1/projects/(?P<project>[^/]+)/regions/(?P<region>[^/]+)", self._region),
            ("GET", r"compute/v1/projects/(?P<project>[^/]+)", self._compute_project),
        ]

    # --- helpers --------------------------------------------------------------------------------------

    @staticmethod
    def _operation(parent: str, response: dict, kind: str) -> dict:
        # Done at once: the client library's operation.result() returns without polling.
        return {
            "name": f"{parent}/operations/{abs(hash((parent, kind, _now()))) % 10**12}",
            "done": True,
            "response": {"@type": kind, **response},
        }

    def _table(self, table: str) -> dict[str, dict]:
        return getattr(self.state, table)

    def _lister(self, table: str, key: str) -> Any:
        def action(loc: str, query: dict, body: dict) -> dict:
            text = query.get("filter", [""])[0]
            items = [
                item
                for name, item in sorted(self._table(table).items())
                if name.startswith(f"{loc}/") and matches_filter(item, text)
            ]
            return {key: items}

        return action

    def _getter(self, table: str) -> Any:
        def action(name: str, query: dict, body: dict) -> dict:
            if name not in self._table(table):
                raise ApiFailure(404, f"{name} not found")
            return self._table(table)[name]

        return action

    # --- Vertex AI ------------------------------------------------------------------------------------

    def _create_job(self, loc: str, query: dict, body: dict) -> dict:
        name = f"{loc}/customJobs/{self.new_id()}"
        job = {**body, "name": name, "state": "JOB_STATE_PENDING", "createTime": _now(), "updateTime": _now()}
        self.state.jobs[name] = job
        return job

    def _cancel_job(self, name: str, query: dict, body: dict) -> dict:
        job = self._getter("jobs")(name=name, query=query, body=body)
        if job["state"] in RUNNING:
            job["state"] = self.state.cancel_to
        return {}

    def _delete_job(self, name: str, query: dict, body: dict) -> dict:
        job = self._getter("jobs")(name=name, query=query, body=body)
        if job["state"] in RUNNING:
            raise ApiFailure(400, f"{name} is {job['state']}: cancel it before deleting it")
        del self.state.jobs[name]
        return self._operation(name, {}, EMPTY)

    def _upload_model(self, loc: str, query: dict, body: dict) -> dict:
        name = f"{loc}/models/{self.new_id()}"
        self.state.models[name] = {**body["model"], "name": name, "createTime": _now(), "deployedModels": []}
        return self._operation(name, {"model": name}, f"{AIP}.UploadModelResponse")

    def _delete_model(self, name: str, query: dict, body: dict) -> dict:
        model = self._getter("models")(name=name, query=query, body=body)
        for endpoint in self.state.endpoints.values():
            if any(d["model"] == name for d in endpoint.get("deployedModels", [])):
                raise ApiFailure(400, f"{name} is deployed to {endpoint['name']}: undeploy it first")
        del self.state.models[model["name"]]
        return self._operation(name, {}, EMPTY)

    def _deploy(self, name: str, query: dict, body: dict) -> dict:
        endpoint = self._getter("endpoints")(name=name, query=query, body=body)
        deployed = dict(body["deployedModel"])
        if deployed.get("model") not in self.state.models:
            raise ApiFailure(400, f"model {deployed.get('model')} does not exist")
        if endpoint.get("network") and endpoint.get("deployedModels"):
            # Vertex AI: an endpoint peered to a VPC serves one deployed model, with no traffic split.
            raise ApiFailure(
                400, f"{name} is a private endpoint peered to a VPC: it takes only one deployed model"
            )
        deployed["id"] = self.new_id()
        psc = endpoint.get("privateServiceConnectConfig", {})
        if psc.get("enablePrivateServiceConnect"):
            # Vertex AI makes the endpoint's service attachment with its first deployed model.
            attachment = psc.setdefault(
                "serviceAttachment",
                f"projects/vertex-tenant-{name.rsplit('/', 1)[-1]}/regions/{name.split('/')[3]}"
                f"/serviceAttachments/sa-{name.rsplit('/', 1)[-1]}",
            )
            deployed["privateEndpoints"] = {"serviceAttachment": attachment}
        split = {
            (deployed["id"] if key == "0" else key): value
            for key, value in body.get("trafficSplit", {}).items()
        }
        if not split and not endpoint.get("deployedModels"):
            split = {deployed["id"]: 100}  # the first model gets all traffic, as on Vertex AI
        known = {d["id"] for d in endpoint.get("deployedModels", [])} | {deployed["id"]}
        if split and (sum(split.values()) != 100 or not set(split) <= known):
            raise ApiFailure(400, f"traffic split {split} must name deployed models and sum to 100")
        endpoint.setdefault("deployedModels", []).append(deployed)
        if split:
            endpoint["trafficSplit"] = split
        return self._operation(name, {"deployedModel": deployed}, f"{AIP}.DeployModelResponse")

    def _undeploy(self, name: str, query: dict, body: dict) -> dict:
        endpoint = self._getter("endpoints")(name=name, query=query, body=body)
        target = body["deployedModelId"]
        models = endpoint.get("deployedModels", [])
        if target not in {d["id"] for d in models}:
            raise ApiFailure(404, f"no deployed model {target} on {name}")
        split = body.get("trafficSplit")
        current = endpoint.get("trafficSplit", {})
        remaining = [d for d in models if d["id"] != target]
        if split:
            if sum(split.values()) != 100 or target in split:
                raise ApiFailure(400, f"traffic split {split} after undeploying {target} must sum to 100")
        elif current.get(target, 0) > 0 and remaining:
            raise ApiFailure(400, f"{target} serves {current[target]} % of {name}: move the traffic first")
        endpoint["deployedModels"] = remaining
        endpoint["trafficSplit"] = split or {}
        return self._operation(name, {}, f"{AIP}.UndeployModelResponse")

    def _update_endpoint(self, name: str, query: dict, body: dict) -> dict:
        endpoint = self._getter("endpoints")(name=name, query=query, body=body)
        mask = query.get("updateMask", [""])[0].split(",")
        if mask != ["trafficSplit"]:
            raise ApiFailure(400, f"fake updates only trafficSplit, not {mask}")
        split = {key: int(value) for key, value in body.get("trafficSplit", {}).items()}
        deployed = {d["id"] for d in endpoint.get("deployedModels", [])}
        if sum(split.values()) != 100 or not set(split) <= deployed:
            raise ApiFailure(
                400, f"traffic split {split} must name deployed models {sorted(deployed)} and sum to 100"
            )
        endpoint["trafficSplit"] = split
        return endpoint

    def _delete_endpoint(self, name: str, query: dict, body: dict) -> dict:
        endpoint = self._getter("endpoints")(name=name, query=query, body=body)
        if endpoint.get("deployedModels"):
            raise ApiFailure(400, f"{name} has deployed models: undeploy them first")
        del self.state.endpoints[name]
        return self._operation(name, {}, EMPTY)

    # --- other APIs -----------------------------------------------------------------------------------

    def _log_entries(self, query: dict, body: dict) -> dict:
        text = body.get("filter", "")
        job = re.search(r'resource\.labels\.job_id="([^"]+)"', text)
        since = re.search(r'timestamp>="([^"]+)"', text)
        entries = [
            entry
            for entry in self.state.log_entries
            if job
            and entry["resource"]["labels"]["job_id"] == job.group(1)
            and (not since or entry["timestamp"] >= since.group(1))
        ]
        return {"entries": sorted(entries, key=lambda e: (e["timestamp"], e["insertId"]))}

    def _project(self, project: str, query: dict, body: dict) -> dict:
        if project not in self.state.projects:
            raise ApiFailure(403, f"project {project} not found or permission denied")
        return self.state.projects[project]

    def _services(self, project: str, query: dict, body: dict) -> dict:
        number = self.state.projects.get(project, {}).get("name", "projects/0").rsplit("/", 1)[-1]
        return {
            "services": [
                {"name": f"projects/{number}/services/{api}", "config": {"name": api}, "state": "ENABLED"}
                for api in sorted(self.state.services.get(project, set()))
            ]
        }

    def _repositories(self, loc: str, query: dict, body: dict) -> dict:
        return {
            "repositories": [r for n, r in sorted(self.state.repositories.items()) if n.startswith(f"{loc}/")]
        }

    def _repository(self, name: str, query: dict, body: dict) -> dict:
        if name not in self.state.repositories:
            raise ApiFailure(404, f"{name} not found")
        return self.state.repositories[name]

    def _delete_repository(self, name: str, query: dict, body: dict) -> dict:
        self._repository(name=name, query=query, body=body)
        del self.state.repositories[name]
        self.state.tags = {tag for tag in self.state.tags if not tag.startswith(f"{name}/")}
        return self._operation(name, {}, EMPTY)

    def _tag(self, name: str, query: dict, body: dict) -> dict:
        if name not in self.state.tags:
            raise ApiFailure(404, f"{name} not found")
        return {"name": name, "version": f"{name.split('/tags/')[0]}/versions/sha256:0"}

    def _keys(self, ring: str, query: dict, body: dict) -> dict:
        keys = [
            {k: v for k, v in key.items() if k != "versions"}
            for n, key in sorted(self.state.keys.items())
            if n.startswith(f"{ring}/")
        ]
        if not keys and not any(n.startswith(f"{ring}/") for n in self.state.keys):
            raise ApiFailure(404, f"{ring} not found")
        return {"cryptoKeys": keys}

    def _versions(self, key: str, query: dict, body: dict) -> dict:
        if key not in self.state.keys:
            raise ApiFailure(404, f"{key} not found")
        return {"cryptoKeyVersions": self.state.keys[key]["versions"]}

    def _destroy_version(self, name: str, query: dict, body: dict) -> dict:
        for key in self.state.keys.values():
            for version in key["versions"]:
                if version["name"] == name:
                    version["state"] = "DESTROY_SCHEDULED"
                    return version
        raise ApiFailure(404, f"{name} not found")

    def _search_assets(self, project: str, query: dict, body: dict) -> dict:
        if "cloudasset.googleapis.com" not in self.state.services.get(project, set()):
            raise ApiFailure(403, f"Cloud Asset API has not been used in project {project} or it is disabled")
        text = query.get("query", [""])[0]
        wanted = dict(re.findall(r'labels\.([\w-]+)="([^"]*)"', text))
        if not wanted:
            raise ApiFailure(400, f'fake asset search needs labels.K="V" terms, got {text!r}')
        results = [
            asset
            for asset in self.state.assets
            if all(asset.get("labels", {}).get(k) == v for k, v in wanted.items())
        ]
        return {"results": results}

    def _quota_infos(self, project: str, service: str, query: dict, body: dict) -> dict:
        if "cloudquotas.googleapis.com" not in self.state.services.get(project, set()):
            raise ApiFailure(
                403, f"Cloud Quotas API has not been used in project {project} before or it is disabled"
            )
        if not self.state.quota_permission:
            raise ApiFailure(403, f"Permission 'cloudquotas.quotas.get' denied on projects/{project}")
        infos = self.state.quota_infos.get((project, service), [])
        size = int(query.get("pageSize", [self.state.quota_page_size])[0])
        start = int(query.get("pageToken", ["0"])[0])
        page: dict[str, Any] = {"quotaInfos": infos[start : start + size]}
        if start + size < len(infos):
            page["nextPageToken"] = str(start + size)
        return page

    def _region(self, project: str, region: str, query: dict, body: dict) -> dict:
        if (project, region) not in self.state.region_quotas:
            raise ApiFailure(404, f"The resource 'projects/{project}/regions/{region}' was not found")
        return {
            "kind": "compute#region",
            "name": region,
            "status": "UP",
            "quotas": self.state.region_quotas[(project, region)],
        }

    def _compute_project(self, project: str, query: dict, body: dict) -> dict:
        if project not in self.state.project_quotas:
            raise ApiFailure(404, f"The resource 'projects/{project}' was not found")
        return {"kind": "compute#project", "name": project, "quotas": self.state.project_quotas[project]}


def quota_info(
    project_number: str, service: str, quota_id: str, metric: str, values: dict[str | None, int]
) -> dict:
    """A QuotaInfo as quotaInfos.list returns it: ``values`` maps a region to its own value, and None to the
    default for every other region (a dimensions info without a region)."""
    infos = []
    for region, value in values.items():
        infos.append(
            {
                "dimensions": {"region": region} if region else {},
                "details": {"value": str(value)},  # int64: a JSON string
                "applicableLocations": [region] if region else ["us-central1", "europe-west4", "asia-east1"],
            }
        )
    return {
        "name": f"projects/{project_number}/locations/global/services/{service}/quotaInfos/{quota_id}",
        "quotaId": quota_id,
        "metric": metric,
        "service": service,
        "isPrecise": True,
        "containerType": "PROJECT",
        "dimensions": ["region"],
        "metricDisplayName": metric.rsplit("/", 1)[-1],
        "quotaDisplayName": quota_id,
        "metricUnit": "1",
        "quotaIncreaseEligibility": {"isEligible": True},
        "isFixed": False,
        "dimensionsInfos": infos,
        "isConcurrent": False,
    }


def compute_quota(metric: str, limit: float, usage: float = 0.0) -> dict:
    """One entry of regions.get / projects.get quotas[] (limit and usage are doubles)."""
    return {"metric": metric, "limit": limit, "usage": usage}
