"""The CDKTF output format: the generated app synthesizes to the same Terraform as the HCL roots.

Every golden example's spec is generated as a CDKTF app (``format: cdktf``) and as HCL; the app is run
(``python main.py``: the cdktn library with its jsii Node runtime, no cdktf CLI) and each synthesized
``cdk.tf.json`` is compared structurally (parsed, not as text) with the HCL root it stands for: the same
module calls with the same arguments, backend, provider configuration, variables and outputs. The
synthesized JSON then goes through the provider-schema conformance checks.

Wall time: about 15 s (one synthesis per example, about 3 s each on 2 cores, plus one with the cdktf
library for the switch).
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import hcl2
import pytest

from mlgen.conformance.tree import check_tree
from mlgen.pipeline import render_from_spec
from mlgen.render.cdktf import APP_DIR
from mlgen.render.cdktf.synth import (
    asset_matches_modules,
    materialize_roots,
    synthesize,
    synthesized_stacks,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted(path.parent for path in (REPO_ROOT / "examples").glob("*/mlgen.yaml"))
# Generous bounds for 2 shared cores; the benchmark (benchmarks/cdktf_synth.py) records the real figures.
MAX_SYNTH_SECONDS = 60

needs_cdktf = pytest.mark.skipif(
    shutil.which("node") is None or importlib.util.find_spec("cdktn") is None,
    reason="synthesizing needs Node.js and the cdktn package (pip install -e '.[test]')",
)
pytestmark = [pytest.mark.slow, needs_cdktf]


def write_files(files: dict[str, Any], target: Path) -> None:
    for path, generated in files.items():
        destination = target / path
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(generated.content if hasattr(generated, "content") else generated.encode())


def generate(spec: Path, target: Path, output_format: str) -> Path:
    write_files(render_from_spec(spec, output_format=output_format), target)
    return target


@pytest.fixture(scope="module", params=EXAMPLES, ids=lambda path: path.name)
def synthesized(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Per example: the HCL project, the CDKTF project, its synthesis output and how long that took."""
    spec: Path = request.param / "mlgen.yaml"
    base = tmp_path_factory.mktemp(request.param.name)
    hcl = generate(spec, base / "hcl", "hcl")
    cdktf = generate(spec, base / "cdktf", "cdktf")
    started = time.perf_counter()
    out_dir = synthesize(cdktf / APP_DIR)
    (cloud,) = re.findall(r"(?m)^cloud: (\w+)", spec.read_text(encoding="utf-8"))
    return {
        "hcl": hcl,
        "cdktf": cdktf,
        "out": out_dir,
        "seconds": time.perf_counter() - started,
        "modules": f"infra/modules/{cloud}",
    }


# --- a structural form both syntaxes reduce to ----------------------------------------------------------


def _expression(text: str) -> str:
    # python-hcl2 writes null as None, drops blanks inside calls and grouping parentheses: compare
    # expressions without blanks and parentheses (both sides the same way).
    return re.sub(r"\bNone\b", "null", re.sub(r"[\s()]+", "", text))


def canonical(value: Any) -> Any:
    if isinstance(value, str):
        return _expression(value) if "${" in value else value
    if isinstance(value, dict):
        return {k: canonical(v) for k, v in value.items() if not k.startswith("__") and k != "//"}
    if isinstance(value, list):
        return [canonical(item) for item in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _is_blocks(value: Any) -> bool:
    """python-hcl2 gives nested blocks as a list of bodies whose values are all (wrapped) lists."""
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(b, dict) and all(isinstance(v, list) for v in b.values()) for b in value)
    )


def _unwrap(value: Any) -> Any:
    """python-hcl2 wraps every attribute value in a one-element list; nested blocks stay lists of bodies."""
    if _is_blocks(value):
        return [{k: _unwrap(v) for k, v in block.items()} for block in value]
    return value[0] if isinstance(value, list) and len(value) == 1 else value


