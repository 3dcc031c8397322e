"""The spec's name limits and the AWS modules agree: the longest names the spec accepts (derived from the
adapter's NameLimits, in the longest environment) generate, pass every module's `validation` blocks,
and every `name_prefix` the modules build from them fits the provider's limit.

Real Terraform, no provider: each module call of the generated root is planned against a copy of the
module's variables (its validation blocks) with the values the root passes, wherever those are known
without other modules (literals, locals, root variables). Wall time: about 15 s (one plan per module).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from tests.spec.conftest import VALID_AWS

from mlgen.clouds import capabilities, get_adapter
from mlgen.conformance.hcl_parser import Block, parse_hcl
from mlgen.pipeline import plan_spec
from mlgen.spec import ENVIRONMENT_NAMES, load_spec_text

REPO = Path(__file__).resolve().parents[3]
MODULES = REPO / "modules" / "aws"
TERRAFORM = shutil.which("terraform")
pytestmark = pytest.mark.skipif(TERRAFORM is None, reason="terraform is not on PATH")

LIMITS = capabilities("aws").name_limits
ENVIRONMENT = max(ENVIRONMENT_NAMES, key=len)  # staging
PROJECT = "p" * (LIMITS.project - 1) + "z"
ZONE, ENDPOINT, VARIANT = "z" * LIMITS.zone, "e" * LIMITS.endpoint, "v" * LIMITS.variant
# Longest name_prefix the provider accepts, per resource type (name limit minus the 26-character suffix).
NAME_PREFIX_LIMITS = {
    "aws_iam_role": 38,
    "aws_iam_instance_profile": 102,
    "aws_sagemaker_endpoint_configuration": 37,
    "aws_security_group": 100,
    "aws_launch_template": 99,
    "aws_autoscaling_group": 229,
}
SERVING_RELEASE = {"image_tag": "v1", "model_data_url": "s3://bucket/model.tar.gz"}
OTHER_BLOCKS = re.compile(r"\b(module|data|aws_[a-z0-9_]+)\.")
# References to other modules that carry no names, replaced by a value of their shape so the inputs around
# them (a canary variant's image URI beside its name) are still checked.
STAND_INS = {
    '${module.registry.repository_urls["serving"]}': "123456789012.dkr.ecr.us-east-1.amazonaws.com/p-e/serving",
}
META = {"source", "count", "for_each", "depends_on", "providers"}


def _longest_spec() -> str:
    spec = VALID_AWS.replace("project: fraud-detect", f"project: {PROJECT}")
    return spec + (
        "access:\n  ci: {provider: github, repository: acme/long}\n"
        f"storage: {{zones: [artifacts, {ZONE}]}}\n"
        "training: {platform: vm, vm_max_instances: 1, gpu: t4, gpus_per_node: 1}\n"
        "tracking: {mlflow: managed}\n"
        f"serving:\n  endpoints:\n    - name: {ENDPOINT}\n"
        f"      variants: [{{name: {VARIANT}, weight: 90}}, {{name: canary, weight: 10}}]\n"
    )


@pytest.fixture(scope="module")
def root() -> dict[str, str]:
    plan = plan_spec(load_spec_text(_longest_spec()))
    roots = {r.directory: r for r in get_adapter("aws").terraform_roots(plan)}
    return roots[f"infra/envs/{ENVIRONMENT}"].files


def _text(lines: list[str], block: Block) -> str:
    return "\n".join(lines[block.line - 1 : block.end_line]) + "\n"


def _terraform(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TF_IN_AUTOMATION": "1", "CHECKPOINT_DISABLE": "1"}
    return subprocess.run(
        [TERRAFORM, *args, "-no-color"],
        check=False,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def _stand_ins(expression: str) -> str:
    for reference, value in STAND_INS.items():
        expression = expression.replace(reference, value)
    return expression


def _module_calls(main_tf: str) -> list[Block]:
    return [block for block in parse_hcl(main_tf).blocks if block.type == "module"]


def _variables_with_known_values(
    module_dir: Path, known: set[str], unknown: set[str]
) -> tuple[str, set[str]]:
    """The module's variable blocks whose value is known here (given, or defaulted and not passed from
    another module), minus any whose validation needs a variable that is not (to a fixpoint)."""
    text = (module_dir / "variables.tf").read_text(encoding="utf-8")
    lines = text.splitlines()
    blocks = {b.labels[0]: b for b in parse_hcl(text).blocks if b.type == "variable"}
    keep = {
        name
        for name, block in blocks.items()
        if name in known or (name not in unknown and any(a.name == "default" for a in block.attributes))
    }
    changed = True
    while changed:
        changed = False
        for name in sorted(keep):
            needed = set(re.findall(r"\bvar\.([a-z0-9_]+)", _text(lines, blocks[name]))) - {name}
            if needed - keep:
                keep.discard(name)
                changed = True
    return "".join(_text(lines, blocks[name]) for name in sorted(keep)), keep


def test_the_longest_names_pass_every_module_validation(root, tmp_path):
    main_tf = root["main.tf"]
    main_lines = main_tf.splitlines()
    locals_block = next(b for b in parse_hcl(main_tf).blocks if b.type == "locals")
    checked = {}
    for call in _module_calls(main_tf):
        source = next(a.expression for a in call.attributes if a.name == "source").strip('"')
        module_dir = MODULES / Path(source).name
        passed = {a.name: _stand_ins(a.expression) for a in call.attributes if a.name not in META}
        inputs = {name: value for name, value in passed.items() if not OTHER_BLOCKS.search(value)}
        variables, kept = _variables_with_known_values(module_dir, set(inputs), set(passed) - set(inputs))
        inputs = {name: value for name, value in inputs.items() if name in kept}
        work = tmp_path / call.labels[0]
        (work / "module").mkdir(parents=True)
        (work / "module" / "variables.tf").write_text(variables, encoding="utf-8")
        arguments = "\n".join(f"  {name} = {value}" for name, value in inputs.items())
        (work / "main.tf").write_text(
            _text(main_lines, locals_block) + f'module "m" {{\n  source = "./module"\n{arguments}\n}}\n',
            encoding="utf-8",
        )
        (work / "variables.tf").write_text(root["variables.tf"], encoding="utf-8")
        (work / "case.tfvars.json").write_text(json.dumps({"serving_release": SERVING_RELEASE}))
        init = _terraform(["init", "-input=false", "-backend=false"], work)
        assert init.returncode == 0, init.stderr
        planned = _terraform(["plan", "-input=false", "-refresh=false", "-var-file=case.tfvars.json"], work)
        assert planned.returncode == 0, (
            f"module {call.labels[0]} refuses the longest names:\n{planned.stderr}"
        )
        checked[call.labels[0]] = sorted(inputs)
    # the inputs that carry the names really were checked
    assert {"project", "environment"} <= set(checked["kms"])
    assert "zones" in checked["storage"]
    assert "endpoints" in checked["serving"] and "endpoints" in checked["monitoring"]
    assert len(checked) >= 10, checked


def _caller_names(submodule: str) -> list[str]:
    """The `name` each module calling ../<submodule> passes it (expressions over local.prefix)."""
    names = []
    for path in sorted(MODULES.glob("*/*.tf")):
        for block in parse_hcl(path.read_text(encoding="utf-8")).blocks:
            attributes = {a.name: a.expression for a in block.attributes}
            if block.type == "module" and attributes.get("source", "").strip('"') == f"../{submodule}":
                names.append(attributes["name"])
    assert names, f"nothing calls {submodule}"
    return names


def test_every_name_prefix_fits_for_the_longest_names(tmp_path):
    outputs, limits = [], {}
    for path in sorted(MODULES.glob("*/*.tf")):
        parsed = parse_hcl(path.read_text(encoding="utf-8"))
        for block in parsed.blocks:
            if block.type != "resource":
                continue
            for attribute in block.attributes:
                if attribute.name != "name_prefix":
                    continue
                resource = block.labels[0]
                assert resource in NAME_PREFIX_LIMITS, f"{path}: add the name_prefix limit of {resource}"
                expression = attribute.expression.replace("each.key", f'"{ENDPOINT}"')
                # A shared submodule's prefix starts with var.name: check it with each caller's name.
                names = _caller_names(path.parent.name) if "var.name" in expression else [None]
                for name in names:
                    key = f"p{len(outputs)}"
                    value = expression if name is None else expression.replace("var.name", f"({name})")
                    outputs.append(f"output {key!r} {{ value = {value} }}".replace("'", '"'))
                    limits[key] = (resource, NAME_PREFIX_LIMITS[resource], f"{path.relative_to(REPO)}")
    assert limits, "no name_prefix found"
    (tmp_path / "main.tf").write_text(
        f'locals {{\n  prefix = "{PROJECT}-{ENVIRONMENT}"\n}}\n' + "\n".join(outputs) + "\n", encoding="utf-8"
    )
    assert _terraform(["init", "-input=false", "-backend=false"], tmp_path).returncode == 0
    applied = _terraform(["apply", "-auto-approve", "-input=false"], tmp_path)
    assert applied.returncode == 0, applied.stderr
    shown = subprocess.run(
        [TERRAFORM, "output", "-json"], cwd=tmp_path, capture_output=True, text=True, timeout=60, check=True
    )
    values = {key: item["value"] for key, item in json.loads(shown.stdout).items()}
    too_long = [
        f"{where}: {resource} name_prefix {value!r} is {len(value)} > {limit}"
        for key, (resource, limit, where) in limits.items()
        if len(value := values[key]) > limit
    ]
    assert not too_long, "\n".join(too_long)
