"""Plain HTTPS to Azure: ARM (management.azure.com) and the blob data plane, with Entra ID tokens.

azure-identity's DefaultAzureCredential finds the caller's credential (environment, workload identity in
CI, managed identity, `az login`); the requests themselves are plain REST over httpx, so every body mlgen
sends is visible in this package and checked by the tests against a local fake.

Endpoints are Azure's public cloud unless overridden (the tests point them at loopback; a sovereign cloud
can too): MLGEN_AZURE_ARM_ENDPOINT, MLGEN_AZURE_BLOB_ENDPOINT (with ``{account}``) and
MLGEN_AZURE_REGISTRY_ENDPOINT (with ``{registry}``, the login server).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from functools import cached_property
from typing import Any
from urllib.parse import urlsplit

from mlgen.clouds.azure.ops import api_versions
from mlgen.ops.base import Echo
from mlgen.ops.errors import OpsError

ARM_SCOPE = "https://management.azure.com/.default"
STORAGE_SCOPE = "https://storage.azure.com/.default"
RETRY_STATUSES = {429, 500, 502, 503, 504}
ATTEMPTS = 4
TIMEOUT_S = 60.0
# Long-running operations: ARM's Retry-After is honoured up to this many seconds between polls.
MAX_POLL_S = 30.0
TERMINAL = {"succeeded", "failed", "canceled", "cancelled"}


def arm_endpoint() -> str:
    return os.environ.get("MLGEN_AZURE_ARM_ENDPOINT", "https://management.azure.com").rstrip("/")


def blob_endpoint(account: str) -> str:
    template = os.environ.get("MLGEN_AZURE_BLOB_ENDPOINT", "https://{account}.blob.core.windows.net")
    return template.format(account=account).rstrip("/")


def registry_endpoint(login_server: str) -> str:
    template = os.environ.get("MLGEN_AZURE_REGISTRY_ENDPOINT", "https://{registry}")
    return template.format(registry=login_server).rstrip("/")


class ArmError(OpsError):
    """An ARM or data-plane answer that is not a success: status, Azure's error code and message."""

    def __init__(self, method: str, what: str, status: int, code: str, message: str) -> None:
        self.status, self.code = status, code
        if status == 401:
            text = f"{method} {what}: not authenticated ({code}): log in again (az login) and re-run"
        elif status == 403:
            text = (
                f"access denied to {method} {what}: {code}: {message} (grant the role to the identity "
                "you are using)"
            )
        else:
            text = f"{method} {what} failed: {status} {code}: {message}"
        super().__init__(text)


def credential() -> Any:
    """DefaultAzureCredential without the interactive browser (a CLI run must never hang on a login)."""
    try:
        from azure.identity import DefaultAzureCredential
    except ImportError as error:
        raise OpsError(
            'this command calls Azure through azure-identity, which is not installed: pip install "mlgen[azure]"'
        ) from error
    return DefaultAzureCredential(exclude_interactive_browser_credential=True)


def _error_details(response: Any) -> tuple[str, str]:
    try:
        body = response.json()
    except ValueError:
        body = {}
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict):
        return str(error.get("code", response.status_code)), str(error.get("message", ""))
    # The blob service answers errors in XML with the code in a header.
    code = response.headers.get("x-ms-error-code", str(response.status_code))
    return code, response.reason_phrase or ""


