"""mlgen's ML policies as checkov custom checks (MLG001-MLG008).

Importing this package registers every check with checkov's registries (checkov registers a check
when it is constructed). Python's import cache makes that happen once per process, however many
times ``mlgen check`` runs in it -- which is why the checks are imported, not loaded through
checkov's ``--external-checks-dir`` (that re-executes each file and registers copies).
"""

from __future__ import annotations

import importlib

CHECK_MODULES = (
    "mlg001_tags",
    "mlg002_spot",
    "mlg003_autoscaling",
    "mlg004_budgets",
    "mlg005_encryption",
    "mlg006_deletion_protection",
    "mlg007_iam_wildcards",
    "mlg008_image_pinning",
)


def register_checks() -> None:
    """Import (and so register) every ML policy. Needs checkov; call it only when checks run."""
    for name in CHECK_MODULES:
        importlib.import_module(f"{__name__}.{name}")