def hcl_root(directory: Path) -> dict[str, Any]:
    """A root directory's HCL files as {terraform, provider, locals, data, variable, module, output}."""
    merged: dict[str, Any] = {"module": {}, "output": {}, "variable": {}, "data": {}, "provider": {}}
    for path in sorted(directory.glob("*.tf")):
        parsed = hcl2.loads(path.read_text(encoding="utf-8"))
        for block in parsed.get("terraform", []):
            backend = {
                name: {k: _unwrap(v) for k, v in cfg.items()}
                for b in block.get("backend", [])
                for name, cfg in b.items()
            }
            providers = {name: _unwrap(spec) for p in block["required_providers"] for name, spec in p.items()}
            merged["terraform"] = {
                "required_version": _unwrap(block["required_version"]),
                "required_providers": providers,
                "backend": backend or None,
            }
        for block in parsed.get("provider", []):
            for name, config in block.items():
                merged["provider"][name] = {k: _unwrap(v) for k, v in config.items()}
        for block in parsed.get("locals", []):
            merged["locals"] = {k: _unwrap(v) for k, v in block.items()}
        for block in parsed.get("data", []):
            for data_type, by_name in block.items():
                for name, arguments in by_name.items():
                    merged["data"][f"{data_type}.{name}"] = {k: _unwrap(v) for k, v in arguments.items()}
        for kind in ("module", "output", "variable"):
            for block in parsed.get(kind, []):
                for name, body in block.items():
                    merged[kind][name] = {k: _unwrap(v) for k, v in body.items()}
    for module in merged["module"].values():
        module["source"] = module["source"].rstrip("/").split("/")[-1]
        if "depends_on" in module:  # an HCL reference list; JSON writes the addresses as plain strings
            module["depends_on"] = [
                item.removeprefix("${").removesuffix("}") for item in module["depends_on"]
            ]
    for variable in merged["variable"].values():
        variable["type"] = re.findall(r"[A-Za-z_]+", variable["type"])
    return canonical(merged)


def json_root(stack: dict[str, Any]) -> dict[str, Any]:
    """A synthesized stack in the form of :func:`hcl_root`."""
    settings = stack["terraform"]
    backend = settings.get("backend", {})
    # No backend in HCL means Terraform's local state; the app names that local backend explicitly.
    backend = None if list(backend) == ["local"] else backend
    providers = {name: configs[0] for name, configs in stack["provider"].items()}
    modules = {}
    for name, spec in stack.get("module", {}).items():
        modules[name] = {**spec, "source": spec["source"].rstrip("/").split("/")[-1]}
    variables = {
        name: {**spec, "type": re.findall(r"[A-Za-z_]+", spec["type"])}
        for name, spec in stack.get("variable", {}).items()
    }
    data = {f"{t}.{n}": args for t, by_name in stack.get("data", {}).items() for n, args in by_name.items()}
    return canonical(
        {
            "terraform": {
                "required_version": settings["required_version"],
                "required_providers": settings["required_providers"],
                "backend": backend,
            },
            "provider": providers,
            "locals": stack.get("locals", {}),
            "data": data,
            "variable": variables,
            "module": modules,
            "output": stack.get("output", {}),
        }
    )


def hcl_root_directories(project: Path) -> list[str]:
    return sorted(str(p.parent.relative_to(project)) for p in project.glob("infra/*/*/versions.tf"))


# --- tests ------------------------------------------------------------------------------------------------


def test_synthesis_is_quick(synthesized: dict[str, Any]) -> None:
    assert synthesized["seconds"] < MAX_SYNTH_SECONDS


def test_app_has_one_stack_per_hcl_root(synthesized: dict[str, Any]) -> None:
    stacks = synthesized_stacks(synthesized["out"])
    from mlgen.render.cdktf.synth import stack_directory

    assert sorted(stack_directory(name) for name in stacks) == hcl_root_directories(synthesized["hcl"])


def test_each_stack_equals_its_hcl_root(synthesized: dict[str, Any]) -> None:
    from mlgen.render.cdktf.synth import stack_directory

    for name, stack in synthesized_stacks(synthesized["out"]).items():
        expected = hcl_root(synthesized["hcl"] / stack_directory(name))
        actual = json_root(stack)
        for section in expected:
            assert actual[section] == expected[section], f"{name}: {section} differs"
        assert actual == expected


def test_stacks_call_the_vendored_modules_unchanged(synthesized: dict[str, Any]) -> None:
    # CDKTF copies local modules into an asset; the copy must be the vendored module, file for file.
    modules = synthesized["cdktf"] / synthesized["modules"]
    for name, stack in synthesized_stacks(synthesized["out"]).items():
        for call in stack["module"].values():
            module_dir = modules / call["source"].rstrip("/").split("/")[-1]
            assert asset_matches_modules(synthesized["out"], name, call["source"], module_dir), call["source"]


def test_synthesized_stacks_conform_to_provider_schemas_and_module_variables(
    synthesized: dict[str, Any], tmp_path: Path
) -> None:
    modules = synthesized["modules"]
    shutil.copytree(synthesized["cdktf"] / modules, tmp_path / modules)
    roots = materialize_roots(synthesized["out"], tmp_path, modules)
    write_files({f"{d}/{n}": text for d, files in roots.items() for n, text in files.items()}, tmp_path)
    assert check_tree(tmp_path / "infra") == []


