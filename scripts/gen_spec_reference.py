"""Generate docs/spec-reference.md from the spec models, the blueprints and the clouds' capabilities.

    python scripts/gen_spec_reference.py          # rewrite docs/spec-reference.md
    python scripts/gen_spec_reference.py --check  # exit 1 when the committed file is stale

The reference is generated so it cannot drift from the code: tests/spec/test_spec_reference.py fails
when the committed file differs from this script's output.
"""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "generator"))

from annotated_types import Ge, Gt, Le, Lt, MaxLen, MinLen
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from mlgen.clouds import CLOUDS, capabilities
from mlgen.spec.blueprints import blueprint_environments, blueprint_names, describe_blueprint, load_blueprint
from mlgen.spec.input_bounds import LIMITS
from mlgen.spec.models import (
    PATTERN_DESCRIPTIONS,
    SECTION_MODELS,
    CISpec,
    EndpointSpec,
    EnvironmentSpec,
    SpecHeader,
    VariantSpec,
)

OUTPUT = REPO_ROOT / "docs" / "spec-reference.md"
TOP_LEVEL_NOTES = {
    "blueprint": "`starter`",
    "tags": "`{}`",
}


def _bounds(metadata: list[Any], text: bool = False) -> str:
    parts = []
    for item in metadata:
        if isinstance(item, Ge):
            parts.append(f"≥ {item.ge}")
        elif isinstance(item, Gt):
            parts.append(f"> {item.gt}")
        elif isinstance(item, Le):
            parts.append(f"≤ {item.le}")
        elif isinstance(item, Lt):
            parts.append(f"< {item.lt}")
        elif isinstance(item, MinLen) and text:
            parts.append("not empty")
        elif isinstance(item, MinLen):
            parts.append(f"at least {item.min_length} item{'s' if item.min_length != 1 else ''}")
        elif isinstance(item, MaxLen):
            parts.append(f"at most {item.max_length}")
        elif getattr(item, "pattern", None):
            parts.append(PATTERN_DESCRIPTIONS.get(item.pattern, f"matches `{item.pattern}`"))
    return ", ".join(parts)


def type_text(annotation: Any, metadata: list[Any] | None = None) -> str:
    """A person's description of a field's type and allowed values."""
    metadata = list(metadata or [])
    origin = get_origin(annotation)
    if origin is not None and getattr(origin, "__name__", "") == "Annotated":
        inner, *extra = get_args(annotation)
        # Annotated[int, Field(ge=1)] carries its bounds inside the FieldInfo
        flat = [
            bound for item in extra for bound in (item.metadata if isinstance(item, FieldInfo) else [item])
        ]
        return type_text(inner, [*metadata, *flat])
    if origin in (Union, types.UnionType):
        options = [arg for arg in get_args(annotation) if arg is not type(None)]
        text = " or ".join(type_text(option, metadata) for option in options)
        return f"{text} or null" if len(options) < len(get_args(annotation)) else text
    if origin is Literal:
        return "one of " + ", ".join(f"`{value}`" for value in get_args(annotation))
    if origin is list:
        (item,) = get_args(annotation)
        bounds = _bounds(metadata)
        return f"list of {type_text(item)}" + (f" ({bounds})" if bounds else "")
    if origin is dict:
        key, value = get_args(annotation)
        return f"mapping of {type_text(key)} to {type_text(value)}"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return f"mapping ({annotation.__name__})"
    names = {str: "string", int: "integer", float: "number", bool: "boolean"}
    name = names.get(annotation, getattr(annotation, "__name__", str(annotation)))
    bounds = _bounds(metadata, text=annotation is str)
    return f"{name} ({bounds})" if bounds else name


def field_type(field: FieldInfo) -> str:
    return type_text(field.annotation, field.metadata)


def show(value: Any) -> str:
    if value is None:
        return "`null`"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, list | dict):
        return f"`{json.dumps(value, separators=(', ', ': '))}`"
    return f"`{value}`"


def blueprint_default(blueprint: str, section: str, field: str) -> str:
    """The blueprint's default for section.field, with the environments that override it."""
    data = load_blueprint(blueprint)
    base = data.get(section, {}).get(field)
    text = show(base)
    overrides = [
        f"{env}: {show(data['environments'][env][section][field])}"
        for env in blueprint_environments(blueprint)
        if field in data["environments"][env].get(section, {})
    ]
    return f"{text} ({'; '.join(overrides)})" if overrides else text


