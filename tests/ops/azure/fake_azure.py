"""A local fake of the Azure endpoints the ops commands call, served over HTTP on loopback.

One ThreadingHTTPServer answers four hosts by path prefix:

- ``/msi/token``: the managed-identity token endpoint (App Service style, IDENTITY_ENDPOINT), so the
  commands get their tokens through azure-identity's real DefaultAzureCredential. Tokens are unsigned JWTs
  whose ``aud`` is the requested resource; every other request must carry one with the right audience.
- ``/arm/...``: ARM. Resources are stored by id; GET of an id returns it, GET of a collection lists its
  direct children (two per page, so nextLink paging is exercised), PUT stores, DELETE removes with a
  Location-header long-running operation, deployments and endpoint PUTs answer with Azure-AsyncOperation.
  Every request must carry the api-version this file expects for its provider namespace (written out here
  on purpose, not imported from mlgen, so a changed version in mlgen fails a test).
  The location's Azure ML usages and VM sizes are served from ``usages``/``vm_sizes`` (the shapes of the
  Usages - List and Virtual Machine Sizes - List examples of the pinned version); autoscale settings PUTs are
  refused unless they target an existing resource with a capacity range Azure Monitor would accept.
- ``/blob/<account>/...``: the blob service (list with versions, ranged GET, DELETE of versions), which
  requires x-ms-version.
- ``/acr/<login server>/...``: ACR's token exchange and tag look-up.

Everything the fake received is in ``requests`` for the tests to assert bodies and versions.
"""

from __future__ import annotations

import base64
import itertools
import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qs, unquote, urlencode, urlsplit
from xml.sax.saxutils import escape

ARM_AUDIENCE = "https://management.azure.com"
STORAGE_AUDIENCE = "https://storage.azure.com"
# What the fake expects; an independent copy of the versions mlgen must send.
EXPECTED_VERSIONS = {
    "microsoft.machinelearningservices": "2024-10-01",
    "microsoft.storage": "2023-05-01",
    "microsoft.containerregistry": "2023-07-01",
    "microsoft.keyvault": "2023-07-01",
    "microsoft.insights": "2022-10-01",
}
RESOURCES_VERSION = "2022-09-01"
SUBSCRIPTIONS_VERSION = "2022-12-01"
BLOB_VERSION = "2023-11-03"
PAGE = 2
ASYNC_PUT = ("/onlineendpoints/",)  # endpoint and deployment PUTs run as long-running operations


def make_token(audience: str) -> str:
    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    claims = {"aud": audience, "upn": "tester@example.com", "tid": "tenant-1", "oid": "object-1"}
    return f"{part({'alg': 'none'})}.{part(claims)}.sig"


def audience_of(header: str) -> str | None:
    token = header.removeprefix("Bearer ")
    try:
        payload = token.split(".")[1]
        return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["aud"]
    except (IndexError, ValueError, KeyError):
        return None


def expected_version(path: str) -> str:
    parts = path.lower().split("/")
    namespaces = [parts[i + 1] for i, p in enumerate(parts[:-1]) if p == "providers"]
    for namespace in reversed(namespaces):
        if namespace in EXPECTED_VERSIONS:
            return EXPECTED_VERSIONS[namespace]
    if len([p for p in parts if p]) == 2 and parts[1] == "subscriptions":
        return SUBSCRIPTIONS_VERSION
    return RESOURCES_VERSION


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: Any


@dataclass
class BlobVersion:
    data: bytes
    version_id: str
    current: bool = True


