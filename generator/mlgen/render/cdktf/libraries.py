"""The CDK for Terraform libraries a generated app can use, with the versions it pins.

``cdktn`` (CDK Terrain, the community continuation of CDKTF) is the default: HashiCorp archived ``cdktf``
in December 2025, so it gets no fixes, and its last release (0.21) predates S3 native state locking in
its ``S3Backend``. ``cdktf`` stays one spec line away (``cdktf_library: cdktf``) for teams whose tooling
expects the name they know; both have the same Python API, so only the import and the pins differ.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class CdktfLibrary:
    name: str  # the Python package and module name
    version: str
    constructs_version: str  # one version both libraries accept, so the switch changes one pin
    jsii_version: str
    # Backend arguments its backend classes lack: written through an escape hatch (add_override) instead.
    missing_backend_arguments: dict[str, frozenset[str]] = field(default_factory=dict)

    @property
    def requirements(self) -> list[str]:
        return [
            f"{self.name}=={self.version}",
            f"constructs=={self.constructs_version}",
            f"jsii=={self.jsii_version}",
        ]


LIBRARIES: dict[str, CdktfLibrary] = {
    "cdktn": CdktfLibrary("cdktn", "0.24.0", "10.7.2", "1.142.0"),
    "cdktf": CdktfLibrary(
        "cdktf", "0.21.0", "10.7.2", "1.142.0", missing_backend_arguments={"s3": frozenset({"use_lockfile"})}
    ),
}
DEFAULT_LIBRARY = "cdktn"