class Azure:
    """One credential and one HTTP connection pool for ARM and the data plane of one subscription."""

    def __init__(self, subscription_id: str, poll_s: float | None = None) -> None:
        self.subscription_id = subscription_id
        self.base = arm_endpoint()
        self.poll_s = float(os.environ.get("MLGEN_AZURE_POLL_S", "5")) if poll_s is None else poll_s
        self._tokens: dict[str, Any] = {}

    @cached_property
    def credential(self) -> Any:
        return credential()

    @cached_property
    def http(self) -> Any:
        import httpx

        return httpx.Client(timeout=TIMEOUT_S, headers={"User-Agent": "mlgen"})

    def token(self, scope: str) -> str:
        cached = self._tokens.get(scope)
        if cached is None or cached.expires_on - 300 < time.time():
            try:
                cached = self.credential.get_token(scope)
            except Exception as error:  # azure-identity raises several types; all mean "no usable login"
                raise OpsError(
                    "no Azure credential could get a token: run `az login` (or set AZURE_CLIENT_ID, "
                    "AZURE_TENANT_ID and a secret or federated token), then `mlgen doctor`. "
                    f"Detail: {str(error).splitlines()[0] if str(error) else type(error).__name__}"
                ) from error
            self._tokens[scope] = cached
        return cached.token

    # --- ARM -------------------------------------------------------------------------------------------

    def url(self, path: str) -> str:
        return path if path.startswith(("http://", "https://")) else f"{self.base}{path}"

    def request(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        params: dict[str, str] | None = None,
        ok: tuple[int, ...] = (200, 201, 202, 204),
        scope: str = ARM_SCOPE,
        headers: dict[str, str] | None = None,
        content: bytes | None = None,
    ) -> Any:
        """One call with retries on throttling and server errors; ArmError for any other non-success."""
        import httpx

        url = self.url(path)
        query = dict(params or {})
        # The resource path without the endpoint's own path (a sovereign cloud or the tests' fake may have one).
        what = urlsplit(url.removeprefix(self.base) if url.startswith(self.base) else url).path
        if scope == ARM_SCOPE and "api-version" not in url:
            query.setdefault("api-version", api_versions.for_path(what))
        for attempt in range(ATTEMPTS):
            request_headers = {"Authorization": f"Bearer {self.token(scope)}", **(headers or {})}
            try:
                # No params at all when there are none: httpx would replace the query a nextLink carries.
                response = self.http.request(
                    method, url, params=query or None, json=body, headers=request_headers, content=content
                )
            except httpx.HTTPError as error:
                if attempt + 1 < ATTEMPTS:
                    time.sleep(min(2**attempt, 8) * (self.poll_s > 0))
                    continue
                raise OpsError(f"cannot reach Azure at {self.base} ({error}): check the network") from error
            if response.status_code in RETRY_STATUSES and attempt + 1 < ATTEMPTS:
                time.sleep(self._retry_after(response, 2**attempt))
                continue
            if response.status_code not in ok:
                raise ArmError(method, what, response.status_code, *_error_details(response))
            return response
        raise AssertionError("unreachable")  # pragma: no cover

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.request("GET", path, **kwargs).json()

    def get_or_none(self, path: str, **kwargs: Any) -> Any:
        """The resource, or None when ARM says it does not exist (404)."""
        response = self.request("GET", path, ok=(200, 404), **kwargs)
        return None if response.status_code == 404 else response.json()

    def paged(self, path: str, params: dict[str, str] | None = None) -> Iterator[dict[str, Any]]:
        """Every item of a list, following nextLink (which already carries the api-version)."""
        page = self.get(path, params=params)
        while True:
            yield from page.get("value", [])
            link = page.get("nextLink")
            if not link:
                return
            page = self.get(link)

    def _retry_after(self, response: Any, default: float) -> float:
        """Azure's Retry-After, at least poll_s (a 0 would make a busy loop) and at most MAX_POLL_S."""
        if self.poll_s <= 0:
            return 0.0
        try:
            asked = float(response.headers.get("Retry-After", default))
        except ValueError:
            asked = default
        return max(self.poll_s, min(asked, MAX_POLL_S))

    # --- long-running operations -------------------------------------------------------------------------

    def wait(self, response: Any, what: str, echo: Echo, timeout_s: float) -> None:
        """Follow ARM's asynchronous-operation protocol until the operation ends (OpsError if it fails or
        outlasts ``timeout_s``): Azure-AsyncOperation is polled for its status; otherwise Location answers
        202 while running and 200/204 when done. A 200/201 without either header is already done."""
        async_url = response.headers.get("Azure-AsyncOperation")
        location = response.headers.get("Location")
        if response.status_code not in (201, 202) or not (async_url or location):
            return
        start = time.monotonic()
        last = None
        delay = self._retry_after(response, self.poll_s)
        while True:
            if time.monotonic() - start > timeout_s:
                raise OpsError(
                    f"{what} still running after {timeout_s:.0f} s; it goes on in Azure: check it in the "
                    "portal or re-run the command later"
                )
            time.sleep(delay)
            if async_url:
                poll = self.request("GET", async_url, ok=(200, 202))
                status = str(poll.json().get("status", "InProgress"))
                if status.lower() in TERMINAL:
                    if status.lower() != "succeeded":
                        error = poll.json().get("error") or {}
                        raise OpsError(
                            f"{what} ended {status}: {error.get('code', '')}: {error.get('message', '')}"
                        )
                    echo(f"    {what}: {status} ({time.monotonic() - start:.0f} s)")
                    return
            else:
                poll = self.request("GET", location, ok=(200, 201, 202, 204))
                if poll.status_code != 202:
                    echo(f"    {what}: done ({time.monotonic() - start:.0f} s)")
                    return
                status = "InProgress"
            if status != last:
                echo(f"    {what}: {status} …")
                last = status
            delay = self._retry_after(poll, self.poll_s)

    # --- blob data plane ---------------------------------------------------------------------------------

    def blob(self, method: str, account: str, path: str, **kwargs: Any) -> Any:
        headers = {"x-ms-version": api_versions.BLOB_SERVICE, **kwargs.pop("headers", {})}
        return self.request(
            method, f"{blob_endpoint(account)}/{path}", scope=STORAGE_SCOPE, headers=headers, **kwargs
        )

    def list_blobs(
        self, account: str, container: str, prefix: str = "", versions: bool = False
    ) -> Iterator[dict[str, str]]:
        """Blobs of a container (with every version and snapshot if ``versions``): name, version id."""
        from xml.etree import ElementTree

        params = {"restype": "container", "comp": "list", "prefix": prefix}
        if versions:
            params["include"] = "versions,snapshots"
        marker = ""
        while True:
            if marker:
                params["marker"] = marker
            response = self.blob("GET", account, container, params=params, ok=(200, 404))
            if response.status_code == 404:
                return  # no container: nothing in it
            root = ElementTree.fromstring(response.content)
            for item in root.iter("Blob"):
                yield {
                    "name": item.findtext("Name", ""),
                    "version_id": item.findtext("VersionId", ""),
                    "snapshot": item.findtext("Snapshot", ""),
                    "current": item.findtext("IsCurrentVersion", ""),
                }
            marker = root.findtext("NextMarker", "")
            if not marker:
                return
