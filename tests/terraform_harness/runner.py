"""Run `terraform init`, `validate` and `plan -refresh=false` on a copy of a generated root, against the
harness's provider plugins (provider.py) installed from a filesystem mirror. Nothing is written next to the
original root: the copy (with its lock file and .terraform) lives in a temporary directory."""

from __future__ import annotations

import json
import os
import queue
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self

from mlgen.conformance.schema import schema_index

REPO_ROOT = Path(__file__).resolve().parents[2]
SERVED = ("aws", "google", "google-beta", "azurerm")
# Terraform's note that a lock file made from a local mirror holds only this platform's checksums.
LOCK_FILE_NOTE = "Incomplete lock file information for providers"
_LOCAL_SOURCE = re.compile(r'^\s*source\s*=\s*"(\.\.?/[^"]*)"', re.MULTILINE)
_SKIP = shutil.ignore_patterns(
    ".terraform", ".terraform.lock.hcl", "terraform.tfstate*", ".git", "__pycache__"
)


class TerraformMissing(RuntimeError):
    pass


@dataclass
class Diagnostic:
    severity: str
    summary: str
    detail: str = ""
    where: str = ""

    def __str__(self) -> str:
        return f"{self.severity}: {self.summary}{f' ({self.where})' if self.where else ''}: {self.detail}"


@dataclass
class PlanResult:
    root: Path
    errors: list[Diagnostic] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)
    resources: int = 0  # resource instances the plan would create/update/replace
    planned: list[str] = field(default_factory=list)  # their addresses
    plan: dict[str, Any] | None = None  # `terraform show -json` of the plan, when asked for
    stage: str = ""  # the command that failed, or "plan" when all passed
    seconds: float = 0.0
    log: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        lines = [f"{self.root}: {self.stage}: {len(self.errors)} errors, {len(self.warnings)} warnings"]
        lines += [f"  {d}" for d in self.errors + self.warnings]
        return "\n".join(lines)


def terraform_binary() -> str:
    found = shutil.which("terraform")
    if found is None:
        raise TerraformMissing("terraform is not on PATH")
    return found


