"""Apply, re-plan, tear down and audit one generated environment against its own moto server.

Each environment gets its own emulator (started with the environment's account id), so environments run
in parallel and a leftover can only come from the environment under test.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tests.apply.leftovers import leftovers
from tests.apply.workspace import Workspace

LAUNCHER = Path(__file__).with_name("moto_launcher.py")

# Differences a re-plan shows that come from moto, not from the generated code: resource type => top-level
# attributes. Each entry names the moto version and the gap; anything else in a re-plan fails the test.
EMULATOR_DRIFT: dict[str, set[str]] = {
    # moto 5.2.5 does not store TargetObjectKeyFormat of PutBucketLogging, so the read returns none.
    "aws_s3_bucket_logging": {"target_object_key_format"},
    # moto 5.2.5: the rotation period read back differs from the one the provider sent (seen in re-plans).
    "aws_kms_key": {"rotation_period_in_days"},
    # moto 5.2.5: security group rules read back without the description they were created with.
    "aws_vpc_security_group_egress_rule": {"description"},
    "aws_vpc_security_group_ingress_rule": {"description"},
}


@dataclass
class RootRun:
    root: str
    applied: int = 0
    destroyed: int = 0
    first_apply: str = ""  # "" when it passed, else the error output
    drift: list[str] = field(default_factory=list)
    emulator_drift: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)  # resource types in the state after apply


@dataclass
class EnvironmentRun:
    name: str
    roots: list[RootRun] = field(default_factory=list)
    teardown: str = ""  # "" when it passed, else the error output
    leftovers: dict[str, list[str]] = field(default_factory=dict)
    seconds: float = 0.0
    log: list[str] = field(default_factory=list)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def moto_server(account_id: str, log: Path) -> Iterator[str]:
    port = free_port()
    env = {**os.environ, "MOTO_ACCOUNT_ID": account_id}
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, str(LAUNCHER), str(port)], env=env, stdout=out, stderr=out
        )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError(f"moto exited: {log.read_text()[-2000:]}") from None
                time.sleep(0.2)
        yield endpoint
    finally:
        process.terminate()
        process.wait(timeout=10)


def root_settings(root: Path) -> tuple[str, str]:
    """(account id, region) from a generated root's provider block."""
    text = (root / "providers.tf").read_text()
    account = re.search(r'allowed_account_ids\s*=\s*\["(\d{12})"\]', text)
    region = re.search(r'region\s*=\s*"([a-z0-9-]+)"', text)
    assert account and region, f"{root}/providers.tf has no allowed_account_ids/region"
    return account.group(1), region.group(1)


def replan_changes(ws: Workspace, root: Path) -> tuple[list[str], list[str]]:
    """(real drift, emulator drift) of a re-plan after apply, as 'address: attributes' lines."""
    result = ws.terraform(root, "plan", "-input=false", "-no-color", "-out=replan.tfplan")
    if result.returncode != 0:
        return [f"re-plan failed: {result.stderr[-3000:]}"], []
    shown = ws.terraform(root, "show", "-json", "replan.tfplan")
    real: list[str] = []
    emulator: list[str] = []
    for change in json.loads(shown.stdout).get("resource_changes", []):
        actions = change["change"]["actions"]
        if actions in (["no-op"], ["read"]):
            continue
        before = change["change"].get("before") or {}
        after = change["change"].get("after") or {}
        changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
        line = f"{change['address']} {'/'.join(actions)}: {', '.join(changed)}"
        allowed = EMULATOR_DRIFT.get(change["type"], set())
        if actions == ["update"] and set(changed) <= allowed:
            emulator.append(line)
        else:
            # What changed, so a failure says whether it is a defect or a gap of the emulator.
            values = {k: (before.get(k), after.get(k)) for k in changed}
            real.append(f"{line} {json.dumps(values, default=str)[:1500]}")
    return real, emulator


def _count(output: str, verb: str) -> int:
    found = re.search(rf"Resources: (\d+) {verb}", output)
    if verb == "added":
        found = re.search(r"Apply complete! Resources: (\d+) added", output)
    return int(found.group(1)) if found else 0


