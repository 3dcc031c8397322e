"""Check `module` calls against the called module's declared variables (local sources only)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from mlgen.conformance.blocks import Emit
from mlgen.conformance.hcl_parser import Block, HCLSyntaxError, parse_file
from mlgen.conformance.suggest import did_you_mean

Note = Callable[[str], None]
MODULE_META_ARGUMENTS = frozenset({"source", "version", "count", "for_each", "providers", "depends_on"})


@dataclass(frozen=True)
class ModuleInterface:
    directory: Path
    variables: dict[str, bool]  # name -> required (declared without a default)
    outputs: frozenset[str]


class ModuleInterfaces:
    """Reads each called module directory once per check run."""

    def __init__(self) -> None:
        self._cache: dict[Path, ModuleInterface | str] = {}

    def get(self, directory: Path) -> ModuleInterface | str:
        """The module's interface, or a message saying why it could not be read."""
        directory = directory.resolve()
        if directory not in self._cache:
            self._cache[directory] = self._read(directory)
        return self._cache[directory]

    @staticmethod
    def _read(directory: Path) -> ModuleInterface | str:
        files = sorted(directory.glob("*.tf")) if directory.is_dir() else []
        if not files:
            return f"module source directory {directory} does not exist or has no .tf files"
        variables: dict[str, bool] = {}
        outputs: set[str] = set()
        for path in files:
            try:
                parsed = parse_file(path)
            except HCLSyntaxError as error:
                return f"cannot parse {path}: {error}"
            for variable in parsed.blocks_of_type("variable"):
                if variable.labels:
                    variables[variable.labels[0]] = variable.attribute("default") is None
            outputs.update(output.labels[0] for output in parsed.blocks_of_type("output") if output.labels)
        return ModuleInterface(directory, variables, frozenset(outputs))


def check_module_call(
    call: Block, calling_file: Path, interfaces: ModuleInterfaces, emit: Emit, note: Note
) -> None:
    name = call.labels[0] if call.labels else "?"
    source_attribute = call.attribute("source")
    if source_attribute is None:
        emit(call.line, "source", "module call has no `source`", None)
        return
    source = source_attribute.string_literal()
    if source is None:
        emit(source_attribute.line, "source", "`source` must be a literal string", None)
        return
    if not source.startswith(("./", "../")):
        note(f"module.{name}: source {source!r} is not a local path; its arguments were not checked")
        return
    interface = interfaces.get(calling_file.parent / source)
    if isinstance(interface, str):
        emit(source_attribute.line, "source", interface, None)
        return

    given: set[str] = set()
    for attribute in call.attributes:
        if attribute.name in given:
            emit(attribute.line, attribute.name, f"argument `{attribute.name}` is set more than once", None)
        given.add(attribute.name)
        if attribute.name in MODULE_META_ARGUMENTS or attribute.name in interface.variables:
            continue
        emit(
            attribute.line,
            attribute.name,
            f"unknown argument `{attribute.name}`: module {source} declares no such variable",
            did_you_mean(attribute.name, interface.variables),
        )
    for child in call.blocks:
        emit(
            child.line,
            child.type,
            f"module calls take arguments only; `{child.type} {{ ... }}` is not allowed here",
            None,
        )
    for variable, required in sorted(interface.variables.items()):
        if required and variable not in given:
            emit(
                call.line,
                variable,
                f"missing required argument `{variable}` (variable has no default in {source})",
                None,
            )
