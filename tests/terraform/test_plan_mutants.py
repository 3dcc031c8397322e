"""The plan harness fails when Terraform would: planted mutants of a generated root, each reported by
Terraform itself against the served schema (docs/terraform-harness.md).

Wall time: about 1-2 minutes on 2 cores (7 plans of the starter's dev root)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.terraform_harness import Harness

pytestmark = pytest.mark.slow

REPO_ROOT = Path(__file__).resolve().parents[2]
STARTER_DEV = REPO_ROOT / "examples" / "aws-starter" / "infra" / "envs" / "dev"


def _add_file(text: str) -> Callable[[Path], None]:
    def edit(copy: Path) -> None:
        (copy / "mutant.tf").write_text(text)

    return edit


def _replace_in(relative: str, old: str, new: str) -> Callable[[Path], None]:
    def edit(copy: Path) -> None:
        path = copy / relative
        text = path.read_text()
        assert old in text, f"{relative} no longer contains {old!r}: update the mutant"
        path.write_text(text.replace(old, new))

    return edit


MUTANTS = {
    "unsupported argument": (
        _add_file(
            'resource "aws_s3_bucket" "mutant" {\n  bucket        = "mutant"\n  bucket_typo = "x"\n}\n'
        ),
        "Unsupported argument",
    ),
    "wrong attribute type": (
        _add_file('resource "aws_s3_bucket" "mutant" {\n  force_destroy = { a = 1 }\n}\n'),
        "Incorrect attribute value type",
    ),
    "missing required argument": (
        _add_file('resource "aws_kms_alias" "mutant" {\n  name = "alias/mutant"\n}\n'),
        "Missing required argument",
    ),
    "reference to a non-existent attribute": (
        _add_file(
            'output "mutant" {\n  value = module.kms.key_arn == "" ? aws_s3_bucket.m.no_such : ""\n}\n'
            'resource "aws_s3_bucket" "m" {}\n'
        ),
        "Unsupported attribute",
    ),
    "count over an unknown value": (
        _add_file(
            'resource "aws_s3_bucket" "m" {}\n'
            'resource "aws_s3_bucket_versioning" "m" {\n  count  = aws_s3_bucket.m.arn == "" ? 0 : 1\n'
            '  bucket = aws_s3_bucket.m.id\n  versioning_configuration {\n    status = "Enabled"\n  }\n}\n'
        ),
        "Invalid count argument",
    ),
    # The defect of issue 15 §3.1, planted back into the module: the first plan of every root failed.
    "gpu_compute count driven by an unknown security group id": (
        _replace_in(
            "../../modules/aws/gpu_compute/network.tf",
            "count  = var.create_security_group ? 1 : 0",
            "count  = var.security_group_id == null ? 1 : 0",
        ),
        "Invalid count argument",
    ),
}


@pytest.mark.parametrize("mutant", sorted(MUTANTS))
def test_mutant_is_reported_by_terraform(harness: Harness, mutant: str) -> None:
    edit, expected = MUTANTS[mutant]
    result = harness.plan(STARTER_DEV, edit=edit)
    assert not result.ok, f"{mutant}: planned without errors\n{result.summary()}"
    assert any(expected in d.summary for d in result.errors), result.summary()


def test_plugins_install_from_the_filesystem_mirror(tmp_path: Path) -> None:
    """Without reattach, `terraform init` installs the harness plugin from the mirror named in the CLI
    config and Terraform starts it (go-plugin handshake, AutoMTLS) for each command."""
    if shutil.which("terraform") is None:
        pytest.skip("terraform is not on PATH")
    with Harness(work_dir=tmp_path, providers=("aws",), reattach=False) as harness:
        result = harness.plan(STARTER_DEV, edit=_add_file('output "mutant" {\n  value = "x" + 1\n}\n'))
        assert any("Invalid operand" in d.summary for d in result.errors), result.summary()
        assert "Installed hashicorp/aws v6.69.1 (unauthenticated)" in result.log
        clean = harness.plan(STARTER_DEV)
        assert clean.ok and clean.resources > 90, clean.summary()
