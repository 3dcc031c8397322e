"""Which clouds a scanned project holds Terraform for, and what the ML policies cannot see there.

A policy that finds nothing to judge reports nothing, which reads like a pass. Where a cloud keeps a
policy's subject outside Terraform (a Vertex AI model's replica bounds are set at deploy time), its
facts carry a note (``PolicyFacts.coverage_notes``) and the report prints it for every cloud whose
resources or providers were scanned.
"""

from __future__ import annotations

from collections.abc import Iterable

from mlgen.clouds import CLOUDS, policy_facts
from mlgen.policy.report import CoverageNote, Finding


def clouds_scanned(findings: Iterable[Finding]) -> set[str]:
    """Clouds with a resource, data source or provider among the Terraform findings (checkov's built-in
    checks cover nearly every block, so any real project of a cloud shows up here)."""
    clouds = {cloud_of_resource(f.resource) for f in findings if f.framework == "terraform"}
    return {cloud for cloud in clouds if cloud}


def cloud_of_resource(resource: str) -> str | None:
    """The cloud a Terraform address belongs to (module.x.google_storage_bucket.y -> gcp; azurerm.default
    -> azure); None for anything else (a module call, a Dockerfile)."""
    parts = resource.split(".")
    for cloud in CLOUDS:
        facts = policy_facts(cloud)
        type_prefixes = tuple(f"{provider.split('-')[0]}_" for provider in facts.providers)
        if any(part.startswith(type_prefixes) or part in facts.providers for part in parts):
            return cloud
    return None


def fix_hint(policy_id: str, resource: str, general: str) -> str:
    """How to fix a policy failure in the words of the resource's cloud, else the catalog's general fix."""
    cloud = cloud_of_resource(resource)
    return policy_facts(cloud).fix_hints.get(policy_id, general) if cloud else general


def coverage_notes(findings: Iterable[Finding]) -> list[CoverageNote]:
    return sorted(
        CoverageNote(policy_id, cloud, note)
        for cloud in clouds_scanned(findings)
        for policy_id, note in policy_facts(cloud).coverage_notes.items()
    )
