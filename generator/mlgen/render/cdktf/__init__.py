"""The CDK for Terraform output format: the landing zone as a CDKTF Python app (``format: cdktf``).

The app is written from the same :class:`~mlgen.render.root_model.RootModule` descriptions as the HCL
roots, one stack per root, and calls the vendored modules under ``infra/modules`` with
``TerraformHclModule``: resources are defined once, in the modules. ``python main.py`` (or ``cdktf synth``)
writes ``cdktf.out/stacks/<stack>/cdk.tf.json``, which Terraform plans and applies like the HCL roots.
"""

from __future__ import annotations

import json
import posixpath
import re
import uuid
from collections.abc import Mapping, Sequence

from mlgen.render.cdktf.libraries import DEFAULT_LIBRARY, LIBRARIES
from mlgen.render.cdktf.stacks import BACKEND_CLASSES, class_name, stack_class, stack_id, stack_name
from mlgen.render.cdktf.values import PyExpr, python_call, python_string
from mlgen.render.root_model import RootModule

APP_DIR = "infra/cdktf"
SYNTH_DIR = "cdktf.out"  # relative to APP_DIR
IMPORTED = [
    "App",
    "LocalBackend",
    "TerraformHclModule",
    "TerraformLocal",
    "TerraformOutput",
    "TerraformStack",
    "TerraformVariable",
    "TerraformVariableValidationConfig",
    "Token",
]


def terraform_dir(directory: str, output_format: str) -> str:
    """Where Terraform runs for the root ``directory`` (``infra/envs/dev``): the root itself in an HCL
    project; in a CDKTF project the stack ``python main.py`` synthesizes for it
    (``infra/cdktf/cdktf.out/stacks/envs-dev``), so synthesize first."""
    if output_format != "cdktf":
        return directory
    return f"{APP_DIR}/{SYNTH_DIR}/stacks/{stack_name(directory)}"


def modules_dir(roots: Sequence[RootModule]) -> str:
    """The vendored modules' directory relative to the app: the deepest folder holding every module called."""
    targets = [
        posixpath.normpath(posixpath.join(root.directory, call.source))
        for root in roots
        for call in root.modules
    ]
    return posixpath.relpath(posixpath.commonpath(targets), APP_DIR)


def target_versions(roots: Sequence[RootModule]) -> dict[str, str]:
    """cdktn's targetVersions context (npm semver) from the roots' required_version (Terraform syntax):
    cdktn refuses features such as S3 native locking unless the project declares a Terraform that has them."""
    constraints = sorted({root.required_version for root in roots})
    ranges = []
    for constraint in constraints:
        parts = [re.sub(r"^(>=|<=|>|<|=|!=)\s*", r"\1", part.strip()) for part in constraint.split(",")]
        if any(part.startswith(("~>", "!=")) for part in parts):
            raise ValueError(f"required_version {constraint!r} has no npm semver equivalent")
        ranges.append(" ".join(parts))
    return {"terraform": " ".join(ranges)}


# Written into main.py when a stack reads a committed tfvars file (the release file of an environment).
READ_TFVARS = '''

def read_tfvars(path: str) -> dict:
    """The values of a committed *.auto.tfvars.json (relative to this file); {} when there is none.

    Terraform reads the file next to an HCL root; a synthesized stack takes its values as defaults.
    """
    file = Path(__file__).parent / path
    if not file.is_file():
        return {}
    values = json.loads(file.read_text(encoding="utf-8"))
    return {name: NULL if value is None else value for name, value in values.items()}
'''


def _instance(root: RootModule, tfvars: Mapping[str, str]) -> list[str]:
    arguments = [PyExpr("app"), stack_id(root)]
    if root.directory in tfvars:
        path = posixpath.relpath(posixpath.join(root.directory, tfvars[root.directory]), APP_DIR)
        arguments.append(PyExpr(f"read_tfvars({python_string(path)})"))
    return python_call(class_name(root), arguments, {}, 4)


def _main_py(project: str, roots: Sequence[RootModule], library_name: str, tfvars: Mapping[str, str]) -> str:
    library = LIBRARIES[library_name]
    modules = modules_dir(roots)
    # The remote backend classes the roots use (S3Backend, GcsBackend, ...), besides the fixed imports.
    used = set(IMPORTED) | {BACKEND_CLASSES[root.backend.type] for root in roots if root.backend is not None}
    stacks = "\n\n".join(stack_class(root, library, APP_DIR, root.directory in tfvars) for root in roots)
    if not any(root.backend is None for root in roots):
        used.discard("LocalBackend")
    if not any(root.variables for root in roots):
        used -= {"TerraformVariable", "TerraformVariableValidationConfig"}
    app_lines = python_call(
        "App",
        [],
        {"context": {"cdktfRelativeModules": [modules], "targetVersions": target_versions(roots)}},
        4,
        "app = ",
    )
    instances = [line for root in roots for line in _instance(root, tfvars)]
    standard_imports = ["import json", "from pathlib import Path", ""] if tfvars else []
    return "\n".join(
        [
            f'"""The {project} landing zone as a CDK for Terraform app: one stack per Terraform root.',
            "",
            f"Every stack calls the vendored modules in {modules} with TerraformHclModule; synthesize with",
            f"`python main.py` or `cdktf synth`, then run Terraform in {SYNTH_DIR}/stacks/<stack>.",
            '"""',
            "",
            *standard_imports,
            # Sorted as isort/ruff sort them (cdktf and cdktn both come before constructs).
            f"from {library.name} import (",
            *(f"    {name}," for name in sorted(used)),
            ")",
            "from constructs import Construct",
            "",
            "# Terraform's null: jsii passes a Python None on as 'not set', which would drop the argument.",
            "NULL = Token.null_value()",
            *([READ_TFVARS.rstrip("\n")] if tfvars else []),
            "",
            "",
            stacks,
            "",
            "def main() -> None:",
            "    # Every local module goes into one asset per stack, so modules keep their relative paths.",
            *app_lines,
            *instances,
            "    app.synth()",
            "",
            "",
            'if __name__ == "__main__":',
            "    main()",
            "",
        ]
    )


def _cdktf_json(project: str) -> str:
    config = {
        "app": "python3 main.py",
        "language": "python",
        "output": SYNTH_DIR,
        # The CLI wants a project id; a name-derived one keeps the output deterministic.
        "projectId": str(uuid.uuid5(uuid.NAMESPACE_URL, f"mlgen:{project}")),
        "sendCrashReports": "false",
        "terraformProviders": [],
        "terraformModules": [],
        "context": {},
    }
    return json.dumps(config, indent=2, sort_keys=True) + "\n"


def render_cdktf_app(
    project: str,
    roots: Sequence[RootModule],
    library: str = DEFAULT_LIBRARY,
    tfvars: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Project-relative path -> text of the CDKTF app for ``roots``.

    ``tfvars``: root directory -> the committed ``*.auto.tfvars.json`` in it (the release file) whose
    values the root's stack reads at synthesis.
    """
    if library not in LIBRARIES:
        raise ValueError(f"unknown CDKTF library {library!r} (known: {', '.join(sorted(LIBRARIES))})")
    requirements = "\n".join(LIBRARIES[library].requirements) + "\n"
    return {
        f"{APP_DIR}/main.py": _main_py(project, roots, library, tfvars or {}),
        f"{APP_DIR}/cdktf.json": _cdktf_json(project),
        f"{APP_DIR}/requirements.txt": requirements,
        f"{APP_DIR}/.gitignore": f"{SYNTH_DIR}/\n__pycache__/\n",
    }