@dataclass
class FakeAzure:
    resources: dict[str, dict[str, Any]] = field(default_factory=dict)
    # (account, container) -> blob name -> versions (oldest first)
    blobs: dict[tuple[str, str], dict[str, list[BlobVersion]]] = field(default_factory=dict)
    versioned_accounts: set[str] = field(default_factory=set)
    blob_denied: set[str] = field(default_factory=set)  # accounts whose data plane answers 403
    # ADLS Gen2 accounts: a directory is a blob that cannot be deleted while something is under it.
    hierarchical_accounts: set[str] = field(default_factory=set)
    registry_tags: dict[str, set[str]] = field(default_factory=dict)
    # location -> Usages - List entries / Virtual Machine Sizes - List entries of Azure ML in that region.
    usages: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    vm_sizes: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    requests: list[Recorded] = field(default_factory=list)
    operations: dict[str, dict[str, Any]] = field(default_factory=dict)
    # (method, lower-case ARM path) -> how many times to answer 429 before serving it.
    throttle: dict[tuple[str, str], int] = field(default_factory=dict)
    # (method, lower-case ARM path) -> (status, code) to answer instead: error paths of the commands.
    failures: dict[tuple[str, str], tuple[int, str]] = field(default_factory=dict)
    stuck_operations: bool = False  # asynchronous operations never end (a timeout must stop the wait)
    # Asynchronous operations end Failed (a deployment that never gets ready).
    failing_operations: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)
    base: str = ""
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    # --- seeding helpers -----------------------------------------------------------------------------------

    def put(self, resource_id: str, body: dict[str, Any]) -> dict[str, Any]:
        parts = resource_id.strip("/").split("/")
        resource = {
            "id": resource_id,
            "name": parts[-1],
            "type": self._type(resource_id),
            **body,
        }
        self.resources[resource_id.lower()] = resource
        return resource

    def put_blob(self, account: str, container: str, name: str, data: bytes) -> None:
        versions = self.blobs.setdefault((account, container), {}).setdefault(name, [])
        for version in versions:
            version.current = False
        if account not in self.versioned_accounts:
            versions.clear()
        versions.append(BlobVersion(data, f"2026-01-01T00:00:{next(self._ids):02d}.0000000Z"))

    def arm(self, method: str | None = None, contains: str = "") -> list[Recorded]:
        return [
            r
            for r in self.requests
            if r.path.startswith("/arm/")
            and (method is None or r.method == method)
            and contains.lower() in r.path.lower()
        ]

    @staticmethod
    def _type(resource_id: str) -> str:
        parts = resource_id.strip("/").split("/")
        if "providers" not in [p.lower() for p in parts]:
            return (
                "Microsoft.Resources/resourceGroups"
                if len(parts) == 4
                else "Microsoft.Resources/subscriptions"
            )
        index = max(i for i, p in enumerate(parts) if p.lower() == "providers")
        rest = parts[index + 1 :]
        return "/".join([rest[0], *rest[1::2]])

    def children(self, collection: str) -> list[dict[str, Any]]:
        prefix = collection.lower().rstrip("/") + "/"
        return [
            resource
            for key, resource in sorted(self.resources.items())
            if key.startswith(prefix) and "/" not in key[len(prefix) :]
        ]

    def remove(self, resource_id: str) -> bool:
        key = resource_id.lower()
        found = key in self.resources
        for other in [k for k in self.resources if k == key or k.startswith(key + "/")]:
            del self.resources[other]
        return found


