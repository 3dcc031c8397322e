"""Figures of the emulator apply harness: roots applied, resources applied/destroyed, leftovers, wall time.

Runs exactly what tests/apply/test_apply_examples.py runs (tests/apply/suite.py), in parallel, and prints one
line per environment and a total. Needs the hashicorp/aws 5.100.0 provider in /opt/tf-plugins and moto[server].

    PYTHONPATH=generator:. python benchmarks/terraform_apply.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO_ROOT), str(REPO_ROOT / "generator")]

from tests.apply.lifecycle import EnvironmentRun
from tests.apply.suite import run_all
from tests.apply.workspace import provider_binary


def main() -> int:
    if provider_binary() is None:
        print("skipped: no hashicorp/aws provider binary in the filesystem mirror")
        return 0
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="mlgen-apply-") as base:
        runs = run_all(Path(base))
    wall = time.monotonic() - started
    print(
        f"{'environment':<22} {'roots':>5} {'applied':>8} {'destroyed':>9} {'leftovers':>9} {'seconds':>8}  notes"
    )
    totals = [0, 0, 0, 0]
    for name, run in runs.items():
        if not isinstance(run, EnvironmentRun):
            continue
        applied = sum(r.applied for r in run.roots)
        destroyed = sum(r.destroyed for r in run.roots)
        left = sum(len(v) for v in run.leftovers.values())
        failed = [r.root for r in run.roots if r.first_apply] + (["teardown"] if run.teardown else [])
        drift = sum(len(r.drift) for r in run.roots)
        emulator = sum(len(r.emulator_drift) for r in run.roots)
        notes = f"failed: {failed} " if failed else ""
        notes += f"drift {drift}, emulator drift {emulator}"
        print(
            f"{name:<22} {len(run.roots):>5} {applied:>8} {destroyed:>9} {left:>9} {run.seconds:>8.0f}  {notes}"
        )
        for total, value in zip(range(4), (len(run.roots), applied, destroyed, left)):
            totals[total] += value
    protected = runs["protected"]
    refused = isinstance(protected, dict) and protected["destroy"].returncode != 0
    print(
        f"{'total':<22} {totals[0]:>5} {totals[1]:>8} {totals[2]:>9} {totals[3]:>9} {wall:>8.0f}  (wall, parallel)"
    )
    print(f"protected prod bootstrap: destroy refused = {refused}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