class Harness:
    """Plugins + CLI config in one work directory; reuse one Harness for many roots."""

    def __init__(
        self, work_dir: Path | None = None, providers: tuple[str, ...] = SERVED, reattach: bool = True
    ) -> None:
        self.terraform = terraform_binary()
        self._tmp = None if work_dir else tempfile.TemporaryDirectory(prefix="mlgen-tf-harness-")
        self.work_dir = Path(work_dir or self._tmp.name)  # type: ignore[union-attr]
        self.mirror = self.work_dir / "mirror"
        self.cache = self.work_dir / "cache"
        self.cache.mkdir(parents=True, exist_ok=True)
        index = schema_index()
        for name in providers:
            self._install_plugin(name, index[name]["provider_version"])
        self.providers = providers
        # reattach: long-lived plugin servers, one set per concurrent plan, that Terraform reaches through
        # TF_REATTACH_PROVIDERS; otherwise Terraform starts a plugin from the mirror for every command.
        self.reattach = reattach
        self._servers: queue.SimpleQueue[dict[str, Any]] = queue.SimpleQueue()
        self._processes: list[subprocess.Popen[str]] = []
        self._lock = threading.Lock()
        self._started = 0
        self.cli_config = self.work_dir / "terraform.rc"
        self.cli_config.write_text(
            "provider_installation {\n"
            f'  filesystem_mirror {{\n    path    = "{self.mirror}"\n'
            '    include = ["registry.terraform.io/hashicorp/*"]\n  }\n}\n'
        )

    def _install_plugin(self, name: str, version: str) -> None:
        plugin_dir = self.mirror / "registry.terraform.io" / "hashicorp" / name / version / "linux_amd64"
        plugin_dir.mkdir(parents=True, exist_ok=True)
        python_path = os.pathsep.join([str(REPO_ROOT / "generator"), str(REPO_ROOT)])
        wrapper = plugin_dir / f"terraform-provider-{name}_v{version}"
        wrapper.write_text(
            "#!/bin/sh\n"
            f"export PYTHONPATH='{python_path}' MLGEN_TF_HARNESS_CACHE='{self.cache}'\n"
            f"exec '{sys.executable}' -m tests.terraform_harness.provider '{name}'\n"
        )
        wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)

    def _start_servers(self) -> dict[str, Any]:
        """One plugin server per provider, each on its own unix socket; the reattach configuration."""
        with self._lock:
            self._started += 1
            n = self._started
        reattach: dict[str, Any] = {}
        started: list[subprocess.Popen[str]] = []
        python_path = os.pathsep.join([str(REPO_ROOT / "generator"), str(REPO_ROOT)])
        for name in self.providers:
            socket_path = self.work_dir / f"{name}-{n}.sock"
            env = {
                **os.environ,
                "PYTHONPATH": python_path,
                "MLGEN_TF_HARNESS_CACHE": str(self.cache),
                "MLGEN_TF_HARNESS_SOCKET": str(socket_path),
            }
            proc = subprocess.Popen(
                [sys.executable, "-m", "tests.terraform_harness.provider", name],
                env=env,
                stdout=subprocess.PIPE,
                text=True,
            )
            started.append(proc)
            with self._lock:
                self._processes.append(proc)
            reattach[f"registry.terraform.io/hashicorp/{name}"] = {
                "Protocol": "grpc",
                "ProtocolVersion": 6,
                "Pid": proc.pid,
                "Test": True,  # Terraform must neither start nor stop this process
                "Addr": {"Network": "unix", "String": str(socket_path)},
            }
        for proc in started:  # this call's servers only: plans start servers concurrently
            if proc.stdout is None or proc.stdout.readline().strip() != "ready":
                raise RuntimeError(f"plugin server {proc.args} did not start")
        return reattach

    def _acquire(self) -> dict[str, Any]:
        try:
            return self._servers.get_nowait()
        except queue.Empty:
            return self._start_servers()

    def env(self, reattach: dict[str, Any] | None = None) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("TF_")}
        env.update(
            TF_CLI_CONFIG_FILE=str(self.cli_config),
            TF_IN_AUTOMATION="1",
            TF_INPUT="0",
            CHECKPOINT_DISABLE="1",
        )
        if reattach:
            env["TF_REATTACH_PROVIDERS"] = json.dumps(reattach)
        return env

    def copy_root(self, root: Path, dest: Path) -> Path:
        """Copy `root` and every local module it calls, keeping their relative paths; return the copy."""
        root = root.resolve()
        top = _common_ancestor([root, *_local_modules(root)])
        shutil.copytree(top, dest / top.name, ignore=_SKIP, symlinks=True)
        copy = dest / top.name / root.relative_to(top)
        (copy / "zz_harness_override.tf").write_text(
            "# Written by tests/terraform_harness: state stays in this temporary copy.\n"
            'terraform {\n  backend "local" {\n    path = "harness.tfstate"\n  }\n}\n'
        )
        return copy

    def plan(
        self,
        root: Path,
        variables: dict[str, Any] | None = None,
        show: bool = False,
        timeout: int = 300,
        edit: Callable[[Path], None] | None = None,
    ) -> PlanResult:
        """Plan a copy of `root`. `variables` go in a -var-file; `edit(copy)` may change the copied root
        (and the modules next to it, `copy / "../../modules"`) before init; `show` adds the plan JSON."""
        result = PlanResult(root=Path(root))
        start = time.monotonic()
        servers = self._acquire() if self.reattach else None
        try:
            self._plan(result, Path(root), variables, show, timeout, edit, servers)
        finally:
            if servers is not None:
                self._servers.put(servers)
        result.seconds = time.monotonic() - start
        return result

    def _plan(
        self,
        result: PlanResult,
        root: Path,
        variables: dict[str, Any] | None,
        show: bool,
        timeout: int,
        edit: Callable[[Path], None] | None,
        servers: dict[str, Any] | None,
    ) -> None:
        env = self.env(servers)
        with tempfile.TemporaryDirectory(prefix="root-", dir=self.work_dir) as tmp:
            copy = self.copy_root(Path(root), Path(tmp))
            if edit is not None:
                edit(copy)
            var_args: list[str] = []
            if variables:
                var_file = Path(tmp) / "harness.tfvars.json"
                var_file.write_text(json.dumps(variables))
                var_args = [f"-var-file={var_file}"]
            steps = [
                ("init", ["init", "-input=false", "-no-color"], False),
                ("validate", ["validate", "-json", "-no-color"], True),
                (
                    "plan",
                    ["plan", "-refresh=false", "-input=false", "-json", "-out=harness.tfplan", *var_args],
                    True,
                ),
            ]
            for stage, args, is_json in steps:
                result.stage = stage
                proc = subprocess.run(
                    [self.terraform, *args],
                    cwd=copy,
                    env=env,
                    capture_output=True,
                    text=True,
                    timeout=timeout,
                    check=False,  # failures are reported as diagnostics
                )
                result.log += f"$ terraform {' '.join(args)}\n{proc.stdout}{proc.stderr}"
                if is_json:
                    _collect_json(stage, proc.stdout, result)
                else:
                    _collect_text(proc.stdout + proc.stderr, result)
                if proc.returncode != 0 and not result.errors:
                    result.errors.append(
                        Diagnostic(
                            "error",
                            f"terraform {stage} exited {proc.returncode}",
                            (proc.stderr or proc.stdout)[-2000:],
                        )
                    )
                if result.errors:
                    break
            if result.ok and show:
                proc = subprocess.run(
                    [self.terraform, "show", "-json", "harness.tfplan"],
                    cwd=copy,
                    env=env,
                    capture_output=True,
                    text=True,
                    timeout=timeout,
                    check=True,
                )
                result.plan = json.loads(proc.stdout)

    def run(self, directory: Path, *args: str, timeout: int = 300) -> subprocess.CompletedProcess[str]:
        """Run one Terraform command in ``directory`` (a copy the caller owns) against the served plugins;
        ``apply`` works too: the plugins fill values known only after apply with typed placeholders."""
        servers = self._acquire() if self.reattach else None
        try:
            return subprocess.run(
                [self.terraform, *args],
                cwd=directory,
                env=self.env(servers),
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
        finally:
            if servers is not None:
                self._servers.put(servers)

    def plan_many(self, jobs: list[tuple[Path, dict[str, Any] | None]], workers: int = 2) -> list[PlanResult]:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(lambda job: self.plan(*job), jobs))

    def close(self) -> None:
        for proc in self._processes:
            proc.terminate()
        for proc in self._processes:
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
        if self._tmp is not None:
            self._tmp.cleanup()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _local_modules(root: Path, seen: set[Path] | None = None) -> set[Path]:
    seen = set() if seen is None else seen
    for tf in root.glob("*.tf"):
        for source in _LOCAL_SOURCE.findall(tf.read_text()):
            module = (root / source).resolve()
            if module not in seen and module.is_dir():
                seen.add(module)
                _local_modules(module, seen)
    return seen