class Handler(BaseHTTPRequestHandler):
    fake: FakeAzure
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: Any) -> None:
        pass

    # --- plumbing --------------------------------------------------------------------------------------

    def _send(self, status: int, body: Any = None, headers: dict[str, str] | None = None) -> None:
        if isinstance(body, bytes):
            data, kind = body, "application/octet-stream"
        elif isinstance(body, str):
            data, kind = body.encode(), "application/xml"
        elif body is None:
            data, kind = b"", "application/json"
        else:
            data, kind = json.dumps(body).encode(), "application/json"
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def _error(self, status: int, code: str, message: str = "") -> None:
        self._send(status, {"error": {"code": code, "message": message or code}})

    def _handle(self, method: str) -> None:
        split = urlsplit(self.path)
        path = unquote(split.path)
        query = {k: v[0] for k, v in parse_qs(split.query, keep_blank_values=True).items()}
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        kind = self.headers.get("Content-Type", "")
        body: Any = raw
        if raw and "json" in kind:
            body = json.loads(raw)
        elif raw and "form" in kind:
            body = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
        with self.fake.lock:
            self.fake.requests.append(Recorded(method, path, query, dict(self.headers), body))
            if path.startswith("/msi/"):
                return self._token(query)
            if path.startswith("/arm/"):
                return self._arm(method, path.removeprefix("/arm"), query, body)
            if path.startswith("/blob/"):
                return self._blob(method, path.removeprefix("/blob/"), query)
            if path.startswith("/acr/"):
                return self._acr(method, path.removeprefix("/acr/"), body)
            if path == "/control/destroy" and method == "POST":
                # What `terraform destroy` of the environment root does, called by the test root's
                # destroy-time provisioner: resources go, the Key Vault becomes soft-deleted.
                for resource_id in body["remove"]:
                    self.fake.remove(resource_id)
                for resource_id, resource in body.get("put", {}).items():
                    self.fake.put(resource_id, resource)
                return self._send(200, {})
            self._error(404, "NoSuchHost")

    do_GET = lambda self: self._handle("GET")
    do_PUT = lambda self: self._handle("PUT")
    do_POST = lambda self: self._handle("POST")
    do_DELETE = lambda self: self._handle("DELETE")
    do_PATCH = lambda self: self._handle("PATCH")

    # --- token -----------------------------------------------------------------------------------------

    def _token(self, query: dict[str, str]) -> None:
        if self.headers.get("X-IDENTITY-HEADER") != "test-identity-header":
            return self._error(401, "BadIdentityHeader")
        token = make_token(query.get("resource", "").rstrip("/"))
        expires = str(int(time.time()) + 3600)
        self._send(
            200,
            {
                "access_token": token,
                "expires_on": expires,
                "resource": query.get("resource"),
                "token_type": "Bearer",
            },
        )

    # --- ARM -------------------------------------------------------------------------------------------

    def _arm(self, method: str, path: str, query: dict[str, str], body: Any) -> None:
        if audience_of(self.headers.get("Authorization", "")) != ARM_AUDIENCE:
            return self._error(401, "InvalidAuthenticationToken")
        if path.startswith("/operations/"):
            return self._operation(path)
        want = expected_version(path)
        if query.get("api-version") != want:
            return self._error(
                400, "InvalidApiVersionParameter", f"{path} wants {want}, got {query.get('api-version')}"
            )
        fake = self.fake
        injected = fake.failures.get((method, path.lower()))
        if injected:
            return self._error(injected[0], injected[1])
        if fake.throttle.get((method, path.lower()), 0) > 0:
            fake.throttle[(method, path.lower())] -= 1
            return self._send(429, {"error": {"code": "TooManyRequests"}}, {"Retry-After": "0"})
        lowered = path.lower()
        if method == "GET":
            if lowered.endswith(("/resources", "/resourcegroups")):
                return self._tagged(lowered, query)
            location = re.fullmatch(
                r"/subscriptions/[^/]+/providers/microsoft\.machinelearningservices/locations/([^/]+)/(usages|vmsizes)",
                lowered,
            )
            if location:
                if location.group(2) == "vmsizes":  # one page, no nextLink (as the API answers)
                    return self._send(200, {"value": fake.vm_sizes.get(location.group(1), [])})
                return self._page(path, fake.usages.get(location.group(1), []), query)
            if lowered in fake.resources:
                resource = fake.resources[lowered]
                properties = resource.get("properties", {})
                if "_cancel_polls" in properties:  # a cancelled job: CancelRequested once, then Canceled
                    properties["_cancel_polls"] -= 1
                    if properties["_cancel_polls"] <= 0:
                        properties.pop("_cancel_polls")
                        properties["status"] = "Canceled"
                if properties.get("_statuses"):  # a scripted job: the next status on each read
                    properties["status"] = properties["_statuses"].pop(0)
                return self._send(200, self._visible(resource))
            items = fake.children(path)
            if items or self._is_collection(lowered):
                return self._page(path, items, query)
            return self._error(404, "ResourceNotFound", f"{path} not found")
        if method == "PUT":
            return self._put(path, body)
        if method == "DELETE":
            if not fake.remove(path):
                return self._send(204)
            return self._send(
                202, None, {"Location": self._new_operation(kind="location"), "Retry-After": "0"}
            )
        if method == "POST" and lowered.endswith("/cancel"):
            job = fake.resources.get(lowered.removesuffix("/cancel"))
            if job is None:
                return self._error(404, "ResourceNotFound")
            job["properties"]["status"] = "CancelRequested"
            job["properties"]["_cancel_polls"] = 2
            return self._send(
                202, None, {"Location": self._new_operation(kind="location"), "Retry-After": "0"}
            )
        if method == "POST" and lowered.endswith("/purge"):
            if not fake.remove(path.removesuffix("/purge")):
                return self._error(404, "ResourceNotFound")
            return self._send(
                202, None, {"Location": self._new_operation(kind="location"), "Retry-After": "0"}
            )
        self._error(405, "MethodNotAllowed")

    @staticmethod
    def _is_collection(lowered: str) -> bool:
        return lowered.rsplit("/", 1)[-1] in {
            "jobs",
            "deployments",
            "onlineendpoints",
            "containers",
            "environments",
            "models",
            "versions",
            "autoscalesettings",
        }

    def _page(self, path: str, items: list[dict[str, Any]], query: dict[str, str]) -> None:
        start = int(query.get("$skipToken", "0"))
        page: dict[str, Any] = {"value": [self._visible(i) for i in items[start : start + PAGE]]}
        if start + PAGE < len(items):
            # Like ARM, the next link repeats the query (api-version, filter) with a skip token.
            following = urlencode({**query, "$skipToken": str(start + PAGE)})
            page["nextLink"] = f"{self.fake.base}/arm{path}?{following}"
        self._send(200, page)

    def _visible(self, resource: dict[str, Any]) -> dict[str, Any]:
        resource = json.loads(json.dumps(resource))
        resource.get("properties", {}).pop("_cancel_polls", None)
        resource.get("properties", {}).pop("_statuses", None)
        return resource

    def _tagged(self, lowered: str, query: dict[str, str]) -> None:
        # Only the filter mlgen sends is understood: tagName eq 'project' and tagValue eq '<value>'.
        text = query.get("$filter", "")
        if not text.startswith("tagName eq 'project' and tagValue eq '"):
            return self._error(400, "InvalidFilter", text)
        value = text.split("tagValue eq '", 1)[1].rstrip("'")
        groups = lowered.endswith("/resourcegroups")
        items = [
            r
            for r in self.fake.resources.values()
            if (r["type"] == "Microsoft.Resources/resourceGroups") == groups
            and r["type"] != "Microsoft.Resources/subscriptions"
            and (r.get("tags") or {}).get("project") == value
        ]
        self._page(lowered, sorted(items, key=lambda r: r["id"]), query)

    def _job_data_problem(self, path: str, body: Any) -> str | None:
        """What Azure ML would refuse about a job's inputs and outputs: an output that is not a datastore path
        ("Access data in a job", Paths: outputs take azureml://datastores/<name>/paths/<path> only), or a
        datastore the workspace does not have. Modelled on the documentation, not a captured response."""
        workspace = path.lower().split("/jobs/")[0]
        properties = body.get("properties", {})
        for kind in ("outputs", "inputs"):
            for name, data in sorted((properties.get(kind) or {}).items()):
                uri = data.get("uri", "")
                match = re.fullmatch(r"azureml://datastores/([^/]+)/paths/.+", uri)
                if match is None:
                    if kind == "outputs":
                        return f"output {name!r}: {uri!r} is not a datastore path"
                    continue
                if f"{workspace}/datastores/{match.group(1).lower()}" not in self.fake.resources:
                    return f"{kind[:-1]} {name!r}: datastore {match.group(1)!r} not found in the workspace"
        return None

    def _autoscale_problem(self, body: Any) -> str | None:
        """What Autoscale Settings - Create Or Update would refuse (its required fields, 1–20 profiles, a
        capacity minimum ≤ default ≤ maximum given as strings, 0–10 rules a profile) or where the target is
        not there. Modelled on the REST reference, not a captured response."""
        properties = body.get("properties") or {}
        if not body.get("location") or not properties.get("profiles"):
            return "location and properties.profiles are required"
        target = str(properties.get("targetResourceUri", "")).lower()
        if target not in self.fake.resources:
            return f"target resource {target!r} not found"
        if not 1 <= len(properties["profiles"]) <= 20:
            return "1 to 20 profiles"
        for profile in properties["profiles"]:
            capacity = profile.get("capacity") or {}
            if not all(isinstance(capacity.get(k), str) for k in ("minimum", "maximum", "default")):
                return "capacity minimum, maximum and default are strings"
            low, high, default = (int(capacity[k]) for k in ("minimum", "maximum", "default"))
            if not low <= default <= high:
                return "capacity must be minimum <= default <= maximum"
            if len(profile.get("rules", [])) > 10:
                return "at most 10 rules a profile"
            for rule in profile.get("rules", []):
                if str(rule["metricTrigger"]["metricResourceUri"]).lower() not in self.fake.resources:
                    return "metricResourceUri not found"
        return None

    def _put(self, path: str, body: Any) -> None:
        fake = self.fake
        if "/microsoft.insights/autoscalesettings/" in path.lower():
            problem = self._autoscale_problem(body)
            if problem:
                return self._error(400, "InvalidAutoscaleSetting", problem)
        if "/jobs/" in path.lower():
            problem = self._job_data_problem(path, body)
            if problem:
                return self._error(400, "UserError", problem)
        existing = fake.resources.get(path.lower())
        resource = fake.put(path, json.loads(json.dumps(body)))
        resource.setdefault("properties", {})
        if "/jobs/" in path.lower():
            resource["properties"]["status"] = "Queued"
            resource["systemData"] = {"createdAt": f"2026-12-03T10:00:{next(fake._ids):02d}Z"}
        if any(marker in path.lower() for marker in ASYNC_PUT):
            resource["properties"]["provisioningState"] = "Updating"
            operation = self._new_operation(kind="async", resource=path.lower())
            return self._send(
                201 if existing is None else 200,
                self._visible(resource),
                {"Azure-AsyncOperation": operation, "Retry-After": "0"},
            )
        resource["properties"].setdefault("provisioningState", "Succeeded")
        self._send(201 if existing is None else 200, self._visible(resource))

    def _new_operation(self, kind: str, resource: str | None = None) -> str:
        number = next(self.fake._ids)
        self.fake.operations[str(number)] = {"kind": kind, "polls": 0, "resource": resource}
        return f"{self.fake.base}/arm/operations/{number}?api-version={RESOURCES_VERSION}"

    def _operation(self, path: str) -> None:
        operation = self.fake.operations[path.rsplit("/", 1)[-1]]
        operation["polls"] += 1
        done = operation["polls"] >= 2 and not self.fake.stuck_operations  # one "still running", then done
        if operation["kind"] == "location":
            return self._send(200 if done else 202, None, {"Retry-After": "0"})
        if done and self.fake.failing_operations:
            error = {"code": "ResourceNotReady", "message": "readiness probe failed"}
            return self._send(200, {"status": "Failed", "error": error}, {"Retry-After": "0"})
        if done and operation["resource"] in self.fake.resources:
            self.fake.resources[operation["resource"]]["properties"]["provisioningState"] = "Succeeded"
        self._send(200, {"status": "Succeeded" if done else "InProgress"}, {"Retry-After": "0"})

    # --- blob --------------------------------------------------------------------------------------------

    def _blob(self, method: str, rest: str, query: dict[str, str]) -> None:
        if audience_of(self.headers.get("Authorization", "")) != STORAGE_AUDIENCE:
            return self._error(401, "InvalidAuthenticationInfo")
        if self.headers.get("x-ms-version") != BLOB_VERSION:
            return self._error(400, "MissingRequiredHeader", "x-ms-version")
        account, _, rest = rest.partition("/")
        if account in self.fake.blob_denied:
            return self._send(403, None, {"x-ms-error-code": "AuthorizationPermissionMismatch"})
        container, _, name = rest.partition("/")
        store = self.fake.blobs.get((account, container))
        if store is None:
            return self._send(404, None, {"x-ms-error-code": "ContainerNotFound"})
        if not name and query.get("comp") == "list":
            return self._list(store, query)
        versions = store.get(name, [])
        if method == "GET":
            current = [v for v in versions if v.current]
            if not current:
                return self._send(404, None, {"x-ms-error-code": "BlobNotFound"})
            data = current[-1].data
            ranged = self.headers.get("Range", "")
            if ranged.startswith("bytes="):
                offset = int(ranged.removeprefix("bytes=").rstrip("-"))
                if offset >= len(data):
                    return self._send(416, None, {"x-ms-error-code": "InvalidRange"})
                return self._send(206, data[offset:])
            return self._send(200, data)
        if method == "DELETE":
            under = [o for o in store if o.startswith(name + "/") and any(v.current for v in store[o])]
            if account in self.fake.hierarchical_accounts and under and "versionid" not in query:
                return self._send(409, None, {"x-ms-error-code": "DirectoryIsNotEmpty"})
            if "versionid" in query:
                before = len(versions)
                versions[:] = [v for v in versions if v.version_id != query["versionid"] or v.current]
                if len(versions) == before:
                    return self._send(404, None, {"x-ms-error-code": "BlobNotFound"})
            elif any(v.current for v in versions):
                if account in self.fake.versioned_accounts:
                    for version in versions:
                        version.current = False
                else:
                    versions.clear()
            else:
                return self._send(404, None, {"x-ms-error-code": "BlobNotFound"})
            if not versions:
                store.pop(name, None)
            return self._send(202)
        self._send(405)

    def _list(self, store: dict[str, list[BlobVersion]], query: dict[str, str]) -> None:
        prefix = query.get("prefix", "")
        with_versions = "versions" in query.get("include", "")
        entries = []
        for name in sorted(store):
            if not name.startswith(prefix):
                continue
            for version in store[name]:
                if not with_versions and not version.current:
                    continue
                extra = ""
                if with_versions:
                    current = "true" if version.current else "false"
                    extra = f"<VersionId>{version.version_id}</VersionId><IsCurrentVersion>{current}</IsCurrentVersion>"
                xml = (
                    f"<Blob><Name>{escape(name)}</Name>{extra}<Properties><Content-Length>"
                    f"{len(version.data)}</Content-Length></Properties></Blob>"
                )
                entries.append((f"{name} {version.version_id}", xml))  # " " sorts before "/"
        # Two entries per page, and like the service the marker names where the next page starts (not an
        # offset), so deleting between pages neither skips nor repeats an entry.
        marker = query.get("marker") or ""
        remaining = [entry for entry in sorted(entries) if entry[0] >= marker]
        page, rest = remaining[:PAGE], remaining[PAGE:]
        following = escape(rest[0][0]) if rest else ""
        blobs = "".join(xml for _, xml in page)
        self._send(
            200,
            f'<?xml version="1.0" encoding="utf-8"?><EnumerationResults><Blobs>{blobs}</Blobs>'
            f"<NextMarker>{following}</NextMarker></EnumerationResults>",
        )

    # --- ACR ---------------------------------------------------------------------------------------------

    def _acr(self, method: str, rest: str, body: Any) -> None:
        server, _, route = rest.partition("/")
        if route == "oauth2/exchange" and method == "POST":
            if audience_of(body.get("access_token", "")) != ARM_AUDIENCE or body.get("service") != server:
                return self._error(401, "unauthorized")
            return self._send(200, {"refresh_token": f"acr-refresh-{server}"})
        if route == "oauth2/token" and method == "POST":
            if body.get("refresh_token") != f"acr-refresh-{server}":
                return self._error(401, "unauthorized")
            return self._send(200, {"access_token": f"acr-access-{body.get('scope')}"})
        if route.startswith("acr/v1/") and method == "GET":
            repository, _, tag = route.removeprefix("acr/v1/").partition("/_tags/")
            if (
                self.headers.get("Authorization")
                != f"Bearer acr-access-repository:{repository}:metadata_read"
            ):
                return self._error(401, "unauthorized")
            if tag in self.fake.registry_tags.get(repository, set()):
                return self._send(200, {"registry": server, "imageName": repository, "tag": {"name": tag}})
            return self._error(404, "TAG_UNKNOWN")
        self._error(404, "NotFound")


class Server:
    def __init__(self) -> None:
        self.fake = FakeAzure()
        handler = type("BoundHandler", (Handler,), {"fake": self.fake})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.fake.base = f"http://127.0.0.1:{self.httpd.server_port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
