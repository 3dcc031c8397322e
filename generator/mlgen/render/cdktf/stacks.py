"""One CDKTF stack class per Terraform root, written from the root's :class:`RootModule`.

The stack holds exactly what the HCL root holds: the terraform settings and provider configuration
(written through ``add_override``, so no provider bindings are imported and synthesis stays small), the
backend, locals, data sources, variables, one ``TerraformHclModule`` per module call with the same
inputs, and the outputs.
"""

from __future__ import annotations

import keyword
import posixpath
import re
from typing import Any

from mlgen.render.cdktf.libraries import CdktfLibrary
from mlgen.render.cdktf.values import (
    NULL,
    PyExpr,
    expression,
    python_call,
    python_lines,
    python_string,
    terraform_json,
)
from mlgen.render.root_model import ModuleCall, RootModule

BACKEND_CLASSES = {
    "s3": "S3Backend",
    "local": "LocalBackend",
    "gcs": "GcsBackend",
    "azurerm": "AzurermBackend",
}
CLASS_BODY = 8  # indentation of the statements in __init__


def stack_name(directory: str) -> str:
    """``infra/envs/dev`` -> ``envs-dev``; ``infra/bootstrap/dev`` -> ``bootstrap-dev``."""
    return "-".join(directory.split("/")[-2:])


def stack_id(root: RootModule) -> str:
    return stack_name(root.directory)


def class_name(root: RootModule) -> str:
    return "".join(part.capitalize() for part in re.split(r"[^A-Za-z0-9]+", stack_id(root))) + "Stack"


def _variable_name(module_name: str) -> str:
    name = re.sub(r"[^A-Za-z0-9_]", "_", module_name)
    return f"{name}_module" if keyword.iskeyword(name) else name


def local_state_path(root: RootModule) -> str:
    # Local state next to main.py, as the CDKTF CLI keeps it, not in cdktf.out (synthesis rewrites
    # that folder). Relative, so the synthesized JSON does not depend on where the project is checked out.
    return f"../../../terraform.{stack_id(root)}.tfstate"


def module_source(call: ModuleCall, root: RootModule, app_dir: str) -> str:
    """The module's directory relative to the app (the HCL source is relative to the root's directory)."""
    target = posixpath.normpath(posixpath.join(root.directory, call.source))
    return posixpath.relpath(target, app_dir)


def _ordered_calls(calls: tuple[ModuleCall, ...]) -> list[ModuleCall]:
    """Module calls in their given order, except that a depends_on target comes first (it is passed as an
    object, so it must exist)."""
    by_name = {call.name: call for call in calls}
    ordered: list[ModuleCall] = []

    def visit(call: ModuleCall) -> None:
        if call in ordered:
            return
        for dependency in call.depends_on_modules:
            if dependency in by_name:
                visit(by_name[dependency])
        ordered.append(call)

    for call in calls:
        visit(call)
    return ordered


def _settings(root: RootModule) -> list[str]:
    providers = {p.name: {"source": p.source, "version": p.version} for p in root.providers}
    lines = python_call(
        "self.add_override", ["terraform.required_version", root.required_version], {}, CLASS_BODY
    )
    lines += python_call("self.add_override", ["terraform.required_providers", providers], {}, CLASS_BODY)
    for provider in root.providers:
        config = terraform_json(dict(provider.config))
        lines += python_call("self.add_override", [f"provider.{provider.name}", [config]], {}, CLASS_BODY)
    return lines


def _backend(root: RootModule, library: CdktfLibrary) -> list[str]:
    if root.backend is None:
        return python_call("LocalBackend", [PyExpr("self")], {"path": local_state_path(root)}, CLASS_BODY)
    config = terraform_json(dict(root.backend.config))
    missing = library.missing_backend_arguments.get(root.backend.type, frozenset())
    kwargs = {key: value for key, value in config.items() if key not in missing}
    overrides = {key: value for key, value in config.items() if key in missing}
    if not overrides:
        return python_call(BACKEND_CLASSES[root.backend.type], [PyExpr("self")], kwargs, CLASS_BODY)
    lines = python_call(
        BACKEND_CLASSES[root.backend.type], [PyExpr("self")], kwargs, CLASS_BODY, "backend = "
    )
    lines.append(
        " " * CLASS_BODY + f"# {library.name} {library.version}'s {BACKEND_CLASSES[root.backend.type]} has no"
    )
    lines[-1] += f" {', '.join(sorted(overrides))} argument"
    for key, value in overrides.items():
        lines += python_call("backend.add_override", [key, value], {}, CLASS_BODY)
    return lines


