"""The generated Terraform, checked with real tools: terraform fmt, provider-schema conformance, checkov."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from mlgen.clouds.aws.root_blocks import AWS_PROVIDER_VERSION
from mlgen.conformance import check_tree

TERRAFORM = shutil.which("terraform")


@pytest.mark.skipif(TERRAFORM is None, reason="terraform binary not on PATH: fmt check needs it")
def test_generated_terraform_is_fmt_clean(generated_project: Path) -> None:
    result = subprocess.run(
        [TERRAFORM, "fmt", "-check", "-recursive", "-list=true", str(generated_project / "infra")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"not fmt-clean:\n{result.stdout}{result.stderr}"


def test_generated_terraform_conforms_to_provider_schemas(generated_project: Path) -> None:
    findings = check_tree(generated_project)
    assert findings == [], "\n".join(str(finding) for finding in findings)


def test_environment_root_pins_provider_and_locks_account(generated_project: Path) -> None:
    versions = (generated_project / "infra/envs/dev/versions.tf").read_text()
    providers = (generated_project / "infra/envs/dev/providers.tf").read_text()
    assert 'source  = "hashicorp/aws"' in versions and f'version = "{AWS_PROVIDER_VERSION}"' in versions
    assert (
        'backend "s3"' in versions and "use_lockfile = true" in versions and "encrypt      = true" in versions
    )
    assert "allowed_account_ids = [" in providers and "default_tags" in providers
    for tag in ("project", "environment", "owner", "cost-center", "managed-by"):
        assert f"{tag}" in providers
