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
    prefixes = {
        cloud: (
            tuple(f"{provider.split('-')[0]}_" for provider in policy_facts(cloud).providers),
            set(policy_facts(cloud).providers),
        )
        for cloud in CLOUDS
    }
    found: set[str] = set()
    for finding in findings:
        if finding.framework != "terraform":
            continue
        parts = finding.resource.split(".")
        for cloud, (type_prefixes, providers) in prefixes.items():
            if any(part.startswith(type_prefixes) or part in providers for part in parts):
                found.add(cloud)
    return found


def coverage_notes(findings: Iterable[Finding]) -> list[CoverageNote]:
    return sorted(
        CoverageNote(policy_id, cloud, note)
        for cloud in clouds_scanned(findings)
        for policy_id, note in policy_facts(cloud).coverage_notes.items()
    )