def apply_root(ws: Workspace, root: Path) -> RootRun:
    run = RootRun(root=str(root.relative_to(ws.project)))
    init = ws.terraform(root, "init", "-input=false", "-no-color")
    if init.returncode != 0:
        run.first_apply = f"init failed: {init.stderr[-3000:]}"
        return run
    applied = ws.terraform(root, "apply", "-auto-approve", "-input=false", "-no-color")
    run.applied = _count(applied.stdout, "added")
    if applied.returncode != 0:
        run.first_apply = (applied.stdout[-2000:] + applied.stderr[-4000:]).strip() or "apply failed"
        return run
    run.types = sorted({address.split(".")[-2] for address in ws.state_resources(root)})
    run.drift, run.emulator_drift = replan_changes(ws, root)
    return run


def destroy_root(ws: Workspace, root: Path, run: RootRun) -> str:
    result = ws.terraform(root, "destroy", "-auto-approve", "-input=false", "-no-color")
    run.destroyed = _count(result.stdout, "destroyed")
    return "" if result.returncode == 0 else (result.stdout[-2000:] + result.stderr[-3000:]).strip()


def teardown_env(ws: Workspace, project: str, environment: str, run: RootRun) -> str:
    """The generated scripts/teardown-<env>.sh, run as a user would (--yes; prod also needs --confirm)."""
    script = ws.project / "scripts" / f"teardown-{environment}.sh"
    result = ws.run(["bash", str(script), "--yes", "--confirm", project], timeout=1200)
    run.destroyed = _count(result.stdout, "destroyed")
    return "" if result.returncode == 0 else (result.stdout[-2000:] + result.stderr[-3000:]).strip()


def run_environment(
    project: Path, environment: str, workdir: Path, serving_release: dict[str, str] | None = None
) -> EnvironmentRun:
    """Bootstrap, then the environment root; re-plan each; teardown script; destroy bootstrap; audit."""
    started = time.monotonic()
    env_run = EnvironmentRun(name=f"{project.name}/{environment}")
    account, region = root_settings(project / "infra" / "bootstrap" / environment)
    workdir.mkdir(parents=True, exist_ok=True)
    with moto_server(account, workdir / "moto.log") as endpoint:
        ws = Workspace.prepare(project, workdir / project.name, endpoint)
        ws.env["AWS_DEFAULT_REGION"] = region
        bootstrap, env_root = ws.root("bootstrap", environment), ws.root("envs", environment)
        if serving_release is not None:
            # As `mlgen release` does: the committed release file, which *.auto.tfvars.json loading gives
            # precedence over TF_VAR_ variables (so an environment variable would be silently ignored).
            release_file = env_root / "release.auto.tfvars.json"
            release_file.write_text(json.dumps({"serving_release": serving_release}, indent=2) + "\n")
        project_name = re.search(r'project\s*=\s*"([^"]+)"', (bootstrap / "main.tf").read_text())
        assert project_name, f"{bootstrap}/main.tf has no project local"
        boot = apply_root(ws, bootstrap)
        env_run.roots.append(boot)
        if not boot.first_apply:
            main = apply_root(ws, env_root)
            env_run.roots.append(main)
            env_run.teardown = teardown_env(ws, project_name.group(1), environment, main)
        if not env_run.teardown:
            env_run.teardown = destroy_root(ws, bootstrap, boot)
        env_run.leftovers = leftovers(endpoint, region, project_name.group(1))
        env_run.log = ws.log
    env_run.seconds = time.monotonic() - started
    return env_run


def generate_variant(example: Path, destination: Path, edit: dict[str, object]) -> Path:
    """A copy of an example regenerated from its spec with `edit` merged in (top-level keys, one level deep)."""
    import shutil

    import yaml

    shutil.copytree(example, destination)
    spec_path = destination / "mlgen.yaml"
    spec = yaml.safe_load(spec_path.read_text())
    _merge(spec, edit)
    spec_path.write_text(yaml.safe_dump(spec, sort_keys=False))
    result = subprocess.run(
        ["mlgen", "generate", "--spec", str(spec_path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return destination


def _merge(base: dict[str, object], edit: dict[str, object]) -> None:
    for key, value in edit.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            _merge(base[key], value)  # type: ignore[arg-type]
        else:
            base[key] = value