def _default(default: Any, name: str, reads_tfvars: bool) -> Any:
    # A stack that stands for a root with a committed *.auto.tfvars.json takes the file's values as its
    # variables' defaults: Terraform reads the file next to an HCL root, but not next to a synthesized stack.
    value = terraform_json(default)
    source = python_lines(value, 0)
    if not reads_tfvars or len(source) != 1:
        return value
    return PyExpr(f"tfvars.get({python_string(name)}, {source[0]})")


def _variables(root: RootModule, reads_tfvars: bool) -> list[str]:
    lines: list[str] = []
    for variable in root.variables:
        kwargs: dict[str, Any] = {
            "description": variable.description,
            "type": variable.type.text,
            "default": _default(variable.default, variable.name, reads_tfvars),
        }
        if variable.validations:
            kwargs["validation"] = [
                PyExpr(
                    "\n".join(
                        python_call(
                            "TerraformVariableValidationConfig",
                            [],
                            {"condition": expression(check.condition), "error_message": check.error_message},
                            CLASS_BODY + 8,
                        )
                    ).lstrip()
                )
                for check in variable.validations
            ]
        lines += python_call("TerraformVariable", [PyExpr("self"), variable.name], kwargs, CLASS_BODY)
    return lines


def _modules(root: RootModule, app_dir: str) -> list[str]:
    lines: list[str] = []
    needed = {name for call in root.modules for name in call.depends_on_modules}
    for call in _ordered_calls(root.modules):
        kwargs: dict[str, Any] = {
            "source": module_source(call, root, app_dir),
            "variables": terraform_json(dict(call.inputs)),
        }
        dependencies = call.depends_on_modules
        if dependencies:
            kwargs["depends_on"] = [PyExpr(_variable_name(name)) for name in dependencies]
        # A variable only for modules something refers to (ruff flags unused ones in the project).
        referenced = call.name in needed or any(meta != "depends_on" for meta in call.meta)
        prefix = f"{_variable_name(call.name)} = " if referenced else ""
        lines += python_call("TerraformHclModule", [PyExpr("self"), call.name], kwargs, CLASS_BODY, prefix)
        for meta, value in call.meta.items():
            if meta != "depends_on":
                args = [meta, terraform_json(value)]
                lines += python_call(f"{_variable_name(call.name)}.add_override", args, {}, CLASS_BODY)
    return lines


def _outputs(root: RootModule) -> list[str]:
    lines: list[str] = []
    for output in root.outputs:
        kwargs = {"value": expression(output.value), "description": output.description}
        lines += python_call("TerraformOutput", [PyExpr("self"), output.name], kwargs, CLASS_BODY)
    return lines


def stack_class(root: RootModule, library: CdktfLibrary, app_dir: str, reads_tfvars: bool = False) -> str:
    """The stack class of ``root``; with ``reads_tfvars`` it takes ``tfvars`` (the root's committed
    *.auto.tfvars.json values) as a constructor argument."""
    local_values: list[str] = []
    for name, value in root.locals.items():
        local_values += python_call(
            "TerraformLocal", [PyExpr("self"), name, terraform_json(value)], {}, CLASS_BODY
        )
    for data in root.data_sources:
        address = f"data.{data.type}.{data.name}"
        local_values += python_call(
            "self.add_override", [address, terraform_json(dict(data.arguments))], {}, CLASS_BODY
        )
    groups = [
        ("Terraform and provider settings (no provider bindings are imported)", _settings(root)),
        ("State", _backend(root, library)),
        ("Locals and data sources", local_values),
        ("Variables", _variables(root, reads_tfvars)),
        ("Module calls: the vendored modules, with the inputs of the HCL root", _modules(root, app_dir)),
        ("Outputs", _outputs(root)),
    ]
    body: list[str] = []
    for title, lines in groups:
        if lines:
            body += ["", " " * CLASS_BODY + f"# {title}", *lines]
    lines = [
        f"class {class_name(root)}(TerraformStack):",
        f'    """{root.directory} as a stack: the same settings, module calls and outputs."""',
        "",
        "    def __init__(self, scope: Construct, stack_id: str"
        + (", tfvars: dict" if reads_tfvars else "")
        + ") -> None:",
        "        super().__init__(scope, stack_id)",
        *body,
    ]
    return "\n".join(lines) + "\n"


__all__ = ["NULL", "class_name", "stack_class", "stack_id", "stack_name"]
