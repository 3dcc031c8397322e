"""Check references inside one module directory: `var.x`, `local.x`, `module.x.output`, `data.t.n.attr`
and `aws_t.n.attr` must name things that are declared (and attributes the provider schema knows).

This is what `terraform validate` reports as "Reference to undeclared ..." and "Unsupported attribute".
References are found in expression text with literal strings, heredoc text and comments blanked out
(`expression_code`), so only real code is matched. Anything ambiguous is left alone: roots that are not a
known resource type of a bundled provider (for-expression and dynamic-block iterators, `each`, `count`,
`self`, `path`), references deeper than the first attribute, and modules with non-local sources.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from mlgen.conformance.hcl_parser import Attribute, Block, expression_code
from mlgen.conformance.modules import ModuleInterface, ModuleInterfaces
from mlgen.conformance.schema import load_provider, provider_for_type
from mlgen.conformance.suggest import did_you_mean

# A traversal: a root name not preceded by `.`/a name character, then `.name` and `[index]` steps.
_TRAVERSAL = re.compile(r"(?<![\w.\]\)-])([A-Za-z_][\w-]*)((?:\.[A-Za-z_][\w-]*|\[[^\[\]\n]*\])+)")
_STEP = re.compile(r"\.([A-Za-z_][\w-]*)|\[([^\[\]\n]*)\]")
# Blocks whose expressions name addresses that need not exist (or are not expressions at all).
_SKIPPED_TOP_LEVEL = {"moved", "removed", "import", "terraform"}

Emit = Callable[[Path, int, str, str, str, str | None], None]  # file, line, address, attribute, message, hint


@dataclass
class ModuleDeclarations:
    """What one module directory declares, across all its files."""

    variables: set[str] = field(default_factory=set)
    locals: set[str] = field(default_factory=set)
    module_sources: dict[str, str | None] = field(default_factory=dict)
    resources: set[tuple[str, str]] = field(default_factory=set)
    data_sources: set[tuple[str, str]] = field(default_factory=set)
    repeated: set[str] = field(default_factory=set)  # addresses with count/for_each: need `[key]`

    def add_file(self, root: Block) -> None:
        for block in root.blocks:
            if block.type in ("resource", "data", "module") and (
                block.attribute("count") is not None or block.attribute("for_each") is not None
            ):
                self.repeated.add(block_address(block))
            if block.type == "variable" and block.labels:
                self.variables.add(block.labels[0])
            elif block.type == "locals":
                self.locals.update(attribute.name for attribute in block.attributes)
            elif block.type == "module" and block.labels:
                source = block.attribute("source")
                self.module_sources[block.labels[0]] = source.string_literal() if source else None
            elif block.type == "resource" and len(block.labels) == 2:
                self.resources.add((block.labels[0], block.labels[1]))
            elif block.type == "data" and len(block.labels) == 2:
                self.data_sources.add((block.labels[0], block.labels[1]))
            elif block.type == "check":
                for data in block.blocks_of_type("data"):
                    if len(data.labels) == 2:
                        self.data_sources.add((data.labels[0], data.labels[1]))


def block_address(block: Block) -> str:
    if block.type == "resource":
        return ".".join(block.labels)
    if block.type == "variable" and block.labels:
        return f"var.{block.labels[0]}"
    return ".".join((block.type, *block.labels))


def _attributes_with_paths(block: Block, path: tuple[str, ...] = ()) -> Iterator[tuple[str, Attribute]]:
    for attribute in block.attributes:
        yield ".".join((*path, attribute.name)), attribute
    for child in block.blocks:
        label = f"dynamic.{child.labels[0]}" if child.type == "dynamic" and child.labels else child.type
        yield from _attributes_with_paths(child, (*path, label))


def _steps(chain: str) -> list[tuple[str, str]]:
    """`.a[0].b` -> [("attr", "a"), ("index", "0"), ("attr", "b")]."""
    return [("attr", name) if name else ("index", index) for name, index in _STEP.findall(chain)]


def _first_attribute_after(steps: list[tuple[str, str]], start: int) -> str | None:
    """The attribute read after an optional `[index]`, e.g. `.arn` in `aws_x.y[0].arn`."""
    index = start
    if index < len(steps) and steps[index][0] == "index":
        index += 1
    if index < len(steps) and steps[index][0] == "attr":
        return steps[index][1]
    return None


class ReferenceChecker:
    def __init__(
        self, directory: Path, declarations: ModuleDeclarations, interfaces: ModuleInterfaces, emit: Emit
    ) -> None:
        self.directory = directory
        self.declared = declarations
        self.interfaces = interfaces
        self.emit = emit

    def check_file(self, path: Path, root: Block) -> None:
        for block in root.blocks:
            if block.type in _SKIPPED_TOP_LEVEL:
                continue
            address = block_address(block)
            for attribute_path, attribute in _attributes_with_paths(block):
                code = expression_code(attribute.expression)
                for match in _TRAVERSAL.finditer(code):
                    line = attribute.line + code.count("\n", 0, match.start())
                    problem = self._check_reference(match.group(1), _steps(match.group(2)))
                    if problem is not None:
                        self.emit(path, line, address, attribute_path, *problem)

    def _check_reference(self, root: str, steps: list[tuple[str, str]]) -> tuple[str, str | None] | None:
        first = steps[0][1] if steps[0][0] == "attr" else None
        if first is None:
            return None
        if root == "var":
            if first not in self.declared.variables:
                return (
                    f"reference to undeclared input variable `var.{first}`",
                    did_you_mean(first, self.declared.variables),
                )
        elif root == "local":
            if first not in self.declared.locals:
                return (
                    f"reference to undeclared local value `local.{first}`",
                    did_you_mean(first, self.declared.locals),
                )
        elif root == "module":
            return self._check_module_reference(first, steps)
        elif root == "data":
            if len(steps) > 1 and steps[1][0] == "attr":
                return self._check_resource_reference("data", first, steps[1][1], steps, 2)
        else:
            return self._check_resource_reference("resource", root, first, steps, 1)
        return None

    def _instance_key_problem(
        self, address: str, steps: list[tuple[str, str]], after_name: int
    ) -> tuple[str, str | None] | None:
        """`aws_x.y.arn` on a counted resource, or `aws_x.y[0]` on a single one (Terraform rejects both).
        A bare `aws_x.y` (the whole collection, e.g. in a for expression) is fine either way."""
        if after_name >= len(steps):
            return None
        next_kind = steps[after_name][0]
        if address in self.declared.repeated and next_kind == "attr":
            return (
                (
                    f"`{address}` has `count` or `for_each`: index it (`{address}[0]`, `{address}[each.key]`) "
                    f"or splat it (`{address}[*]`) before reading `{steps[after_name][1]}`"
                ),
                None,
            )
        if address not in self.declared.repeated and next_kind == "index":
            return (
                (
                    f"`{address}` has neither `count` nor `for_each`: it has no instance keys, "
                    f"drop `[{steps[after_name][1]}]`"
                ),
                None,
            )
        return None

    def _check_module_reference(
        self, name: str, steps: list[tuple[str, str]]
    ) -> tuple[str, str | None] | None:
        if name not in self.declared.module_sources:
            return (
                f"reference to undeclared module `module.{name}`",
                did_you_mean(name, self.declared.module_sources),
            )
        problem = self._instance_key_problem(f"module.{name}", steps, 1)
        if problem is not None:
            return problem
        source = self.declared.module_sources[name]
        output = _first_attribute_after(steps, 1)
        if output is None or source is None or not source.startswith(("./", "../")):
            return None
        interface = self.interfaces.get(self.directory / source)
        if isinstance(interface, ModuleInterface) and output not in interface.outputs:
            return (
                f"module `{name}` ({source}) has no output `{output}`",
                did_you_mean(output, interface.outputs),
            )
        return None

    def _check_resource_reference(
        self, kind: str, type_name: str, name: str, steps: list[tuple[str, str]], attribute_at: int
    ) -> tuple[str, str | None] | None:
        schema = load_provider(provider_for_type(type_name))
        if kind == "resource":
            # Only roots that are real resource types: anything else may be an iterator or a variable
            # of a for expression (`[for my_rule in ...: my_rule.name]`).
            if schema is None or type_name not in schema.resources:
                return None
            declared, table, prefix = self.declared.resources, schema.resources, ""
        else:
            declared = self.declared.data_sources
            table = schema.data_sources if schema is not None else {}
            prefix = "data."
        if (type_name, name) not in declared:
            same_type = [n for t, n in declared if t == type_name]
            what = "resource" if kind == "resource" else "data source"
            return (
                f"reference to undeclared {what} `{prefix}{type_name}.{name}`",
                did_you_mean(name, same_type),
            )
        problem = self._instance_key_problem(f"{prefix}{type_name}.{name}", steps, attribute_at)
        if problem is not None:
            return problem
        attribute = _first_attribute_after(steps, attribute_at)
        type_schema = table.get(type_name)
        if attribute is None or type_schema is None:
            return None
        known = {
            *type_schema.get("attributes", {}),
            *type_schema.get("blocks", {}),
            *type_schema.get("computed", []),
        }
        if attribute not in known:
            return (f"`{prefix}{type_name}` has no attribute `{attribute}`", did_you_mean(attribute, known))
        return None
