"""Google clients for one environment, and the translation of Google errors into messages without tracebacks.

Vertex AI is called through the google-cloud-aiplatform GAPIC clients (REST transport, the regional
endpoint), Cloud Storage through google-cloud-storage, and the few other APIs (Resource Manager, Service
Usage, Artifact Registry, Cloud KMS, Cloud Logging, Cloud Asset, Cloud Quotas, Compute Engine's regions and
projects) as plain JSON over google-auth's authorized session, so the ops commands need no client library
per API.

``MLGEN_GCP_ENDPOINT`` (e.g. ``http://127.0.0.1:8123``) sends every call except Cloud Storage there, with
anonymous credentials: the tests point it at a local fake. Cloud Storage honours the library's own
``STORAGE_EMULATOR_HOST``.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from functools import cached_property
from typing import Any, TypeVar

from mlgen.ops.errors import OpsError

F = TypeVar("F", bound=Callable[..., Any])
ENDPOINT_VARIABLE = "MLGEN_GCP_ENDPOINT"
SCOPES = ("https://www.googleapis.com/auth/cloud-platform",)
# The hosts of the JSON APIs called without a client library (each has a v1 or v3 REST surface).
HOSTS = {
    "cloudresourcemanager": "https://cloudresourcemanager.googleapis.com",
    "serviceusage": "https://serviceusage.googleapis.com",
    "artifactregistry": "https://artifactregistry.googleapis.com",
    "cloudkms": "https://cloudkms.googleapis.com",
    "logging": "https://logging.googleapis.com",
    "cloudasset": "https://cloudasset.googleapis.com",
    "cloudquotas": "https://cloudquotas.googleapis.com",
    "compute": "https://compute.googleapis.com",  # paths start with compute/v1/
}
TIMEOUT_S = 60
INSTALL_HINT = (
    'the GCP ops commands need google-cloud-aiplatform and google-cloud-storage: pip install "mlgen[gcp]"'
)


class ApiError(Exception):
    """A JSON API answered with an error status (the body's error.message, when it has one)."""

    def __init__(self, status: int, message: str, call: str) -> None:
        super().__init__(f"{call} failed: HTTP {status}: {message}")
        self.status, self.message, self.call = status, message, call


class Clients:
    """Credentials and lazily created clients of one project and region."""

    def __init__(self, project_id: str, region: str) -> None:
        self.project_id = project_id
        self.region = region
        self.endpoint = os.environ.get(ENDPOINT_VARIABLE, "").rstrip("/") or None

    @property
    def anonymous(self) -> bool:
        return self.endpoint is not None

    @cached_property
    def credentials(self) -> Any:
        try:
            import google.auth
            from google.auth.credentials import AnonymousCredentials
        except ImportError as error:
            raise OpsError(INSTALL_HINT) from error
        if self.anonymous:
            return AnonymousCredentials()
        credentials, _ = google.auth.default(scopes=list(SCOPES))
        return credentials

    def vertex(self, service: str) -> Any:
        """A Vertex AI GAPIC client: 'job', 'model' or 'endpoint' (REST, the environment's region)."""
        return self._vertex_clients[service]

    @cached_property
    def _vertex_clients(self) -> dict[str, Any]:
        try:
            from google.api_core.client_options import ClientOptions
            from google.cloud import aiplatform_v1
        except ImportError as error:
            raise OpsError(INSTALL_HINT) from error
        options = ClientOptions(
            api_endpoint=self.endpoint or f"https://{self.region}-aiplatform.googleapis.com"
        )
        kinds = {
            "job": aiplatform_v1.JobServiceClient,
            "model": aiplatform_v1.ModelServiceClient,
            "endpoint": aiplatform_v1.EndpointServiceClient,
        }
        return {
            name: kind(credentials=self.credentials, transport="rest", client_options=options)
            for name, kind in kinds.items()
        }

    @cached_property
    def storage(self) -> Any:
        try:
            from google.cloud import storage
        except ImportError as error:
            raise OpsError(INSTALL_HINT) from error
        if os.environ.get("STORAGE_EMULATOR_HOST"):
            # The library talks to the emulator and needs no credentials there.
            from google.auth.credentials import AnonymousCredentials

            return storage.Client(project=self.project_id, credentials=AnonymousCredentials())
        return storage.Client(project=self.project_id, credentials=self.credentials)

    @cached_property
    def _session(self) -> Any:
        from google.auth.transport.requests import AuthorizedSession

        return AuthorizedSession(self.credentials)

    def url(self, api: str, path: str) -> str:
        return f"{self.endpoint or HOSTS[api]}/{path.lstrip('/')}"

    def call(self, method: str, api: str, path: str, body: dict | None = None, **params: Any) -> dict:
        """One JSON call; raises :class:`ApiError` for an error status (404 included)."""
        call = f"{api} {method} {path.split('?')[0]}"
        response = self._session.request(
            method, self.url(api, path), json=body, params=params or None, timeout=TIMEOUT_S
        )
        if response.status_code >= 400:
            try:
                message = response.json().get("error", {}).get("message", "")
            except ValueError:
                message = ""
            raise ApiError(response.status_code, message or response.reason or "", call)
        return response.json() if response.content else {}

    def pages(self, api: str, path: str, key: str, **params: Any) -> list[dict]:
        """Every item of a paged list call (``nextPageToken``)."""
        items: list[dict] = []
        while True:
            page = self.call("GET", api, path, **params)
            items += page.get(key, [])
            token = page.get("nextPageToken")
            if not token:
                return items
            params["pageToken"] = token

    def access_token(self) -> str:
        """A short-lived OAuth access token of the caller (Artifact Registry's docker password)."""
        if self.anonymous:
            return "anonymous"  # the local fake accepts anything; real registries are never anonymous
        from google.auth.transport.requests import Request

        self.credentials.refresh(Request())
        return str(self.credentials.token)


def is_not_found(error: Exception) -> bool:
    if isinstance(error, ApiError):
        return error.status == 404
    from google.api_core import exceptions

    return isinstance(error, exceptions.NotFound)


def describe_google_error(error: Exception) -> str:
    """One sentence a person can act on, naming the call and Google's message."""
    from google.api_core import exceptions as core
    from google.auth import exceptions as auth

    if isinstance(error, auth.DefaultCredentialsError):
        return (
            "no Google credentials found: run `gcloud auth application-default login` (or set "
            "GOOGLE_APPLICATION_CREDENTIALS), then run `mlgen doctor`"
        )
    if isinstance(error, auth.RefreshError):
        return f"the Google credentials could not be refreshed ({error}): log in again"
    if isinstance(error, ApiError):
        if error.status == 403:
            return f"permission denied: {error} (grant the role to the identity you are using, or enable the API)"
        return str(error)
    if isinstance(error, core.PermissionDenied | core.Forbidden):
        return f"permission denied: {error.message} (grant the role to the identity you are using)"
    if isinstance(error, core.GoogleAPICallError):
        return f"a Google API call failed: {error.code} {error.message}"
    from requests import ConnectionError as RequestsConnectionError  # google-auth's transport

    if isinstance(error, RequestsConnectionError):
        where = (
            f"{ENDPOINT_VARIABLE}={os.environ[ENDPOINT_VARIABLE]}"
            if os.environ.get(ENDPOINT_VARIABLE)
            else "Google APIs"
        )
        return f"cannot reach {where} ({type(error).__name__}); check the network or proxy"
    if isinstance(error, core.RetryError):
        return f"a Google API kept failing after retries: {error}"
    return str(error)


def translated(function: F) -> F:
    """Turn Google client errors raised inside ``function`` into OpsError (exit 1, no traceback)."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except OpsError:
            raise
        except Exception as error:
            if is_google_error(error):
                raise OpsError(describe_google_error(error)) from error
            raise

    return wrapper  # type: ignore[return-value]


def is_google_error(error: Exception) -> bool:
    if isinstance(error, ApiError):
        return True
    try:
        from google.api_core import exceptions as core
        from google.auth import exceptions as auth
        from requests import RequestException
    except ImportError:
        return False
    if isinstance(error, RequestException):
        return True
    return isinstance(error, core.GoogleAPIError | auth.GoogleAuthError)
