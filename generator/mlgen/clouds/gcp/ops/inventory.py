"""What the environment holds on GCP, found by its labels (project and environment) and nothing else.

Every listing here filters on both labels, so a teardown never touches a resource of another environment or
project in the same GCP project: Vertex AI filters on the server (``labels.project="…" AND …``), Cloud
Storage and Cloud KMS are filtered here on the labels each item carries.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from mlgen.clouds.gcp.ops.session import Clients, is_not_found

# Asset types the sweep takes from their own service's listing instead of the asset index (which lags
# behind deletions by minutes). KMS key rings and keys cannot be deleted on GCP at all (only their versions
# destroyed, which stops billing): a key counts only while a version is still live (live_keys).
ASSET_TYPES_LISTED_ELSEWHERE = frozenset(
    {
        "cloudkms.googleapis.com/KeyRing",
        "cloudkms.googleapis.com/CryptoKey",
        "cloudkms.googleapis.com/CryptoKeyVersion",
        "storage.googleapis.com/Bucket",
        "aiplatform.googleapis.com/Endpoint",
        "aiplatform.googleapis.com/Model",
        "aiplatform.googleapis.com/CustomJob",
        "artifactregistry.googleapis.com/Repository",
    }
)
LIVE_VERSION_STATES = frozenset({"ENABLED", "DISABLED", "PENDING_GENERATION", "PENDING_IMPORT"})


@dataclass(frozen=True)
class Labels:
    """The two labels that mark a resource as the environment's (both must match)."""

    project: str
    environment: str

    def match(self, labels: dict[str, str] | None) -> bool:
        labels = labels or {}
        return labels.get("project") == self.project and labels.get("environment") == self.environment

    @property
    def vertex_filter(self) -> str:
        return f'labels.project="{self.project}" AND labels.environment="{self.environment}"'

    @property
    def asset_query(self) -> str:
        # Quoted: a value with hyphens is one exact value, not several query terms.
        return f'labels.project="{self.project}" AND labels.environment="{self.environment}"'


def location(clients: Clients) -> str:
    return f"projects/{clients.project_id}/locations/{clients.region}"


def custom_jobs(clients: Clients, labels: Labels, extra: str = "") -> list[Any]:
    """The environment's custom jobs (aiplatform_v1.CustomJob), newest first."""
    query = labels.vertex_filter + (f" AND {extra}" if extra else "")
    jobs = clients.vertex("job").list_custom_jobs(request={"parent": location(clients), "filter": query})
    found = [job for job in jobs if labels.match(dict(job.labels))]
    return sorted(found, key=lambda job: (job.create_time, job.name), reverse=True)


def models(clients: Clients, labels: Labels) -> list[Any]:
    listed = clients.vertex("model").list_models(
        request={"parent": location(clients), "filter": labels.vertex_filter}
    )
    return sorted((m for m in listed if labels.match(dict(m.labels))), key=lambda m: m.name)


def endpoints(clients: Clients, labels: Labels) -> list[Any]:
    listed = clients.vertex("endpoint").list_endpoints(
        request={"parent": location(clients), "filter": labels.vertex_filter}
    )
    return sorted((e for e in listed if labels.match(dict(e.labels))), key=lambda e: e.name)


def buckets(clients: Clients, labels: Labels) -> list[str]:
    return sorted(b.name for b in clients.storage.list_buckets() if labels.match(b.labels))


def empty_bucket(clients: Clients, bucket: str, dry_run: bool) -> int:
    """Delete every object generation (noncurrent versions too); return how many there were."""
    blobs = list(clients.storage.bucket(bucket).list_blobs(versions=True))
    if not dry_run:
        for blob in blobs:
            try:
                # With the generation, that version goes; without, a versioned bucket would keep a copy.
                blob.bucket.delete_blob(blob.name, generation=blob.generation)
            except Exception as error:
                if not is_not_found(error):
                    raise
    return len(blobs)


def key_ring_keys(clients: Clients, key_ring: str) -> list[dict]:
    path = f"v1/projects/{clients.project_id}/locations/{clients.region}/keyRings/{key_ring}/cryptoKeys"
    try:
        return clients.pages("cloudkms", path, "cryptoKeys")
    except Exception as error:
        if is_not_found(error):
            return []
        raise


def live_key_versions(clients: Clients, key: dict) -> list[dict]:
    versions = clients.pages("cloudkms", f"v1/{key['name']}/cryptoKeyVersions", "cryptoKeyVersions")
    return [version for version in versions if version.get("state") in LIVE_VERSION_STATES]


def live_keys(clients: Clients, labels: Labels, key_ring: str) -> Iterator[tuple[dict, list[dict]]]:
    """(key, its live versions) for each labelled key of the ring that still has one."""
    for key in key_ring_keys(clients, key_ring):
        if labels.match(key.get("labels")):
            versions = live_key_versions(clients, key)
            if versions:
                yield key, versions


def labelled_assets(clients: Clients, labels: Labels) -> list[dict]:
    """Cloud Asset Inventory: every resource of the project carrying both labels (any service)."""
    results = clients.pages(
        "cloudasset",
        f"v1/projects/{clients.project_id}:searchAllResources",
        "results",
        query=labels.asset_query,
    )
    return [item for item in results if labels.match(item.get("labels"))]


def repositories(clients: Clients, labels: Labels) -> list[dict]:
    path = f"v1/{location(clients)}/repositories"
    return [
        repo
        for repo in clients.pages("artifactregistry", path, "repositories")
        if labels.match(repo.get("labels"))
    ]
