"""Helpers for checking hand-written Terraform modules: parse with python-hcl2, run terraform fmt and checkov.

Kept free of pytest so the same functions can render README tables and be reused by other module tests.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[3]
AWS_MODULES = REPO_ROOT / "modules" / "aws"


def unwrap(value: Any) -> Any:
    """python-hcl2 8.x wraps attribute values in one-element lists; return the bare value."""
    while isinstance(value, list) and len(value) == 1:
        value = value[0]
    return value


def strip_interpolation(value: Any) -> Any:
    """`${string}` -> `string`; hcl2 renders expressions wrapped in `${...}`."""
    if isinstance(value, str) and value.startswith("${") and value.endswith("}"):
        return value[2:-1]
    return value


@dataclass
class ParsedModule:
    """The blocks of every `*.tf` file in one module directory, merged."""

    path: Path
    variables: dict[str, dict[str, Any]] = field(default_factory=dict)
    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    resources: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    data: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    terraform: list[dict[str, Any]] = field(default_factory=list)
    variable_files: dict[str, Path] = field(default_factory=dict)


def parse_module(module_dir: Path) -> ParsedModule:
    """Parse every .tf file of a module with python-hcl2; raises on syntax errors."""
    import hcl2  # imported here: tests that only need paths stay light

    parsed = ParsedModule(path=module_dir)
    for tf_file in sorted(module_dir.glob("*.tf")):
        with tf_file.open(encoding="utf-8") as handle:
            document = hcl2.load(handle)
        for block in document.get("variable", []):
            parsed.variables.update(block)
            parsed.variable_files.update({name: tf_file for name in block})
        for block in document.get("output", []):
            parsed.outputs.update(block)
        for kind, into in (("resource", parsed.resources), ("data", parsed.data)):
            for block in document.get(kind, []):
                for type_name, instances in block.items():
                    into.setdefault(type_name, {}).update(instances)
        parsed.terraform.extend(document.get("terraform", []))
    return parsed


def terraform_binary() -> str | None:
    return shutil.which("terraform")


def terraform_fmt_check(module_dir: Path) -> subprocess.CompletedProcess[str]:
    """`terraform fmt -check -recursive -diff`; returncode 0 means formatted."""
    binary = terraform_binary()
    if binary is None:
        raise FileNotFoundError("terraform binary not on PATH")
    return subprocess.run(
        [binary, "fmt", "-check", "-recursive", "-diff", str(module_dir)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@dataclass(frozen=True)
class CheckovFinding:
    check_id: str
    resource: str
    file_path: str
    check_name: str


@dataclass
class CheckovReport:
    passed: list[CheckovFinding]
    failed: list[CheckovFinding]
    skipped: list[CheckovFinding]
    parsing_errors: list[str]


def _findings(items: list[dict[str, Any]]) -> list[CheckovFinding]:
    return [
        CheckovFinding(
            check_id=item["check_id"],
            resource=item["resource"],
            file_path=item.get("file_path", ""),
            check_name=item.get("check_name", ""),
        )
        for item in items
    ]


def run_checkov(directory: Path, var_file: Path | None = None, timeout_s: int = 300) -> CheckovReport:
    """Run checkov's terraform framework over one directory (the real CLI, JSON output).

    var_file lets checkov resolve variables to non-default values (e.g. deletion_protection = true).
    """
    binary = shutil.which("checkov")
    if binary is None:
        raise FileNotFoundError("checkov not installed")
    extra = ["--var-file", str(var_file)] if var_file is not None else []
    completed = subprocess.run(
        [binary, "-d", str(directory), "--framework", "terraform", "-o", "json", "--skip-download", *extra],
        capture_output=True,
        text=True,
        timeout=timeout_s,
        check=False,
    )
    # checkov exits 1 when checks fail; anything else without JSON is a crash worth showing.
    try:
        document = json.loads(completed.stdout)
    except json.JSONDecodeError as error:
        raise RuntimeError(
            f"checkov produced no JSON (rc={completed.returncode}): {completed.stderr[-2000:]}"
        ) from error
    reports = document if isinstance(document, list) else [document]
    passed: list[CheckovFinding] = []
    failed: list[CheckovFinding] = []
    skipped: list[CheckovFinding] = []
    errors: list[str] = []
    for report in reports:
        results = report.get("results", {})
        passed += _findings(results.get("passed_checks", []))
        failed += _findings(results.get("failed_checks", []))
        skipped += _findings(results.get("skipped_checks", []))
        errors += list(results.get("parsing_errors", []))
    return CheckovReport(passed=passed, failed=failed, skipped=skipped, parsing_errors=errors)


def inline_skips(module_dir: Path) -> list[tuple[str, str, str]]:
    """Every `#checkov:skip=ID:reason` comment as (file name, check id, reason)."""
    skips = []
    for tf_file in sorted(module_dir.glob("*.tf")):
        for line in tf_file.read_text(encoding="utf-8").splitlines():
            marker = line.strip()
            if marker.startswith("#checkov:skip="):
                check_id, _, reason = marker.removeprefix("#checkov:skip=").partition(":")
                skips.append((tf_file.name, check_id, reason.strip()))
    return skips


def variable_type_source(source: Path, body: dict[str, Any]) -> str:
    """The `type = ...` expression of a variable as written (hcl2 re-renders object types unreadably)."""
    lines = source.read_text(encoding="utf-8").splitlines()[body["__start_line__"] - 1 : body["__end_line__"]]
    collected: list[str] = []
    depth = 0
    for line in lines:
        stripped = line.strip()
        if not collected and not stripped.startswith("type "):
            continue
        collected.append(stripped.removeprefix("type").lstrip(" =") if not collected else stripped)
        depth += stripped.count("(") + stripped.count("{") - stripped.count(")") - stripped.count("}")
        if depth <= 0:
            break
    if len(collected) > 2:  # multi-line object(...): one attribute per line
        collected = [collected[0] + ", ".join(collected[1:-1]) + collected[-1]]
    return re.sub(r"\s+", " ", collected[0])


def render_io_tables(module_dir: Path) -> str:
    """Markdown inputs/outputs tables for a module README, from its variables and outputs."""
    parsed = parse_module(module_dir)
    lines = ["## Inputs", "", "| name | type | default | description |", "| --- | --- | --- | --- |"]
    for name, body in parsed.variables.items():
        type_text = variable_type_source(parsed.variable_files[name], body)
        default = "required" if "default" not in body else f"`{json.dumps(unwrap(body['default']))}`"
        description = " ".join(str(unwrap(body.get("description", ""))).split()).replace("|", "\\|")
        lines.append(f"| `{name}` | `{type_text}` | {default} | {description} |")
    lines += ["", "## Outputs", "", "| name | description |", "| --- | --- |"]
    for name, body in parsed.outputs.items():
        lines.append(f"| `{name}` | {unwrap(body.get('description', ''))} |")
    return "\n".join(lines) + "\n"
