"""Write a :class:`~mlgen.render.root_model.RootModule` as the HCL files of a standard root module.

versions.tf (terraform settings and backend), providers.tf, variables.tf (when there are variables),
main.tf (locals, data sources, module calls) and outputs.tf.
"""

from __future__ import annotations

from typing import Any

from mlgen.render.hcl_emitter import Block, module_call, render_block, render_file
from mlgen.render.root_model import RootModule, Variable


def _versions(root: RootModule) -> str:
    body: dict[str, Any] = {
        "required_version": root.required_version,
        "required_providers": Block(
            {
                provider.name: {"source": provider.source, "version": provider.version}
                for provider in root.providers
            }
        ),
    }
    if root.backend is not None:
        body["backend"] = Block(dict(root.backend.config), labels=[root.backend.type])
    return render_block("terraform", [], body)


def _providers(root: RootModule) -> str:
    return render_file(
        render_block("provider", [provider.name], provider.config) for provider in root.providers
    )


def _variable(variable: Variable) -> str:
    body: dict[str, Any] = {
        "description": variable.description,
        "type": variable.type,
        "default": variable.default,
    }
    validations = [
        Block({"condition": check.condition, "error_message": check.error_message})
        for check in variable.validations
    ]
    if validations:
        body["validation"] = validations
    return render_block("variable", [variable.name], body)


def _main(root: RootModule) -> str:
    blocks = [render_block("locals", [], dict(root.locals))] if root.locals else []
    blocks += [render_block("data", [data.type, data.name], data.arguments) for data in root.data_sources]
    blocks += [module_call(call.name, call.source, call.inputs, meta=call.meta) for call in root.modules]
    return render_file(blocks)


def _outputs(root: RootModule) -> str:
    return render_file(
        render_block("output", [output.name], {"description": output.description, "value": output.value})
        for output in root.outputs
    )


def render_root_hcl(root: RootModule) -> dict[str, str]:
    """File name -> HCL text of the root's directory."""
    files = {"versions.tf": _versions(root), "providers.tf": _providers(root)}
    if root.variables:
        files["variables.tf"] = render_file(_variable(variable) for variable in root.variables)
    files["main.tf"] = _main(root)
    if root.outputs:
        files["outputs.tf"] = _outputs(root)
    return files