def _common_ancestor(paths: list[Path]) -> Path:
    return Path(os.path.commonpath([str(p) for p in paths]))


def _where(diag: dict[str, Any]) -> str:
    rng = diag.get("range") or {}
    if not rng:
        return diag.get("address", "")
    return f"{rng.get('filename')}:{rng.get('start', {}).get('line')}"


def _add(result: PlanResult, severity: str, summary: str, detail: str, where: str) -> None:
    diag = Diagnostic(severity, summary, detail, where)
    if severity == "error":
        result.errors.append(diag)
    elif LOCK_FILE_NOTE not in summary:
        result.warnings.append(diag)


def _collect_json(stage: str, stdout: str, result: PlanResult) -> None:
    if stage == "validate":
        try:
            data = json.loads(stdout)
        except json.JSONDecodeError:
            return
        for d in data.get("diagnostics", []):
            _add(result, d["severity"], d["summary"], d.get("detail", ""), _where(d))
        return
    for line in stdout.splitlines():
        try:
            message = json.loads(line)
        except json.JSONDecodeError:
            continue
        if message.get("type") == "diagnostic":
            d = message["diagnostic"]
            _add(result, d["severity"], d["summary"], d.get("detail", ""), _where(d))
        elif message.get("type") == "planned_change":
            change = message["change"]
            if change.get("action") != "no-op":
                result.planned.append(change["resource"]["addr"])
    result.resources = len(result.planned)


def _collect_text(output: str, result: PlanResult) -> None:
    # `init` has no -json; its diagnostics are boxed: "│ Error: ..." / "│ Warning: ...".
    for match in re.finditer(r"^[│\s]*(Error|Warning): (.+)$", output, re.MULTILINE):
        _add(result, match.group(1).lower(), match.group(2).strip(), "", "")


def plan_root(
    root_dir: Path | str,
    variables: dict[str, Any] | None = None,
    show: bool = False,
    providers: tuple[str, ...] = SERVED,
    edit: Callable[[Path], None] | None = None,
) -> PlanResult:
    """init + validate + plan -refresh=false of one root with a throwaway Harness (use Harness to plan
    several roots: it builds the plugins once)."""
    with Harness(providers=providers) as harness:
        return harness.plan(Path(root_dir), variables, show=show, edit=edit)
