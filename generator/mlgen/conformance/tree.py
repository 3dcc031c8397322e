"""Walk a directory of Terraform files and run every conformance check on it."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from mlgen.conformance.blocks import (
    COMMON_META_ARGUMENTS,
    DATA_META_BLOCKS,
    PROVIDER_META_ARGUMENTS,
    RESOURCE_META_BLOCKS,
    Emit,
    check_body,
)
from mlgen.conformance.findings import Finding, Report
from mlgen.conformance.hcl_parser import Block, HCLSyntaxError, parse_file
from mlgen.conformance.modules import ModuleInterfaces, check_module_call
from mlgen.conformance.references import ModuleDeclarations, ReferenceChecker
from mlgen.conformance.schema import ProviderSchema, load_provider, provider_for_type
from mlgen.conformance.suggest import did_you_mean


def terraform_files(root: Path) -> list[Path]:
    """`*.tf` under root (or root itself), skipping hidden directories such as `.terraform`."""
    if root.is_file():
        return [root]
    return sorted(
        path
        for path in root.rglob("*.tf")
        if path.is_file() and not any(part.startswith(".") for part in path.relative_to(root).parts[:-1])
    )


class _TreeChecker:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.report = Report()
        self.modules = ModuleInterfaces()
        self.skipped_providers: Counter[str] = Counter()
        self.parsed: dict[Path, Block | None] = {}

    def _display(self, path: Path) -> str:
        base = self.root if self.root.is_dir() else self.root.parent
        try:
            return path.relative_to(base).as_posix()
        except ValueError:
            return path.as_posix()

    def _emitter(self, path: Path, address: str) -> Emit:
        display = self._display(path)

        def emit(line: int, attribute: str, message: str, suggestion: str | None) -> None:
            self.report.findings.append(Finding(display, line, address, attribute, message, suggestion))

        return emit

    def parse(self, path: Path) -> Block | None:
        """Parse once; an unreadable or unparseable file becomes a finding."""
        if path not in self.parsed:
            try:
                self.parsed[path] = parse_file(path)
            except HCLSyntaxError as error:
                self._emitter(path, "")(error.line, "", f"cannot parse: {error.message}", None)
                self.parsed[path] = None
            except (OSError, UnicodeDecodeError) as error:
                self._emitter(path, "")(1, "", f"cannot read: {error}", None)
                self.parsed[path] = None
        return self.parsed[path]

    def check_file(self, path: Path) -> None:
        parsed = self.parse(path)
        if parsed is None:
            return
        self.report.files_checked += 1
        for block in parsed.blocks:
            if block.type in ("resource", "data"):
                self.check_typed_block(path, block, block.type)
            elif block.type == "check":  # scoped data sources live inside check blocks
                for inner in block.blocks_of_type("data"):
                    self.check_typed_block(path, inner, "data")
            elif block.type == "module":
                address = f"module.{block.labels[0]}" if block.labels else "module"
                self.report.blocks_checked += 1
                check_module_call(
                    block, path, self.modules, self._emitter(path, address), self.report.notes.append
                )
            elif block.type == "provider" and block.labels:
                self.check_provider_block(path, block)

    def _provider_schema(self, local_name: str) -> ProviderSchema | None:
        schema = load_provider(local_name)
        if schema is None:
            self.skipped_providers[local_name] += 1
        return schema

    def check_typed_block(self, path: Path, block: Block, kind: str) -> None:
        if len(block.labels) != 2:
            self._emitter(path, kind)(block.line, "", f"a {kind} block needs a type and a name label", None)
            return
        type_name, name = block.labels
        address = f"{type_name}.{name}" if kind == "resource" else f"data.{type_name}.{name}"
        emit = self._emitter(path, address)
        local_name = provider_for_type(type_name)
        provider_attribute = block.attribute("provider")
        if provider_attribute is not None:
            # `provider = google-beta` / `aws.us_east_1`: the local name is the part before the alias.
            local_name = provider_attribute.expression.split(".", 1)[0].strip() or local_name
        schema = self._provider_schema(local_name)
        if schema is None:
            return
        self.report.blocks_checked += 1
        table = schema.resources if kind == "resource" else schema.data_sources
        if type_name not in table:
            what = "resource type" if kind == "resource" else "data source"
            emit(
                block.line,
                "",
                f"unknown {what} `{type_name}` in {schema.label}",
                self._type_suggestion(type_name, kind, table, local_name),
            )
            return
        meta_blocks = RESOURCE_META_BLOCKS if kind == "resource" else DATA_META_BLOCKS
        check_body(block, table[type_name], emit, (), COMMON_META_ARGUMENTS, meta_blocks)

    @staticmethod
    def _type_suggestion(type_name: str, kind: str, table: dict, local_name: str) -> str | None:
        if local_name == "google":
            beta = load_provider("google-beta")
            beta_table = (
                None if beta is None else (beta.resources if kind == "resource" else beta.data_sources)
            )
            if beta_table and type_name in beta_table:
                return "it exists in google-beta only: add `provider = google-beta`"
        return did_you_mean(type_name, table)

    def check_provider_block(self, path: Path, block: Block) -> None:
        local_name = block.labels[0]
        schema = self._provider_schema(local_name)
        if schema is None:
            return
        self.report.blocks_checked += 1
        check_body(
            block,
            schema.provider_config,
            self._emitter(path, f"provider.{local_name}"),
            (),
            PROVIDER_META_ARGUMENTS,
        )

    def check_duplicate_addresses(self, files: list[Path]) -> None:
        """Two blocks with the same address in one module directory (Terraform rejects this)."""
        seen: dict[tuple[Path, str], Path] = {}
        for path in files:
            parsed = self.parsed.get(path)
            if parsed is None:
                continue  # already reported by check_file
            for block in parsed.blocks:
                if block.type == "resource" and len(block.labels) == 2:
                    address = ".".join(block.labels)
                elif block.type in ("data", "module", "variable", "output") and block.labels:
                    address = ".".join((block.type, *block.labels))
                else:
                    continue
                key = (path.parent, address)
                if key in seen:
                    self._emitter(path, address)(
                        block.line,
                        "",
                        f"duplicate block: `{address}` is also declared in {self._display(seen[key])}",
                        None,
                    )
                else:
                    seen[key] = path

    def check_references(self, files: list[Path]) -> None:
        """Per module directory: references must name declared things (see references.py)."""
        by_directory: dict[Path, list[tuple[Path, Block]]] = {}
        for path in files:
            parsed = self.parsed.get(path)
            if parsed is not None:
                by_directory.setdefault(path.parent, []).append((path, parsed))

        def emit(path: Path, line: int, address: str, attribute: str, message: str, hint: str | None) -> None:
            self._emitter(path, address)(line, attribute, message, hint)

        for directory, parsed_files in by_directory.items():
            declarations = ModuleDeclarations()
            for _path, parsed in parsed_files:
                declarations.add_file(parsed)
            # A module is its whole directory: when only some files are checked, the others still declare.
            for sibling in sorted(set(directory.glob("*.tf")) - {path for path, _ in parsed_files}):
                try:
                    declarations.add_file(parse_file(sibling))
                except (HCLSyntaxError, OSError, UnicodeDecodeError):
                    continue  # not ours to report: it was not asked to be checked
            checker = ReferenceChecker(directory, declarations, self.modules, emit)
            for path, parsed in parsed_files:
                checker.check_file(path, parsed)

    def notes(self) -> None:
        if self.skipped_providers:
            counts = ", ".join(f"{name} ({count})" for name, count in sorted(self.skipped_providers.items()))
            self.report.notes.append(f"not checked (no bundled schema for these providers): {counts}")


def scan_tree(root: Path) -> Report:
    """Check every Terraform file under `root`; return findings and notes."""
    root = Path(root)
    if not root.exists():
        raise FileNotFoundError(f"{root} does not exist")
    checker = _TreeChecker(root)
    files = terraform_files(root)
    for path in files:
        checker.check_file(path)
    checker.check_duplicate_addresses(files)
    checker.check_references(files)
    checker.notes()
    checker.report.findings.sort()
    return checker.report


def check_tree(root: Path) -> list[Finding]:
    """Findings for every Terraform file under `root` (empty when everything conforms)."""
    return scan_tree(root).findings
