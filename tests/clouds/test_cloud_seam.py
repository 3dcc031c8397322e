"""The cloud adapter is the only cloud seam: code outside ``clouds/<cloud>/`` never imports a cloud package
or names a cloud, and templates outside ``templates/<cloud>/`` carry no cloud CLI or service names. So a
new cloud is added by writing clouds/<cloud>/, modules/<cloud>/ and templates/<cloud>/ (and its name in
``mlgen.clouds.CLOUDS``). Wall time: under 1 s.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from mlgen.clouds import CLOUDS, capabilities, supported_clouds

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "generator" / "mlgen"
TEMPLATES = REPO / "templates"
CLOUD_PACKAGE = re.compile(rf"^mlgen\.clouds\.({'|'.join(CLOUDS)})(\.|$)")
# Cloud CLIs, services and actions a generic template must not mention (word-bounded, case-insensitive).
CLOUD_WORDS = re.compile(
    r"\b(aws|gcloud|gsutil|az|sagemaker|s3|ecr|vertex|azureml|aws-actions|google-github-actions|azure/login)\b",
    re.IGNORECASE,
)
# Where a cloud's name may appear as a value: the registry, and the provider-schema index of the
# conformance checker (Terraform provider names, not clouds).
NAMING_CLOUDS_ALLOWED = {Path("clouds/__init__.py"), Path("conformance/schema.py")}


def _outside_cloud_packages() -> list[Path]:
    return [
        path
        for path in sorted(PACKAGE.rglob("*.py"))
        if not (path.relative_to(PACKAGE).parts[0] == "clouds" and len(path.relative_to(PACKAGE).parts) > 2)
    ]


def test_no_module_outside_a_cloud_package_imports_one():
    offenders = []
    for path in _outside_cloud_packages():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and CLOUD_PACKAGE.match(node.module):
                offenders.append(f"{path.relative_to(REPO)}:{node.lineno} imports {node.module}")
            elif isinstance(node, ast.Import):
                offenders += [
                    f"{path.relative_to(REPO)}:{node.lineno} imports {alias.name}"
                    for alias in node.names
                    if CLOUD_PACKAGE.match(alias.name)
                ]
    assert not offenders, "\n".join(offenders)


def test_no_module_outside_a_cloud_package_names_a_cloud():
    offenders = []
    for path in _outside_cloud_packages():
        relative = path.relative_to(PACKAGE)
        if relative in NAMING_CLOUDS_ALLOWED:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and node.value in CLOUDS:
                offenders.append(f"{path.relative_to(REPO)}:{node.lineno} names {node.value!r}")
    assert not offenders, "\n".join(offenders)


def test_generic_templates_carry_no_cloud_cli_or_service_names():
    offenders = []
    for path in sorted(TEMPLATES.rglob("*.j2")):
        if path.relative_to(TEMPLATES).parts[0] in CLOUDS:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if match := CLOUD_WORDS.search(line):
                offenders.append(f"{path.relative_to(REPO)}:{number}: {match.group()!r} in {line.strip()!r}")
    assert not offenders, "\n".join(offenders)


@pytest.mark.parametrize("cloud", supported_clouds())
def test_every_generated_cloud_has_its_three_parts(cloud):
    assert (PACKAGE / "clouds" / cloud / "adapter.py").is_file()
    assert (REPO / "modules" / cloud).is_dir()
    for template in ("README.md.j2", "teardown.sh.j2"):
        assert (TEMPLATES / cloud / template).is_file(), f"templates/{cloud}/{template}"


@pytest.mark.parametrize("cloud", CLOUDS)
def test_every_cloud_declares_its_capabilities(cloud):
    offered = capabilities(cloud)
    assert offered.cloud == cloud
    assert offered.default_region in offered.regions
    assert offered.gpu_counts and all(counts for counts in offered.gpu_counts.values())
    assert set(offered.placeholder_accounts) == {"dev", "staging", "prod"}
