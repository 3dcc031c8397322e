"""modules/gcp in the standard module structure, held to what their READMEs promise: every variable described
and validated, every output described, providers pinned to the bundled 6.50 schemas, README tables current,
every checkov skip listed, `terraform fmt` clean, and the bucket controls on every bucket variant (the
protected and unprotected variants cannot drift apart). Wall time: about 2 s.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.modules.aws.module_checks import (
    inline_skips,
    parse_module,
    render_io_tables,
    terraform_binary,
    terraform_fmt_check,
    unwrap,
)

REPO_ROOT = Path(__file__).resolve().parents[3]
GCP_MODULES = REPO_ROOT / "modules" / "gcp"
MODULES = sorted(path.name for path in GCP_MODULES.iterdir() if path.is_dir())


def test_every_component_of_the_issue_has_a_module():
    assert set(MODULES) == {
        "project_services",
        "state_bootstrap",
        "kms",
        "storage",
        "iam",
        "network",
        "registry",
        "training",
        "tracking",
        "serving",
        "budgets",
        "monitoring",
    }


@pytest.mark.parametrize("module", MODULES)
def test_module_structure_variables_and_outputs(module):
    directory = GCP_MODULES / module
    for name in ("main.tf", "variables.tf", "outputs.tf", "versions.tf", "README.md"):
        assert (directory / name).is_file(), f"{module}/{name}"
    parsed = parse_module(directory)
    assert parsed.variables and parsed.outputs
    for name, body in parsed.variables.items():
        assert str(unwrap(body.get("description", ""))).strip(), (
            f"{module}: variable {name} has no description"
        )
        assert body.get("validation"), f"{module}: variable {name} has no validation"
    for name, body in parsed.outputs.items():
        assert str(unwrap(body.get("description", ""))).strip(), f"{module}: output {name} has no description"
    (terraform,) = parsed.terraform
    providers = unwrap(terraform["required_providers"])
    assert unwrap(providers["google"])["version"] == "~> 6.50"
    if "google-beta" in providers:
        assert unwrap(providers["google-beta"])["version"] == "~> 6.50"


@pytest.mark.parametrize("module", MODULES)
def test_readme_tables_and_skips_are_current(module):
    readme = (GCP_MODULES / module / "README.md").read_text(encoding="utf-8")
    assert render_io_tables(GCP_MODULES / module) in readme, f"regenerate the tables of {module}/README.md"
    for _, check_id, reason in inline_skips(GCP_MODULES / module):
        assert len(reason) >= 10, f"{module}: {check_id} has no reason"
        assert check_id in readme, f"{check_id} is not listed in the {module} README"


def test_modules_are_terraform_fmt_clean():
    if terraform_binary() is None:
        pytest.skip("terraform is not on PATH")
    result = terraform_fmt_check(GCP_MODULES)
    assert result.returncode == 0, result.stdout + result.stderr


def _buckets(module: str) -> dict[str, dict]:
    return parse_module(GCP_MODULES / module).resources["google_storage_bucket"]


@pytest.mark.parametrize("module", ["storage", "state_bootstrap"])
def test_every_bucket_variant_carries_every_control(module):
    buckets = _buckets(module)
    assert len(buckets) == 4  # data (or state) and log bucket, each protected and not
    for name, body in buckets.items():
        assert unwrap(body["uniform_bucket_level_access"]) is True, name
        assert unwrap(body["public_access_prevention"]) == "enforced", name
        assert unwrap(unwrap(body["versioning"])["enabled"]) is True, name
        assert "default_kms_key_name" in unwrap(body["encryption"]), name
        assert body.get("lifecycle_rule"), name
        protected = "protected" in name
        assert unwrap(body["force_destroy"]) is (not protected), name
        prevent = [unwrap(unwrap(block).get("prevent_destroy")) for block in body.get("lifecycle", [])]
        assert (prevent == [True]) is protected, name
        if not name.startswith("log"):
            assert "log_bucket" in unwrap(body["logging"]), name


@pytest.mark.parametrize(
    ("module", "resource"),
    [
        ("kms", "google_kms_crypto_key"),
        ("state_bootstrap", "google_kms_crypto_key"),
        ("registry", "google_artifact_registry_repository"),
        ("tracking", "google_sql_database_instance"),
    ],
)
def test_protected_variants_prevent_destroy(module, resource):
    variants = parse_module(GCP_MODULES / module).resources[resource]
    lifecycles = {
        name: [unwrap(unwrap(block).get("prevent_destroy")) for block in body.get("lifecycle", [])]
        for name, body in variants.items()
    }
    assert lifecycles["protected"] == [True]
    assert True not in lifecycles["this"]