def escape(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")


def model_table(model: type[BaseModel]) -> list[str]:
    """A table of a model whose defaults live in the model (list items, nested mappings)."""
    rows = ["| field | type / allowed | default | description |", "| --- | --- | --- | --- |"]
    for name, field in model.model_fields.items():
        default = "required" if field.is_required() else show(field.get_default(call_default_factory=True))
        rows.append(f"| `{name}` | {escape(field_type(field))} | {default} | {escape(field.description)} |")
    return rows


def section_table(section: str, model: type[BaseModel]) -> list[str]:
    names = blueprint_names()
    header = (
        "| field | type / allowed | " + " | ".join(f"{name} default" for name in names) + " | description |"
    )
    rows = [header, "| --- | --- | " + " | ".join("---" for _ in names) + " | --- |"]
    for field_name, field in model.model_fields.items():
        defaults = " | ".join(escape(blueprint_default(name, section, field_name)) for name in names)
        rows.append(
            f"| `{field_name}` | {escape(field_type(field))} | {defaults} | {escape(field.description)} |"
        )
    return rows


def catalog_section() -> list[str]:
    lines = [
        "## What each cloud offers (checked by `mlgen validate`)",
        "",
        "From each cloud adapter's capabilities (`generator/mlgen/clouds/<cloud>/capabilities.py`).",
        "",
        "| cloud | generated | GPU kinds (GPUs per node) | serverless | endpoint auth | state backend | currencies "
        + "| longest project / zone / endpoint / variant name |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for cloud in CLOUDS:
        offered = capabilities(cloud)
        gpus = ", ".join(
            f"`{kind}` ({'/'.join(str(n) for n in counts)})" for kind, counts in offered.gpu_counts.items()
        )
        serverless = "yes" if offered.serverless_serving else "no"
        auth = ", ".join(f"`{mode}`" for mode in offered.endpoint_auth_modes)
        currencies = ", ".join(offered.budget_currencies)
        names = offered.name_limits
        lines.append(
            f"| {cloud} | {'yes' if offered.generated else 'not yet'} | {gpus} | {serverless} | {auth} "
            f"| `{offered.state_backend}` | {currencies} "
            f"| {names.project} / {names.zone} / {names.endpoint} / {names.variant} |"
        )
    lines.append("")
    for cloud in CLOUDS:
        offered = capabilities(cloud)
        if offered.log_retention_days is not None:
            retention = ", ".join(str(days) for days in offered.log_retention_days)
            lines += [
                f"On {cloud}, log retention periods must be {offered.log_service} values: {retention}.",
                "",
            ]
    lines += [
        "Account formats: "
        + "; ".join(f"{cloud}: {capabilities(cloud).account_id.description}" for cloud in CLOUDS)
        + ".",
        "",
        "Regions: "
        + "; ".join(f"{cloud}: {len(capabilities(cloud).regions)} regions" for cloud in CLOUDS)
        + " (an unknown region is reported with the closest names).",
        "",
        "## Limits on the spec file itself",
        "",
        "A spec is untrusted input (CI runs `mlgen check` on pull requests), so it is refused, with exit 2",
        f"and the line that crossed the limit, when it is larger than {LIMITS.max_bytes // 1024} KiB, nests deeper than",
        f"{LIMITS.max_depth} levels, expands to more than {LIMITS.max_values} values through YAML aliases, uses",
        "any YAML tag (`!!python/object`, `!!str`, ...), is not UTF-8, or is not a regular file (a directory,",
        "a FIFO, a device). The limits live in `generator/mlgen/spec/input_bounds.py`.",
    ]
    return lines


def render() -> str:
    lines = [
        "<!-- Generated by scripts/gen_spec_reference.py; do not edit by hand. -->",
        "# mlgen.yaml reference",
        "",
        "Every value has a default that comes from the blueprint (`starter` unless `blueprint:` says",
        "otherwise). For each environment, values are merged in this order, later wins:",
        "",
        "1. the blueprint's top-level sections,",
        "2. the blueprint's defaults for that environment (for example production's prod: NAT per zone),",
        "3. the sections at the top level of `mlgen.yaml`,",
        "4. the sections under `environments.<name>` in `mlgen.yaml`.",
        "",
        "Mappings merge key by key; lists (zones, endpoints, e-mails, thresholds) replace as a whole.",
        'Unknown keys are errors; values are never coerced (`"24"` is not a number). `mlgen validate`',
        "reports every problem at once as `file:line:column: field.path: message` with what is allowed.",
        "`mlgen schema` prints the JSON Schema for editor completion.",
        "",
        "## Top level",
        "",
        "| field | type / allowed | default | description |",
        "| --- | --- | --- | --- |",
    ]
    for name, field in SpecHeader.model_fields.items():
        default = TOP_LEVEL_NOTES.get(name) or ("required" if field.is_required() else f"`{field.default}`")
        lines.append(f"| `{name}` | {escape(field_type(field))} | {default} | {escape(field.description)} |")
    lines += ["", "## Environments (`environments.<dev|staging|prod>`)", ""]
    lines += [
        "Each environment takes the fields below plus any section (`network`, `storage`, ...) as an",
        "override of the top-level section.",
        "",
        "| field | type / allowed | default | description |",
        "| --- | --- | --- | --- |",
    ]
    for name in ("account_id", "region", "deletion_protection"):
        field = EnvironmentSpec.model_fields[name]
        default = {"account_id": "required", "region": "`null`", "deletion_protection": "`true` for prod"}[
            name
        ]
        lines.append(f"| `{name}` | {escape(field_type(field))} | {default} | {escape(field.description)} |")
    for section, model in SECTION_MODELS.items():
        lines += ["", f"## `{section}`", "", escape(model.__doc__), ""]
        lines += section_table(section, model)
        nested = {
            "access": [("access.ci", CISpec)],
            "serving": [
                ("serving.endpoints[]", EndpointSpec),
                ("serving.endpoints[].variants[]", VariantSpec),
            ],
        }.get(section, [])
        for title, nested_model in nested:
            lines += ["", f"### `{title}`", "", escape(nested_model.__doc__), ""]
            lines += model_table(nested_model)
    lines += [""] + catalog_section()
    lines += ["", "## Blueprints", ""]
    for name in blueprint_names():
        environments = ", ".join(blueprint_environments(name))
        lines += [
            f"### `{name}` (environments: {environments})",
            "",
            "```text",
            describe_blueprint(name).rstrip(),
            "```",
            "",
        ]
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        if not OUTPUT.exists() or OUTPUT.read_text(encoding="utf-8") != text:
            print(f"{OUTPUT.relative_to(REPO_ROOT)} is stale: run python scripts/gen_spec_reference.py")
            return 1
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
