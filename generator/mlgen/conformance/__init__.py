"""Provider-schema conformance checks: our offline stand-in for `terraform validate`.

Checks every resource, data source and provider block, at every nesting level, against the provider schemas
bundled in `schemas/` (see scripts/refresh_provider_schemas.py and docs/conformance.md), and every `module`
call against the called module's variables. Standard library only; schemas load on first use.
"""

from mlgen.conformance.findings import Finding, Report
from mlgen.conformance.tree import check_tree, scan_tree

__all__ = ["Finding", "Report", "check_tree", "scan_tree"]