def test_conformance_catches_a_wrong_module_argument_in_a_synthesized_stack(
    synthesized: dict[str, Any], tmp_path: Path
) -> None:
    # The same path with one input renamed in the synthesized JSON must be reported (the check can fail).
    out = tmp_path / "out"
    shutil.copytree(synthesized["out"], out)
    stack_file = next(out.glob("stacks/envs-*/cdk.tf.json"))
    stack = json.loads(stack_file.read_text())
    # Rename the first module input of the stack that is not one every module takes.
    call_name, call = next(iter(stack["module"].items()))
    name = next(
        key
        for key in sorted(call)
        if key.isidentifier() and key not in {"source", "project", "environment", "tags"}
    )
    call[f"{name}_misspelt"] = call.pop(name)
    stack_file.write_text(json.dumps(stack))
    modules = synthesized["modules"]
    shutil.copytree(synthesized["cdktf"] / modules, tmp_path / modules)
    roots = materialize_roots(out, tmp_path, modules)
    write_files({f"{d}/{n}": text for d, files in roots.items() for n, text in files.items()}, tmp_path)
    findings = [str(finding) for finding in check_tree(tmp_path / "infra")]
    assert any(f"{name}_misspelt" in finding for finding in findings), (call_name, findings)


def test_generated_main_py_is_lint_clean_and_formatted(synthesized: dict[str, Any]) -> None:
    main_py = synthesized["cdktf"] / APP_DIR / "main.py"
    completed = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--isolated", "--select", "E9,F", str(main_py)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    formatted = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--isolated", "--check", "--diff", str(main_py)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert formatted.returncode == 0, formatted.stdout + formatted.stderr


@pytest.mark.skipif(importlib.util.find_spec("cdktf") is None, reason="the cdktf package is not installed")
def test_cdktf_library_switch_synthesizes_the_same_stacks(tmp_path: Path) -> None:
    spec_text = (REPO_ROOT / "examples/aws-production-cdktf/mlgen.yaml").read_text(encoding="utf-8")
    spec = tmp_path / "mlgen.yaml"
    spec.write_text(
        re.sub(r"(?m)^format: cdktf$", "format: cdktf\ncdktf_library: cdktf", spec_text), encoding="utf-8"
    )
    main_py = "\n".join(render_from_spec(spec)[f"{APP_DIR}/main.py"].content.decode().splitlines())
    assert "from cdktf import (" in main_py
    cdktf_out = synthesize(generate(spec, tmp_path / "cdktf-lib", "cdktf") / APP_DIR)
    default_out = synthesize(
        generate(REPO_ROOT / "examples/aws-production-cdktf/mlgen.yaml", tmp_path / "cdktn", "cdktf")
        / APP_DIR
    )
    switched, default = synthesized_stacks(cdktf_out), synthesized_stacks(default_out)
    assert sorted(switched) == sorted(default)
    for name in default:
        assert json_root(switched[name]) == json_root(default[name]), name


def test_stacks_read_the_committed_release_file(tmp_path: Path) -> None:
    """`mlgen release` writes infra/envs/<env>/release.auto.tfvars.json for both formats; the app reads it."""
    from mlgen.ops.release_file import read_release, release_values, write_release

    project = generate(REPO_ROOT / "examples/aws-production-cdktf/mlgen.yaml", tmp_path / "app", "cdktf")
    assert read_release(project / "infra/envs/prod") is None  # the seed: serving_release = null
    values = release_values("v7", "s3://fraud-detect-prod-models/run-7/model.tar.gz")
    write_release(project / "infra/envs/prod", values)
    (project / "infra/envs/staging/release.auto.tfvars.json").unlink()  # a missing file: the default
    stacks = synthesized_stacks(synthesize(project / APP_DIR))

    prod = stacks["envs-prod"]
    assert prod["variable"]["serving_release"]["default"] == values["serving_release"]
    serving = prod["module"]["serving"]
    assert serving["count"] == "${var.serving_release == null ? 0 : 1}"
    assert "${var.serving_release.image_tag}" in json.dumps(serving)
    for name in ("envs-dev", "envs-staging"):
        assert stacks[name]["variable"]["serving_release"]["default"] is None, name


def test_ci_workflow_and_readme_paths_are_the_synthesized_stacks(synthesized: dict[str, Any]) -> None:
    """The generated workflow and README run Terraform in folders that `python main.py` really writes,
    and name no HCL root (only the committed release file lives under infra/envs)."""
    from ruamel.yaml import YAML

    from mlgen.render.ci import WORKFLOW_PATH

    project = synthesized["cdktf"]
    workflow_text = (project / WORKFLOW_PATH).read_text(encoding="utf-8")
    workflow = YAML(typ="safe").load(workflow_text)
    paths = [row["path"] for row in workflow["jobs"]["validate"]["strategy"]["matrix"]["include"]]
    readme = (project / "README.md").read_text(encoding="utf-8")
    paths += re.findall(r"-chdir=([\w./-]+)", workflow_text + readme)
    assert paths and all((project / path / "cdk.tf.json").is_file() for path in paths), paths
    for text in (workflow_text, readme):
        assert "infra/bootstrap/" not in text
        assert not re.findall(r"infra/envs/[^ `]*(?<!release\.auto\.tfvars\.json)(?=[ `])", text)
