"""A fresh Google ID token in ``MLFLOW_TRACKING_TOKEN`` for an MLflow server behind Cloud Run IAM.

mlgen's self-hosted MLflow on Google Cloud is a Cloud Run service that only its invokers may call: every
request needs ``Authorization: Bearer <ID token>`` whose audience is the service URL. MLflow sends
``MLFLOW_TRACKING_TOKEN`` as that bearer token and reads the variable again for every request, but it never
renews it, and a Google ID token lasts one hour — shorter than most training runs. So the tracker keeps the
variable fresh: one token at start, then a daemon thread that fetches the next one five minutes before the
current one expires.

Tokens come from the metadata server of the machine (a Compute Engine VM or a Vertex AI custom job), as the
job's service account; ``GCE_METADATA_HOST`` overrides its address as it does for Google's client libraries.
Standard library only: the image carries no Google SDK.

When: ``MLGEN_MLFLOW_AUTH=gcp-id-token`` (``mlgen train submit`` on Google Cloud sets it), or, with the
variable unset, a tracking URI on ``*.run.app`` and no ``MLFLOW_TRACKING_TOKEN`` of your own.
``MLGEN_MLFLOW_AUTH=none`` turns it off.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping

from mlgen_train.errors import TrainingSetupError

log = logging.getLogger(__name__)

MODE_VARIABLE = "MLGEN_MLFLOW_AUTH"
TOKEN_VARIABLE = "MLFLOW_TRACKING_TOKEN"
MODES = ("gcp-id-token", "none")
DEFAULT_METADATA_HOST = "metadata.google.internal"
IDENTITY_PATH = "/computeMetadata/v1/instance/service-accounts/default/identity"
REFRESH_MARGIN_S = 300.0  # fetch the next token this long before the current one expires
RETRY_S = 30.0  # after a failed refresh (the current token is still valid for a while)


def wanted(env: Mapping[str, str], tracking_uri: str) -> bool:
    """Whether this run must send Google ID tokens to its tracking server."""
    mode = env.get(MODE_VARIABLE, "")
    if mode and mode not in MODES:
        raise TrainingSetupError(f"{MODE_VARIABLE}={mode!r} is not one of: {', '.join(MODES)}")
    if mode:
        return mode == "gcp-id-token"
    host = urllib.parse.urlsplit(tracking_uri).hostname or ""
    return host.endswith(".run.app") and not env.get(TOKEN_VARIABLE)


def audience(tracking_uri: str) -> str:
    """Cloud Run checks the token's audience against the service URL: scheme and host, no path."""
    parts = urllib.parse.urlsplit(tracking_uri)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise TrainingSetupError(
            f"{MODE_VARIABLE}=gcp-id-token needs an http(s) MLFLOW_TRACKING_URI, not {tracking_uri!r}"
        )
    return f"{parts.scheme}://{parts.netloc}"


def expiry(token: str) -> float:
    """The ``exp`` claim of a JWT (not verified: the server verifies; this only schedules the refresh)."""
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return float(claims["exp"])
    except (IndexError, ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"the metadata server returned something that is not an ID token ({exc})") from exc


def fetch_from_metadata(aud: str, env: Mapping[str, str] | None = None, timeout: float = 10.0) -> str:
    env = os.environ if env is None else env
    host = env.get("GCE_METADATA_HOST") or DEFAULT_METADATA_HOST
    query = urllib.parse.urlencode({"audience": aud, "format": "full"})
    request = urllib.request.Request(
        f"http://{host}{IDENTITY_PATH}?{query}", headers={"Metadata-Flavor": "Google"}
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.read().decode("ascii").strip()


class IdTokenRefresher:
    """Keeps ``os.environ[MLFLOW_TRACKING_TOKEN]`` a valid ID token for ``aud`` until :meth:`stop`."""

    def __init__(
        self,
        aud: str,
        fetch: Callable[[str], str] = fetch_from_metadata,
        margin_s: float = REFRESH_MARGIN_S,
        retry_s: float = RETRY_S,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.audience = aud
        self._fetch = fetch
        self.margin_s = margin_s
        self.retry_s = retry_s
        self._clock = clock
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None
        self.expires_at = 0.0
        self.refreshes = 0

    def refresh(self) -> None:
        token = self._fetch(self.audience)
        self.expires_at = expiry(token)
        os.environ[TOKEN_VARIABLE] = token  # MLflow reads it again for every request
        self.refreshes += 1

    def start(self) -> IdTokenRefresher:
        """Fetch the first token now (a clear error if it cannot), then keep it fresh in the background."""
        try:
            self.refresh()
        except (OSError, ValueError) as exc:
            raise TrainingSetupError(
                f"cannot get a Google ID token for the MLflow server {self.audience} from the metadata server "
                f"({exc}). The job's service account needs roles/run.invoker on the service; set "
                f"{MODE_VARIABLE}=none and {TOKEN_VARIABLE} yourself to use another credential."
            ) from exc
        self._thread = threading.Thread(target=self._run, name="mlflow-id-token", daemon=True)
        self._thread.start()
        log.info("MLflow requests carry an ID token for %s, renewed before it expires", self.audience)
        return self

    def _run(self) -> None:
        wait = self._next_wait()
        while not self._stopped.wait(wait):
            try:
                self.refresh()
                wait = self._next_wait()
            except (OSError, ValueError) as exc:
                log.warning("could not renew the MLflow ID token (%s); retrying in %.0f s", exc, self.retry_s)
                wait = self.retry_s

    def _next_wait(self) -> float:
        return max(self.expires_at - self.margin_s - self._clock(), min(self.retry_s, 1.0))

    def stop(self) -> None:
        self._stopped.set()
        if self._thread is not None:
            self._thread.join(timeout=5)


def start_if_wanted(tracking_uri: str, env: Mapping[str, str] | None = None) -> IdTokenRefresher | None:
    env = os.environ if env is None else env
    if not wanted(env, tracking_uri):
        return None
    return IdTokenRefresher(audience(tracking_uri)).start()
