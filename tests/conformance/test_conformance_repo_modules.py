"""The Terraform modules mlgen ships conform to the provider schemas (our `terraform validate`)."""

from __future__ import annotations

import pytest

from mlgen.assets import asset_dir
from mlgen.conformance import scan_tree


def test_shipped_modules_conform() -> None:
    modules = asset_dir("modules")
    if not any(modules.rglob("*.tf")):
        pytest.skip(f"no Terraform modules under {modules} yet")
    report = scan_tree(modules)
    assert report.files_checked > 0
    assert [str(f) for f in report.findings] == []
