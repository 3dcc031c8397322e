"""A synthesized stack (``cdk.tf.json``) written back as HCL root files, for the tools that read HCL.

`mlgen check` (checkov, mlgen's policies, terraform fmt), the provider-schema conformance checks and the
tests' comparison with the HCL roots all read native syntax; turning what CDKTF synthesized into HCL lets
them check exactly what Terraform would run, with no second implementation of any check.

JSON strings are templates: ``"${x}"`` becomes the expression ``x``, a string with interpolations a
quoted template, ``$${`` a literal ``${``. Which JSON arrays of objects are nested blocks is known for
the places mlgen writes them (provider settings, data-source arguments, variable validations, backend).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mlgen.render.hcl_emitter import Block, Expr, module_call, render_block, render_file

METADATA_KEY = "//"  # CDKTF's metadata entries; Terraform ignores them


def _single_interpolation(text: str) -> str | None:
    """``x`` when ``text`` is exactly ``${x}`` (one interpolation spanning the whole string)."""
    if not (text.startswith("${") and text.endswith("}")):
        return None
    depth, index, quoted = 0, 0, False
    while index < len(text):
        char = text[index]
        if quoted:
            if char == "\\":
                index += 1
            elif char == '"':
                quoted = False
        elif char == '"':
            quoted = True
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0 and index != len(text) - 1:
                return None
        index += 1
    return text[2:-1]


def _template(text: str) -> str:
    """``text`` (a JSON-syntax template) as a quoted HCL template: escape quotes outside interpolations."""
    out, depth, index = [], 0, 0
    while index < len(text):
        if not depth and text.startswith(("$${", "%%{"), index):
            out.append(text[index : index + 3])  # an escaped (literal) opener, the same in both syntaxes
            index += 3
            continue
        if text.startswith(("${", "%{"), index):
            depth += 1
            out.append(text[index : index + 2])
            index += 2
            continue
        char = text[index]
        if depth:
            depth += {"{": 1, "}": -1}.get(char, 0)
            out.append(char)
        else:
            out.append({"\\": "\\\\", '"': '\\"', "\n": "\\n"}.get(char, char))
        index += 1
    return '"' + "".join(out) + '"'


def hcl_value(value: Any) -> Any:
    """A JSON-syntax value as the value :mod:`mlgen.render.hcl_emitter` renders to the same Terraform value."""
    if isinstance(value, str):
        inner = _single_interpolation(value)
        if inner is not None:
            return Expr(inner.strip())
        plain = value.replace("$${", "").replace("%%{", "")
        if "${" not in plain and "%{" not in plain:
            return value.replace("$${", "${").replace("%%{", "%{")
        return Expr(_template(value))
    if isinstance(value, Mapping):
        return {key: hcl_value(item) for key, item in value.items() if key != METADATA_KEY}
    if isinstance(value, list):
        return [hcl_value(item) for item in value]
    return value


def _block_body(body: Mapping[str, Any]) -> dict[str, Any]:
    """Arguments of a provider or data block: arrays of objects are nested blocks."""
    result: dict[str, Any] = {}
    for key, value in body.items():
        if key == METADATA_KEY:
            continue
        if isinstance(value, list) and value and all(isinstance(item, Mapping) for item in value):
            result[key] = [Block(_block_body(item)) for item in value]
        else:
            result[key] = hcl_value(value)
    return result


def _terraform_block(settings: Mapping[str, Any]) -> str:
    body: dict[str, Any] = {}
    for key, value in settings.items():
        if key == "required_providers":
            body[key] = Block(hcl_value(value))
        elif key == "backend":
            (backend_type, config), *_ = value.items()
            body[key] = Block(hcl_value(config), labels=[backend_type])
        else:
            body[key] = hcl_value(value)
    return render_block("terraform", [], body)


def _variable(name: str, spec: Mapping[str, Any]) -> str:
    body: dict[str, Any] = {}
    for key, value in spec.items():
        if key == "type":
            body[key] = Expr(value)
        elif key == "validation":
            body[key] = [Block(hcl_value(check)) for check in value]
        else:
            body[key] = hcl_value(value)
    return render_block("variable", [name], body)


def _module(name: str, spec: Mapping[str, Any], source: str) -> str:
    meta_names = ("count", "for_each", "providers", "depends_on")
    inputs = {k: hcl_value(v) for k, v in spec.items() if k not in (METADATA_KEY, "source", *meta_names)}
    meta: dict[str, Any] = {}
    for key in meta_names:
        if key == "depends_on" and key in spec:
            meta[key] = [Expr(item) for item in spec[key]]
        elif key in spec:
            meta[key] = hcl_value(spec[key])
    return module_call(name, source, inputs, meta=meta)


def stack_as_hcl(stack: Mapping[str, Any], module_source: Any = None) -> dict[str, str]:
    """File name -> HCL text for one synthesized stack. ``module_source(source)`` may rewrite sources."""
    rewrite = module_source or (lambda source: source)
    files: dict[str, str] = {"versions.tf": _terraform_block(stack.get("terraform", {}))}
    providers = [
        render_block("provider", [name], _block_body(config))
        for name, configs in stack.get("provider", {}).items()
        for config in configs
    ]
    files["providers.tf"] = render_file(providers)
    if stack.get("variable"):
        files["variables.tf"] = render_file(_variable(name, spec) for name, spec in stack["variable"].items())
    blocks = [render_block("locals", [], hcl_value(stack["locals"]))] if stack.get("locals") else []
    blocks += [
        render_block("data", [data_type, name], _block_body(arguments))
        for data_type, by_name in stack.get("data", {}).items()
        for name, arguments in by_name.items()
    ]
    blocks += [_module(name, spec, rewrite(spec["source"])) for name, spec in stack.get("module", {}).items()]
    files["main.tf"] = render_file(blocks)
    if stack.get("output"):
        outputs = [
            render_block("output", [name], {k: hcl_value(v) for k, v in spec.items() if k != METADATA_KEY})
            for name, spec in stack["output"].items()
        ]
        files["outputs.tf"] = render_file(outputs)
    return files
